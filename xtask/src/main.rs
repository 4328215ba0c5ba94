//! `cargo xtask …`: build the browser app, run rihub, run every test.
//!
//! - `build [--release]`: compiles `app/` to wasm32, runs wasm-bindgen (this crate links the
//!   same wasm-bindgen version as the app, through one lockfile), and writes `dist/` with
//!   content-hashed file names.
//! - `run [--release]`: `build`, then the server with demo data on http://127.0.0.1:3000.
//! - `dev`: `run`, rebuilding the app and restarting the server whenever a source changes.
//! - `lint`: `cargo fmt --check` and clippy with `-D warnings` (native, and the app on wasm32).
//! - `test`: `lint`, unit and server tests, then the Playwright suite in Debian's Chromium, and
//!   its core flows again on the release build of the app, installing what is missing first.
//! - `bench-sync [--clients N …]`: the sync load tool (`bench/`) against a release server; with
//!   no options it runs with 100 and then 1,000 clients.

mod build;
mod dev;
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
        Some("dev") => dev::dev(),
        Some("lint") => run_tests::lint(),
        Some("test") => run_tests::test_all(),
        Some("bench-sync") => bench_sync(&args[1..]),
        _ => bail!(
            "usage: cargo xtask build [--release] | run [--release] | dev | lint | test | bench-sync [--clients N] [--writers W] [--edits E] [--missed M]"
        ),
    }
}

fn bench_sync(options: &[String]) -> Result<()> {
    util::run(util::cargo().args(["build", "--release", "-p", "rihub-server", "-p", "rihub-bench"]))?;
    let bench = util::target_dir().join("release/rihub-bench");
    let runs: Vec<Vec<String>> = if options.is_empty() {
        ["100", "1000"].iter().map(|n| vec!["--clients".to_string(), n.to_string()]).collect()
    } else {
        vec![options.to_vec()]
    };
    for run in runs {
        util::run(std::process::Command::new(&bench).args(run))?;
    }
    Ok(())
}
