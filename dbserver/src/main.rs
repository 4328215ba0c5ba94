//! A standalone SurrealDB server: SurrealDB's own server, built from the `surrealdb-server`
//! crate, so several rihub processes can share one database over `ws://` without installing
//! anything. It takes SurrealDB's own command line, for example
//! `rihub-dbserver start --bind 127.0.0.1:8000 --user root --pass root memory`.

use std::process::ExitCode;

fn main() -> ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
