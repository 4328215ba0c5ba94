//! Server configuration, from flags and `RIHUB_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything `launch` needs to know. Tests build one directly.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Database URL: surrealkv://path (embedded), mem:// (in memory) or ws://host:port.
    #[arg(long, env = "RIHUB_DATABASE_URL", default_value = "surrealkv://data/rihub.db")]
    pub database_url: String,
    /// User for a ws:// database server (embedded engines need none).
    #[arg(long, env = "RIHUB_DATABASE_USER")]
    pub database_user: Option<String>,
    /// Password for a ws:// database server.
    #[arg(long, env = "RIHUB_DATABASE_PASS", hide_env_values = true)]
    pub database_pass: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "RIHUB_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,
    /// The origin users reach the app at (scheme://host[:port]); used for the Secure cookie
    /// flag, Origin checks and invitation links. Defaults to http://<bind>.
    #[arg(long, env = "RIHUB_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,
    /// Directory of the built app (written by `cargo xtask build`).
    #[arg(long, env = "RIHUB_DIST", default_value = "dist")]
    pub dist: PathBuf,
    /// Load demo data and demo users (known passwords) if the database has no initiatives.
    #[arg(long, env = "RIHUB_DEMO")]
    pub demo: bool,
}

impl Config {
    /// A configuration for tests and tools: in-memory database, no dist, no demo.
    pub fn for_tests() -> Config {
        Config {
            database_url: "mem://".into(),
            database_user: None,
            database_pass: None,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_origin: None,
            dist: PathBuf::from("dist"),
            demo: false,
        }
    }
}
