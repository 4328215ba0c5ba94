//! What every handler shares.

use std::sync::Arc;

use crate::auth::rate_limit::LoginLimiter;
use crate::auth::resolved::Resolved;
use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The public origin (scheme://host[:port]) requests must come from.
    pub origin: Arc<str>,
    pub secure_cookies: bool,
    pub login_limiter: Arc<LoginLimiter>,
    /// Sessions resolved in the last moment, so that each request need not read them again.
    pub sessions: Arc<Resolved>,
    /// New changes, read and serialized once for every open socket.
    pub feed: crate::feed::Feed,
    pub presence: crate::presence::Presence,
    /// Similar records and possible duplicates, kept current from the change log.
    pub search: crate::search::Search,
}
