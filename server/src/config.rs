//! Server configuration, from flags and `RIHUB_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::db::{self, Db, DbResult};

/// Everything `launch` needs to know. Tests build one directly.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    #[command(flatten)]
    pub database: DatabaseConfig,
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
            database: DatabaseConfig::in_memory(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            public_origin: None,
            dist: PathBuf::from("dist"),
            demo: false,
        }
    }
}

/// Where the database is, shared by `serve` and the `user` commands.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseConfig {
    /// Database URL: surrealkv://path (embedded), mem:// (in memory) or ws://host:port.
    #[arg(long = "database-url", env = "RIHUB_DATABASE_URL", default_value = "surrealkv://data/rihub.db")]
    pub url: String,
    /// User for a ws:// database server (embedded engines need none).
    #[arg(long = "database-user", env = "RIHUB_DATABASE_USER")]
    pub user: Option<String>,
    /// Password for a ws:// database server.
    #[arg(long = "database-pass", env = "RIHUB_DATABASE_PASS", hide_env_values = true)]
    pub pass: Option<String>,
}

impl DatabaseConfig {
    pub fn in_memory() -> DatabaseConfig {
        DatabaseConfig { url: "mem://".into(), user: None, pass: None }
    }

    /// Connects and brings the schema up to date.
    pub async fn open(&self) -> DbResult<Db> {
        let credentials = match (&self.user, &self.pass) {
            (Some(u), Some(p)) => Some(db::Credentials { username: u.clone(), password: p.clone() }),
            _ => None,
        };
        let db = Db::connect(&self.url, credentials).await?;
        db::migrate::migrate(&db).await?;
        Ok(db)
    }
}
