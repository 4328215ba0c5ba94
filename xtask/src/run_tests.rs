//! `cargo xtask test`: every test, installing what the browser tests need first.

use std::path::Path;
use std::process::Command;

use anyhow::{Result, bail};

use crate::build::build;
use crate::util::{cargo, ensure_npm_packages, is_root, root, run, target_dir};

const CHROMIUM: &str = "/usr/bin/chromium";
const APT_PACKAGES: [&str; 3] = ["chromium", "fonts-noto-core", "fonts-noto-cjk"];

/// Formatting and lints, as CI checks them before the tests: the native crates, and the app
/// as it is compiled, for wasm32.
pub fn lint() -> Result<()> {
    run(cargo().args(["fmt", "--all", "--check"]))?;
    run(cargo().args(["clippy", "--workspace", "--exclude", "rihub-app", "--all-targets", "--", "-D", "warnings"]))?;
    run(cargo().args(["clippy", "-p", "rihub-app", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]))
}

pub fn test_all() -> Result<()> {
    lint()?;
    // Unit tests (domain, server, xtask) and server integration tests on a real SurrealDB.
    run(cargo().args(["test", "--workspace", "--exclude", "rihub-app"]))?;
    let dist = build(false)?;
    // `cargo test` above built the server binary with the same features; building it again
    // with `-p rihub-server` alone would unify features differently and rebuild SurrealDB.
    let server = target_dir().join("debug").join("rihub-server");
    if !server.exists() {
        run(cargo().args(["build", "--workspace", "--exclude", "rihub-app", "--bins"]))?;
    }
    ensure_chromium()?;
    ensure_npm_packages()?;
    run(&mut playwright(&server, &dist))?;
    // What people download is the release build: compiled with its own options (`smallest_std`),
    // shrunk by wasm-opt, served compressed. The core flows run on it too.
    let dist = build(true)?;
    run(playwright(&server, &dist).args(RELEASE_SPECS).args(["--project", "desktop"]))
}

/// The browser tests run on the release build as well: loading, page chunks, offline, sync.
const RELEASE_SPECS: [&str; 2] = ["tests/foundation.spec.ts", "tests/sync.spec.ts"];

/// `npx playwright test` against `server` serving `dist`.
fn playwright(server: &Path, dist: &Path) -> Command {
    let mut playwright = Command::new("npx");
    playwright
        .args(["playwright", "test"])
        .current_dir(root().join("end2end"))
        .env("RIHUB_SERVER_BIN", server)
        .env("RIHUB_DIST", dist)
        .env("CHROMIUM_PATH", CHROMIUM);
    playwright
}

fn ensure_chromium() -> Result<()> {
    let fonts_present = Path::new("/usr/share/fonts/opentype/noto").exists();
    if Path::new(CHROMIUM).exists() && fonts_present {
        return Ok(());
    }
    let command = format!("apt-get update && apt-get install -y --no-install-recommends {}", APT_PACKAGES.join(" "));
    if !is_root() {
        bail!("Chromium or the Noto fonts are missing; install them with:\n  sudo sh -c '{command}'");
    }
    println!("installing {}", APT_PACKAGES.join(", "));
    run(Command::new("sh").args(["-c", &command]).env("DEBIAN_FRONTEND", "noninteractive"))
}
