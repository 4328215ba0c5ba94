//! `cargo xtask dev`: the edit-and-look loop. Builds the app and the server, serves rihub with
//! demo data, and watches the sources: a change to the app rebuilds `dist/` (the open page
//! offers the new version, or takes it at the next reload); a change to the server or the
//! domain rebuilds both and restarts the server. A build that fails is reported and the
//! running server stays up until the next change builds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, SystemTime};

use anyhow::Result;

use crate::{build, util};

/// How often the sources are looked at.
const POLL: Duration = Duration::from_millis(400);
/// An editor saves several files at once: the build starts once they have stopped changing.
const SETTLE: Duration = Duration::from_millis(300);

/// What a change asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rebuild {
    App,
    Everything,
}

/// The watched folders, and what a change under each one needs.
fn watched() -> Vec<(PathBuf, Rebuild)> {
    let root = util::root();
    vec![
        (root.join("app"), Rebuild::App),
        (root.join("locales"), Rebuild::App),
        (root.join("domain/src"), Rebuild::Everything),
        (root.join("server/src"), Rebuild::Everything),
        (root.join("Cargo.toml"), Rebuild::Everything),
    ]
}

pub fn dev() -> Result<()> {
    let mut server = build_and_start(Rebuild::Everything, None)?;
    let mut seen = snapshot();
    println!("watching app/, locales/, domain/ and server/ for changes (Ctrl-C stops)");
    loop {
        std::thread::sleep(POLL);
        let now = snapshot();
        let Some(mut wanted) = changed(&seen, &now) else { continue };
        // Wait for the editor to finish saving.
        let mut settled = now;
        loop {
            std::thread::sleep(SETTLE);
            let again = snapshot();
            match changed(&settled, &again) {
                Some(more) => {
                    wanted = wanted.max(more);
                    settled = again;
                }
                None => break,
            }
        }
        seen = settled;
        println!("\nchanged: rebuilding {}", if wanted == Rebuild::App { "the app" } else { "the app and the server" });
        match build_and_start(wanted, server.take()) {
            Ok(next) => server = next,
            Err(e) => eprintln!("build failed, still serving the last build: {e:#}"),
        }
    }
}

/// Builds what `wanted` needs and (re)starts the server when it was rebuilt; the server
/// running before is kept when nothing about it changed, and stopped only once its
/// replacement has built.
fn build_and_start(wanted: Rebuild, running: Option<Child>) -> Result<Option<Child>> {
    build::build(false)?;
    if wanted == Rebuild::App && running.is_some() {
        return Ok(running);
    }
    util::run(util::cargo().args(["build", "-p", "rihub-server"]))?;
    if let Some(mut old) = running {
        let _ = old.kill();
        let _ = old.wait();
    }
    let server = Command::new(util::target_dir().join("debug/rihub-server")).args(["serve", "--demo"]).current_dir(util::root()).spawn()?;
    let address = std::env::var("RIHUB_BIND").unwrap_or_else(|_| "127.0.0.1:3000".into());
    println!("rihub is on http://{address} (demo logins in the README)");
    Ok(Some(server))
}

/// Every watched file with when it last changed.
fn snapshot() -> BTreeMap<PathBuf, (SystemTime, Rebuild)> {
    let mut files = BTreeMap::new();
    for (path, rebuild) in watched() {
        walk(&path, rebuild, &mut files);
    }
    files
}

fn walk(path: &Path, rebuild: Rebuild, files: &mut BTreeMap<PathBuf, (SystemTime, Rebuild)>) {
    let Ok(meta) = std::fs::metadata(path) else { return };
    if meta.is_file() {
        files.insert(path.to_path_buf(), (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), rebuild));
        return;
    }
    for entry in std::fs::read_dir(path).into_iter().flatten().flatten() {
        walk(&entry.path(), rebuild, files);
    }
}

/// What the changes between two snapshots need (a file added, removed or saved), if any.
fn changed(before: &BTreeMap<PathBuf, (SystemTime, Rebuild)>, after: &BTreeMap<PathBuf, (SystemTime, Rebuild)>) -> Option<Rebuild> {
    let added_or_saved = after.iter().filter(|(path, now)| before.get(*path) != Some(*now)).map(|(_, (_, r))| *r);
    let removed = before.iter().filter(|(path, _)| !after.contains_key(*path)).map(|(_, (_, r))| *r);
    added_or_saved.chain(removed).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, u64, Rebuild)]) -> BTreeMap<PathBuf, (SystemTime, Rebuild)> {
        entries.iter().map(|(p, t, r)| (PathBuf::from(p), (SystemTime::UNIX_EPOCH + Duration::from_secs(*t), *r))).collect()
    }

    #[test]
    fn a_change_asks_for_what_its_folder_needs() {
        let before = files(&[("app/src/a.rs", 1, Rebuild::App), ("server/src/b.rs", 1, Rebuild::Everything)]);
        assert_eq!(changed(&before, &before), None);
        let app_saved = files(&[("app/src/a.rs", 2, Rebuild::App), ("server/src/b.rs", 1, Rebuild::Everything)]);
        assert_eq!(changed(&before, &app_saved), Some(Rebuild::App));
        let server_removed = files(&[("app/src/a.rs", 2, Rebuild::App)]);
        assert_eq!(changed(&before, &server_removed), Some(Rebuild::Everything));
        let added =
            files(&[("app/src/a.rs", 1, Rebuild::App), ("server/src/b.rs", 1, Rebuild::Everything), ("app/src/c.rs", 1, Rebuild::App)]);
        assert_eq!(changed(&before, &added), Some(Rebuild::App));
    }
}
