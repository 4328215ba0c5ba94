//! Generates the `i18n` module from `locales/*.json`, and fails the build when a locale lacks
//! a key the English file has (leptos_i18n alone would only warn).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

const LOCALES: [&str; 6] = ["en", "ar", "es", "fr", "ru", "zh"];

fn keys(value: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                keys(v, &key, out);
            }
        }
        _ => {
            out.insert(prefix.to_string());
        }
    }
}

fn locale_keys(dir: &Path, locale: &str) -> BTreeSet<String> {
    let path = dir.join(format!("{locale}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()));
    let mut out = BTreeSet::new();
    keys(&json, "", &mut out);
    out
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?).join("../locales");
    println!("cargo::rerun-if-changed={}", dir.display());

    let english = locale_keys(&dir, "en");
    let mut problems = Vec::new();
    for locale in &LOCALES[1..] {
        let other = locale_keys(&dir, locale);
        for missing in english.difference(&other) {
            problems.push(format!("locales/{locale}.json lacks {missing}"));
        }
        for extra in other.difference(&english) {
            problems.push(format!("locales/{locale}.json has {extra}, which en.json lacks"));
        }
    }
    if !problems.is_empty() {
        panic!("translations are incomplete:\n  {}", problems.join("\n  "));
    }

    // Interpolated strings as plain strings too (`t_string!` with values), for attributes and
    // for text built in Rust.
    let mut cfg = Config::new("en")?.locales_path("../locales").parse_options(ParseOptions::new().interpolate_display(true));
    for locale in &LOCALES[1..] {
        cfg = cfg.add_locale(locale)?;
    }
    let infos = TranslationsInfos::parse(cfg)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(PathBuf::from(std::env::var("OUT_DIR")?).join("i18n"))?;
    Ok(())
}
