//! `cargo xtask build`: the wasm bundle and `dist/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use sha2::{Digest, Sha256};

use crate::util::{cargo, root, run, target_dir};

const TARGET: &str = "wasm32-unknown-unknown";
/// The first binaryen release that understands every feature current rustc emits.
const MIN_WASM_OPT: u32 = 117;

/// Builds the app and writes `dist/`; returns the dist directory.
pub fn build(release: bool) -> Result<PathBuf> {
    ensure_wasm_target()?;
    let profile = if release { "wasm-release" } else { "dev" };
    run(cargo().args(["build", "-p", "rihub-app", "--lib", "--target", TARGET, "--profile", profile]))?;
    let profile_dir = if release { "wasm-release" } else { "debug" };
    let wasm_in = target_dir().join(TARGET).join(profile_dir).join("rihub_app.wasm");

    let staging = target_dir().join("xtask-bindgen");
    let _ = fs::remove_dir_all(&staging);
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm_in)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(true)
        .debug(!release)
        .generate(&staging)
        .context("wasm-bindgen failed")?;
    let wasm_path = staging.join("rihub_app_bg.wasm");
    if release {
        optimize(&wasm_path)?;
    }

    let dist = root().join("dist");
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(&dist)?;
    let wasm = hashed_copy(&wasm_path, &dist, "rihub_app_bg", "wasm")?;
    let js = hashed_copy(&staging.join("rihub_app.js"), &dist, "rihub_app", "js")?;
    if staging.join("snippets").exists() {
        copy_dir(&staging.join("snippets"), &dist.join("snippets"))?;
    }
    // The module script that starts the app: no inline script, so the CSP needs none.
    let boot_src = format!("import init from './{js}';\ninit({{ module_or_path: '/{wasm}' }});\n");
    let boot = write_hashed(&dist, "boot", "js", boot_src.as_bytes())?;
    let css = hashed_copy(&root().join("style/app.css"), &dist, "app", "css")?;
    let icon = hashed_copy(&root().join("app/static/icon.svg"), &dist, "icon", "svg")?;
    fs::write(dist.join("manifest.webmanifest"), manifest(&icon))?;
    fs::write(dist.join("index.html"), index_html(&boot, &js, &wasm, &css, &icon))?;
    fs::write(dist.join("sw.js"), service_worker(&dist)?)?;
    let (raw, gzip) = sizes(&[dist.join(&wasm), dist.join(&js), dist.join(&boot)])?;
    println!("dist/ written: {wasm}, {js}, {css}; wasm + JS: {} KiB raw, {} KiB gzip", raw / 1024, gzip / 1024);
    Ok(dist)
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).current_dir(root()).output();
    match installed {
        Ok(out) if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == TARGET) => Ok(()),
        Ok(_) => run(Command::new("rustup").args(["target", "add", TARGET]).current_dir(root())),
        // No rustup: trust the toolchain to have the target, and let cargo say otherwise.
        Err(_) => Ok(()),
    }
}

/// Runs `wasm-opt -Oz` if a recent enough binaryen is on PATH (or installed in end2end/).
fn optimize(wasm: &Path) -> Result<()> {
    let local = root().join("end2end/node_modules/.bin/wasm-opt");
    let candidates = [local.to_string_lossy().to_string(), "wasm-opt".to_string()];
    for program in candidates {
        let Ok(out) = Command::new(&program).arg("--version").output() else { continue };
        let version = String::from_utf8_lossy(&out.stdout);
        let number: u32 = version.split_whitespace().find_map(|w| w.parse().ok()).unwrap_or(0);
        if number >= MIN_WASM_OPT {
            println!("optimizing with {program} (binaryen {number})");
            return run(Command::new(&program).arg("-Oz").arg("--enable-bulk-memory").arg("--enable-nontrapping-float-to-int").arg(wasm).arg("-o").arg(wasm));
        }
        println!("skipping wasm-opt: {program} is binaryen {number}, older than {MIN_WASM_OPT}");
    }
    println!("skipping wasm-opt: no binaryen {MIN_WASM_OPT}+ on PATH (npm install binaryen provides one)");
    Ok(())
}

/// Total raw and gzip-compressed (level 9) size of `files`, as the network would carry them.
fn sizes(files: &[PathBuf]) -> Result<(usize, usize)> {
    use std::io::Write;
    let (mut raw, mut gzip) = (0, 0);
    for file in files {
        let bytes = fs::read(file)?;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&bytes)?;
        raw += bytes.len();
        gzip += encoder.finish()?.len();
    }
    Ok((raw, gzip))
}

/// The first 16 hex digits of the SHA-256 of `bytes`.
fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))[..16].to_string()
}

fn write_hashed(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<String> {
    let name = format!("{stem}-{}.{ext}", content_hash(bytes));
    fs::write(dir.join(&name), bytes)?;
    Ok(name)
}

fn hashed_copy(src: &Path, dir: &Path, stem: &str, ext: &str) -> Result<String> {
    let bytes = fs::read(src).with_context(|| format!("cannot read {}", src.display()))?;
    write_hashed(dir, stem, ext, &bytes)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &dest)?;
        } else {
            fs::copy(entry.path(), dest)?;
        }
    }
    Ok(())
}

fn index_html(boot: &str, js: &str, wasm: &str, css: &str, icon: &str) -> String {
    format!(
        r##"<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>rihub — Regional Initiatives Hub</title>
<link rel="stylesheet" href="/{css}">
<link rel="icon" href="/{icon}" type="image/svg+xml">
<link rel="manifest" href="/manifest.webmanifest">
<link rel="modulepreload" href="/{js}">
<link rel="preload" href="/{wasm}" as="fetch" type="application/wasm" crossorigin>
<meta name="theme-color" content="#005a9c">
<script type="module" src="/{boot}"></script>
</head>
<body></body>
</html>
"##
    )
}

/// Every file of `dist/` as a URL path, sorted.
fn dist_files(dist: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            dist_files(dist, &path, out)?;
        } else {
            out.push(format!("/{}", path.strip_prefix(dist)?.to_string_lossy().replace('\\', "/")));
        }
    }
    out.sort();
    Ok(())
}

/// The service worker: `app/static/sw.js` with the list of files to precache and a version
/// that changes whenever any of them does.
fn service_worker(dist: &Path) -> Result<String> {
    let mut files = Vec::new();
    dist_files(dist, dist, &mut files)?;
    files.retain(|f| f != "/sw.js");
    let mut all = Vec::new();
    for f in &files {
        all.extend(f.as_bytes());
        all.extend(fs::read(dist.join(&f[1..]))?);
    }
    let template = fs::read_to_string(root().join("app/static/sw.js"))?;
    Ok(template.replace("\"__VERSION__\"", &format!("\"{}\"", content_hash(&all))).replace("[/* __FILES__ */]", &serde_json::to_string(&files)?))
}

fn manifest(icon: &str) -> String {
    serde_json::json!({
        "name": "Regional Initiatives Hub",
        "short_name": "rihub",
        "start_url": "/",
        "display": "standalone",
        "background_color": "#f6f8fa",
        "theme_color": "#005a9c",
        "icons": [{"src": format!("/{icon}"), "sizes": "any", "type": "image/svg+xml"}],
    })
    .to_string()
}

