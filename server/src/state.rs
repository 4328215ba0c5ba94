//! What every handler shares.

use std::sync::Arc;

use crate::auth::resolved::Resolved;
use crate::auth::revocations::Revocations;
use crate::auth::session::{SessionState, Sessions};
use crate::config::SessionPolicy;
use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    /// The database, and the server's clock (`db.now()`, `db.clock()`).
    pub db: Db,
    /// The public origin (scheme://host[:port]) requests must come from.
    pub origin: Arc<str>,
    pub secure_cookies: bool,
    pub session_policy: SessionPolicy,
    /// The SHA-256 of the token of the command line's channel (`crate::local_admin`), once open.
    pub admin_token: Arc<std::sync::OnceLock<String>>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
    /// Ceilings per session and per user on sockets and pushes.
    pub limits: crate::limits::Limits,
    /// Sessions resolved in the last moment, so that each request need not read them again.
    pub sessions: Arc<Resolved>,
    /// Sessions and accounts whose access ended or changed, from every process.
    pub revocations: Revocations,
    /// New changes, read and serialized once for every open socket.
    pub feed: crate::sync::feed::Feed,
    pub presence: crate::sync::presence::Presence,
    /// Similar records and possible duplicates, kept current from the change log.
    pub search: crate::search::Search,
}

impl SessionState for AppState {
    fn origin(&self) -> &str {
        &self.origin
    }

    fn sessions(&self) -> Sessions<'_> {
        Sessions { db: &self.db, resolved: &self.sessions, policy: self.session_policy }
    }
}
