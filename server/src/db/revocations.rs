//! Named queries on the `revocation` log: every ended session and every account whose access
//! changed (disabled, roles changed, signed out everywhere), numbered by `counter:revocation`.
//! Each server process reads the entries after the last it has seen, so a sign-out through one
//! process closes the sockets of every other (`crate::auth::revocations`).

use serde::Deserialize;
use serde_json::json;

use super::{Db, DbResult};

/// SurrealQL that appends an entry for user `$rv_user` and session `$rv_session` (NONE: every
/// session of the user) at `$now`, inside the caller's transaction. The counter makes
/// concurrent appends conflict, so one of them retries: the log has no gaps.
pub const APPEND: &str = "LET $rv_n = (UPSERT ONLY counter:revocation SET value = (value ?? 0) + 1 RETURN VALUE value);
    CREATE type::record('revocation', $rv_n) CONTENT { user: $rv_user, session: $rv_session, at: $now } RETURN NONE;";

/// One entry: `session` is the SHA-256 of the token, or None for every session of `user`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Revocation {
    pub seq: u64,
    pub user: String,
    #[serde(default)]
    pub session: Option<String>,
}

/// The number of the newest entry (0 before the first).
pub async fn head(db: &Db) -> DbResult<u64> {
    Ok(db.row::<u64>("RETURN (SELECT VALUE value FROM ONLY counter:revocation) ?? 0", json!({})).await?.unwrap_or(0))
}

/// The entries after `seen`, oldest first.
pub async fn after(db: &Db, seen: u64) -> DbResult<Vec<Revocation>> {
    db.rows(
        "SELECT record::id(id) AS seq, user, session FROM type::record('revocation', $from..)",
        json!({"from": super::sync::first_after(seen)}),
    )
    .await
}

/// Forgets entries older than `before` (seconds since the epoch): a process that starts reads
/// from the newest, and a running one reads every few hundred milliseconds.
pub async fn prune(db: &Db, before: i64) -> DbResult<()> {
    db.run("DELETE revocation WHERE at < $before", json!({"before": before})).await?;
    Ok(())
}
