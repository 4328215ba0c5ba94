//! Paths and process helpers shared by the tasks.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The workspace root (the parent of this crate). Read from the environment `cargo run` sets,
/// not baked in at compile time: a target directory shared by several checkouts may hold an
/// xtask binary compiled for another one.
pub fn root() -> PathBuf {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    manifest.parent().map(PathBuf::from).unwrap_or_default()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

/// Runs `cmd`, failing with its command line when it fails.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("cannot start {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

/// Whether `program` runs (`program --version` exits successfully).
pub fn available(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Installs the npm packages of `end2end/` if any is missing: Playwright for the browser tests,
/// and binaryen, whose `wasm-opt` shrinks release builds.
pub fn ensure_npm_packages() -> Result<()> {
    if !available("npm") {
        bail!("npm is missing; install Node.js 20+ (Debian: apt-get install nodejs npm)");
    }
    let e2e = root().join("end2end");
    let manifest: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(e2e.join("package.json"))?)?;
    let wanted = manifest["devDependencies"].as_object().cloned().unwrap_or_default();
    if wanted.keys().all(|name| e2e.join("node_modules").join(name).exists()) {
        return Ok(());
    }
    let verb = if e2e.join("package-lock.json").exists() { "ci" } else { "install" };
    run(Command::new("npm").args([verb, "--no-audit", "--no-fund"]).current_dir(&e2e).env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}
