//! `cargo xtask …`: build the browser app, run rihub, run every test.
//!
//! - `build [--release]`: compiles `app/` to wasm32, runs wasm-bindgen (this crate links the
//!   same wasm-bindgen version as the app, through one lockfile), and writes `dist/` with
//!   content-hashed file names.
//! - `run [--release]`: `build`, then the server with demo data on http://127.0.0.1:3000.
//! - `test`: unit and server tests, then the Playwright suite in Debian's Chromium, installing
//!   what is missing first.

mod build;
mod run_tests;
mod util;

use anyhow::{Result, bail};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let release = args.iter().any(|a| a == "--release");
    match args.first().map(String::as_str) {
        Some("build") => build::build(release).map(|_| ()),
        Some("run") => {
            build::build(release)?;
            let mut cmd = util::cargo();
            cmd.args(["run", "-p", "rihub-server"]);
            if release {
                cmd.arg("--release");
            }
            cmd.args(["--", "serve", "--demo"]);
            util::run(&mut cmd)
        }
        Some("test") => run_tests::test_all(),
        _ => bail!("usage: cargo xtask build [--release] | run [--release] | test"),
    }
}
