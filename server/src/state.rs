//! What every handler shares.

use std::sync::Arc;

use crate::auth::rate_limit::LoginLimiter;
use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// The public origin (scheme://host[:port]) requests must come from.
    pub origin: Arc<str>,
    pub secure_cookies: bool,
    pub login_limiter: Arc<LoginLimiter>,
    /// The newest change number, announced whenever it grows (from this process's writes at
    /// once, and from other processes' through the head watcher).
    pub changes: tokio::sync::broadcast::Sender<u64>,
    pub presence: crate::presence::Presence,
}
