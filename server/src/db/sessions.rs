//! Named queries on the `session` table. Sessions are keyed by the SHA-256 of their token.

use serde::Deserialize;
use serde_json::json;

use super::{Db, DbResult};

#[derive(Debug, Deserialize)]
pub struct SessionRow {
    pub user: String,
    pub expires_at: i64,
}

pub async fn create(db: &Db, token_hash: &str, user: &str, now: i64, expires_at: i64) -> DbResult<()> {
    db.run(
        "CREATE type::record('session', $id) CONTENT { user: $user, created_at: $now, expires_at: $expires }",
        json!({"id": token_hash, "user": user, "now": now, "expires": expires_at}),
    )
    .await?;
    Ok(())
}

pub async fn get(db: &Db, token_hash: &str) -> DbResult<Option<SessionRow>> {
    db.row("SELECT user, expires_at FROM type::record('session', $id)", json!({"id": token_hash})).await
}

pub async fn extend(db: &Db, token_hash: &str, expires_at: i64) -> DbResult<()> {
    db.run(
        "UPDATE type::record('session', $id) SET expires_at = $expires",
        json!({"id": token_hash, "expires": expires_at}),
    )
    .await?;
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> DbResult<()> {
    db.run("DELETE type::record('session', $id)", json!({"id": token_hash})).await?;
    Ok(())
}

/// Removes expired sessions; run now and then so the table does not grow forever.
pub async fn delete_expired(db: &Db, now: i64) -> DbResult<()> {
    db.run("DELETE session WHERE expires_at < $now", json!({"now": now})).await?;
    Ok(())
}
