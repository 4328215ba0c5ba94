//! Server configuration, from flags and `RIHUB_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::clock::Clock;
use crate::db::{self, Db, DbResult};
use crate::limits::Ceilings;

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
    #[command(flatten)]
    pub sessions: SessionPolicy,
    #[command(flatten)]
    pub ceilings: Ceilings,
    /// Addresses of reverse proxies (IPs or CIDR ranges, comma-separated) whose
    /// `X-Forwarded-For` names the client; from anyone else the header is ignored.
    #[arg(long, env = "RIHUB_TRUSTED_PROXIES", value_delimiter = ',', value_parser = parse_network)]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The server's clock: the system's, or one that tests move.
    #[arg(skip)]
    pub clock: Clock,
}

/// How long sessions last.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct SessionPolicy {
    /// Days after which a session that has not been used ends.
    #[arg(long = "session-idle-days", env = "RIHUB_SESSION_IDLE_DAYS", default_value_t = 14)]
    pub idle_days: u32,
    /// Days after sign-in at which a session ends, used or not.
    #[arg(long = "session-max-days", env = "RIHUB_SESSION_MAX_DAYS", default_value_t = 30)]
    pub max_days: u32,
}

impl Default for SessionPolicy {
    fn default() -> SessionPolicy {
        SessionPolicy { idle_days: 14, max_days: 30 }
    }
}

impl SessionPolicy {
    /// When a session signed in at `created_at` and last used at `last_used_at` ends.
    pub fn expires_at(&self, created_at: i64, last_used_at: i64) -> i64 {
        let day = 24 * 3600;
        (last_used_at + i64::from(self.idle_days) * day).min(created_at + i64::from(self.max_days) * day)
    }
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
            sessions: SessionPolicy::default(),
            ceilings: Ceilings::default(),
            trusted_proxies: Vec::new(),
            clock: Clock::system(),
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
    pub async fn open(&self, clock: Clock) -> DbResult<Db> {
        let db = self.connect(clock).await?;
        db::migrate::migrate(&db).await?;
        Ok(db)
    }

    /// Connects, leaving the schema as it is.
    pub async fn connect(&self, clock: Clock) -> DbResult<Db> {
        let credentials = match (&self.user, &self.pass) {
            (Some(u), Some(p)) => Some(db::Credentials { username: u.clone(), password: p.clone() }),
            _ => None,
        };
        Db::connect(&self.url, credentials, clock).await
    }

    /// Where an embedded database on disk keeps its files (`surrealkv://path`).
    pub fn embedded_path(&self) -> Option<&std::path::Path> {
        self.url.strip_prefix("surrealkv://").map(std::path::Path::new)
    }
}

/// An address range (`10.0.0.0/8`) or one address (`10.0.0.1`).
fn parse_network(s: &str) -> Result<ipnet::IpNet, String> {
    let s = s.trim();
    s.parse::<ipnet::IpNet>()
        .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("{s:?} is neither an IP address nor a CIDR range"))
}
