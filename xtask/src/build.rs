//! `cargo xtask build`: the wasm bundle and `dist/`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};

use crate::util::{cargo, ensure_npm_packages, root, run, target_dir};

const TARGET: &str = "wasm32-unknown-unknown";
/// The first binaryen release that understands every feature current rustc emits.
const MIN_WASM_OPT: u32 = 117;
/// The page group of the first screen (`app/src/app.rs`), preloaded by `index.html`.
const FIRST_SCREEN: &str = "initiatives";

/// Builds the app and writes `dist/`; returns the dist directory.
pub fn build(release: bool) -> Result<PathBuf> {
    let staging = target_dir().join("xtask-bindgen");
    let split = bundle(release, &staging)?;

    let dist = root().join("dist");
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(&dist)?;
    // The app's JS and wasm files load each other by relative name, so they keep their names
    // and share one directory named by the hash of all of them.
    let app_dir = format!("app-{}", content_hash(&contents(&staging, &files_under(&staging)?)?));
    copy_dir(&staging, &dist.join(&app_dir))?;
    let js = format!("{app_dir}/rihub_app.js");
    let wasm = format!("{app_dir}/rihub_app_bg.wasm");
    // The module script that starts the app: no inline script, so the CSP needs none.
    let boot_src = format!("import init from './{js}';\ninit({{ module_or_path: '/{wasm}' }});\n");
    let boot = write_hashed(&dist, "boot", "js", boot_src.as_bytes())?;
    let css = hashed_copy(&root().join("style/app.css"), &dist, "app", "css")?;
    let icon = hashed_copy(&root().join("app/static/icon.svg"), &dist, "icon", "svg")?;
    // Member State names in six languages: fetched by the pages that show them, not at start.
    let member_states = hashed_copy(&root().join("domain/src/member_state_names.json"), &dist, "member-states", "json")?;
    fs::write(dist.join("manifest.webmanifest"), manifest(&icon))?;
    // The first screen's chunks are fetched beside the main module, not after it starts.
    let first_chunks: Vec<String> = split.chunks_of(FIRST_SCREEN).iter().map(|chunk| format!("{app_dir}/{chunk}")).collect();
    fs::write(dist.join("index.html"), index_html(&boot, &js, &wasm, &first_chunks, &css, &icon, &member_states))?;
    fs::write(dist.join("sw.js"), service_worker(&dist)?)?;

    println!("dist/ written: {app_dir}/, {css}");
    let first: Vec<PathBuf> =
        [boot, js, format!("{app_dir}/__wasm_split.js"), wasm].iter().chain(&first_chunks).map(|f| dist.join(f)).collect();
    let (raw, gzip) = sizes(&first)?;
    println!("first download (the shell and the list of initiatives): {} KiB raw, {} KiB gzip", raw / 1024, gzip / 1024);
    let mut all = files_with_extension(&dist.join(&app_dir), "wasm")?;
    all.extend(first.iter().filter(|f| f.extension().is_some_and(|e| e == "js")).cloned());
    let (raw, gzip) = sizes(&all)?;
    println!("all wasm + JS (every page, precached for offline use): {} KiB raw, {} KiB gzip", raw / 1024, gzip / 1024);
    if release {
        let mut served = 0;
        for file in files_under(&dist)? {
            let path = dist.join(file.trim_start_matches('/'));
            let brotli = precompress(&path)?;
            if first.contains(&path) {
                served += brotli;
            }
        }
        println!("first download as served to a browser that accepts brotli: {} KiB", served / 1024);
    }
    Ok(dist)
}

/// Writes `file.br` (brotli, best) and `file.gz` (gzip, best) beside `file`, which the server
/// sends instead of compressing on the fly, at its faster and weaker setting, on every request.
/// Returns the brotli size.
fn precompress(file: &Path) -> Result<usize> {
    let bytes = fs::read(file)?;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    brotli::BrotliCompress(&mut bytes.as_slice(), &mut brotli, &params)?;
    let with = |ext: &str| PathBuf::from(format!("{}.{ext}", file.display()));
    fs::write(with("br"), &brotli)?;
    fs::write(with("gz"), gzip(&bytes)?)?;
    Ok(brotli.len())
}

/// Compiles the app to wasm and writes its wasm-bindgen output, cut into chunks, to `out`.
fn bundle(release: bool, out: &Path) -> Result<Split> {
    ensure_rustup("target", TARGET)?;
    let profile = if release { "wasm-release" } else { "dev" };
    let mut compile = cargo();
    compile.args(["build", "-p", "rihub-app", "--lib", "--target", TARGET, "--profile", profile]);
    if release {
        smallest_std(&mut compile)?;
    }
    run(&mut compile)?;
    let profile_dir = if release { "wasm-release" } else { "debug" };
    let wasm_in = target_dir().join(TARGET).join(profile_dir).join("rihub_app.wasm");

    let _ = fs::remove_dir_all(out);
    fs::create_dir_all(out)?;
    let split = split(&wasm_in, out)?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&split.main)
        .web(true)?
        .typescript(false)
        .omit_default_module_path(true)
        // The chunks share the main module's memory, function table and globals: exports
        // wasm-bindgen would otherwise remove.
        .keep_lld_exports(true)
        // Function names stay mangled, as they are in the chunks: a stack trace that crosses
        // modules reads alike.
        .demangle(false)
        .debug(!release)
        .generate(out)
        .context("wasm-bindgen failed")?;
    if release {
        for wasm in files_with_extension(out, "wasm")? {
            optimize(&wasm)?;
        }
    }
    Ok(split)
}

/// Builds the standard library with the app, so that a panic aborts on the spot and no panic
/// message or source location is compiled in: 30 KiB less to download (`docs/decisions.md`).
/// `Debug` formatting prints nothing either: the app shows people no `{:?}` (4 KiB less).
/// These are unstable options of the pinned toolchain (`rust-toolchain.toml`), which also
/// brings the library's source; the flags add to those of `.cargo/config.toml`.
fn smallest_std(cargo: &mut Command) -> Result<()> {
    ensure_rustup("component", "rust-src")?;
    cargo.env("RUSTC_BOOTSTRAP", "1").arg("-Zbuild-std=std,panic_abort").args([
        "--config",
        &format!("target.{TARGET}.rustflags=[\"-Zunstable-options\", \"-Cpanic=immediate-abort\", \"-Zlocation-detail=none\", \"-Zfmt-debug=none\"]"),
    ]);
    Ok(())
}

/// The app's wasm cut at every page group's `wasm_split` function (`app/src/app.rs`): the main
/// module to give wasm-bindgen, and in `out` the chunks and `__wasm_split.js`, which loads them.
struct Split {
    main: PathBuf,
    /// Split name → the chunk files (without `.wasm`) that calling it loads.
    prefetch: std::collections::HashMap<String, Vec<String>>,
}

impl Split {
    /// The chunk files the page group `group` (`app/src/app.rs`) loads.
    fn chunks_of(&self, group: &str) -> Vec<String> {
        self.prefetch.get(group).into_iter().flatten().map(|f| format!("{f}.wasm")).collect()
    }
}

fn split(wasm_in: &Path, out: &Path) -> Result<Split> {
    let input = fs::read(wasm_in).with_context(|| format!("cannot read {}", wasm_in.display()))?;
    let main_dir = target_dir().join("xtask-split");
    let _ = fs::remove_dir_all(&main_dir);
    fs::create_dir_all(&main_dir)?;
    let main = main_dir.join("rihub_app.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = out;
    options.main_out_path = &main;
    options.main_module = "./rihub_app.js";
    options.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(options).map_err(|e| anyhow::anyhow!("wasm split failed: {e:#}"))?;
    Ok(Split { main, prefetch: split.prefetch_map })
}

fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == ext) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Every file under `dir` as a URL path, sorted.
fn files_under(dir: &Path) -> Result<Vec<String>> {
    let mut files = Vec::new();
    dist_files(dir, dir, &mut files)?;
    Ok(files)
}

/// Each of `files` (URL paths under `dir`) as its path followed by its bytes.
fn contents(dir: &Path, files: &[String]) -> Result<Vec<u8>> {
    let mut all = Vec::new();
    for f in files {
        all.extend(f.as_bytes());
        all.extend(fs::read(dir.join(&f[1..]))?);
    }
    Ok(all)
}

/// Installs `name`, a rustup `target` or `component`, in the toolchain of `rust-toolchain.toml`
/// if it is missing: rustup adds them when it installs the toolchain, not to one installed before.
fn ensure_rustup(kind: &str, name: &str) -> Result<()> {
    let installed = Command::new("rustup").args([kind, "list", "--installed"]).current_dir(root()).output();
    match installed {
        Ok(out) if String::from_utf8_lossy(&out.stdout).lines().any(|l| l.trim() == name) => Ok(()),
        Ok(_) => run(Command::new("rustup").args([kind, "add", name]).current_dir(root())),
        // No rustup: trust the toolchain to have it, and let cargo say otherwise.
        Err(_) => Ok(()),
    }
}

/// A `wasm-opt` of binaryen `MIN_WASM_OPT` or newer: the one installed in `end2end/`, or on
/// PATH.
fn wasm_opt() -> Option<(String, u32)> {
    let local = root().join("end2end/node_modules/.bin/wasm-opt");
    [local.to_string_lossy().to_string(), "wasm-opt".to_string()].into_iter().find_map(|program| {
        let out = Command::new(&program).arg("--version").output().ok()?;
        let number: u32 = String::from_utf8_lossy(&out.stdout).split_whitespace().find_map(|w| w.parse().ok())?;
        (number >= MIN_WASM_OPT).then_some((program, number))
    })
}

/// Runs `wasm-opt -Oz` on `wasm`. A release build without it would ship a third more, so
/// binaryen is installed (the npm packages of `end2end/`) when it is missing, or the build
/// stops with what to run.
fn optimize(wasm: &Path) -> Result<()> {
    if wasm_opt().is_none() {
        ensure_npm_packages().context("release builds need binaryen's wasm-opt; install it with: cd end2end && npm ci")?;
    }
    let Some((program, number)) = wasm_opt() else {
        bail!("release builds need binaryen {MIN_WASM_OPT}+'s wasm-opt; install it with: cd end2end && npm ci (or put wasm-opt on PATH)");
    };
    println!("optimizing with {program} (binaryen {number})");
    run(Command::new(&program)
        .arg("-Oz")
        .arg("--enable-bulk-memory")
        .arg("--enable-nontrapping-float-to-int")
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// Total raw and gzip-compressed (level 9) size of `files`, as the network would carry them.
fn sizes(files: &[PathBuf]) -> Result<(usize, usize)> {
    let (mut raw, mut gzipped) = (0, 0);
    for file in files {
        let bytes = fs::read(file)?;
        raw += bytes.len();
        gzipped += gzip(&bytes)?.len();
    }
    Ok((raw, gzipped))
}

/// `bytes` compressed with gzip at its best level.
fn gzip(bytes: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?)
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

fn index_html(boot: &str, js: &str, wasm: &str, chunks: &[String], css: &str, icon: &str, member_states: &str) -> String {
    let chunk_preloads: String = chunks
        .iter()
        .map(|c| format!("<link rel=\"preload\" href=\"/{c}\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n"))
        .collect();
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
{chunk_preloads}<meta name="theme-color" content="#005a9c">
<meta name="rihub-member-states" content="/{member_states}">
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
    let mut files = files_under(dist)?;
    files.retain(|f| f != "/sw.js");
    let all = contents(dist, &files)?;
    let template = fs::read_to_string(root().join("app/static/sw.js"))?;
    Ok(template
        .replace("\"__VERSION__\"", &format!("\"{}\"", content_hash(&all)))
        .replace("[/* __FILES__ */]", &serde_json::to_string(&files)?))
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
