//! Named queries on the `session` table. Sessions are keyed by the SHA-256 of their token.
//! Ending a session, or every session of a user, appends to the revocation log in the same
//! transaction (`super::revocations`).

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::revocations::APPEND;
use super::{Db, DbResult};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionRow {
    /// The SHA-256 of the token (never the token).
    pub id: String,
    pub user: String,
    pub created_at: i64,
    /// When it was last used (counted at most once an hour); sign-in time before any use.
    pub last_used_at: i64,
    pub expires_at: i64,
}

const FIELDS: &str = "record::id(id) AS id, user, created_at, last_used_at ?? created_at AS last_used_at, expires_at";

/// Creates a session for `user` and ends their oldest ones beyond `keep` live sessions.
pub async fn create(db: &Db, token_hash: &str, user: &str, expires_at: i64, keep: usize) -> DbResult<()> {
    let sql = format!(
        "BEGIN TRANSACTION;
         CREATE type::record('session', $id) CONTENT {{ user: $user, created_at: $now, last_used_at: $now, expires_at: $expires }} RETURN NONE;
         LET $over = (SELECT VALUE id FROM session WHERE user = $user ORDER BY created_at DESC, id DESC START $keep);
         FOR $s IN $over {{
             DELETE $s;
             LET $rv_user = $user;
             LET $rv_session = record::id($s);
             {APPEND}
         }};
         COMMIT TRANSACTION;"
    );
    db.run_retrying(&sql, json!({"id": token_hash, "user": user, "now": db.now(), "expires": expires_at, "keep": keep})).await?;
    Ok(())
}

pub async fn get(db: &Db, token_hash: &str) -> DbResult<Option<SessionRow>> {
    db.row(&format!("SELECT {FIELDS} FROM type::record('session', $id)"), json!({"id": token_hash})).await
}

/// The live and expired sessions of a user, newest first.
pub async fn of_user(db: &Db, user: &str) -> DbResult<Vec<SessionRow>> {
    db.rows(&format!("SELECT {FIELDS} FROM session WHERE user = $user ORDER BY created_at DESC"), json!({"user": user})).await
}

/// Records a use of the session now, and its expiry after it.
pub async fn touch(db: &Db, token_hash: &str, expires_at: i64) -> DbResult<()> {
    db.run(
        "UPDATE type::record('session', $id) SET last_used_at = $now, expires_at = $expires",
        json!({"id": token_hash, "now": db.now(), "expires": expires_at}),
    )
    .await?;
    Ok(())
}

/// Ends one session (signed out, or found expired).
pub async fn delete(db: &Db, token_hash: &str) -> DbResult<()> {
    let sql = format!(
        "BEGIN TRANSACTION;
         LET $s = (SELECT VALUE user FROM ONLY type::record('session', $id));
         IF $s != NONE {{
             DELETE type::record('session', $id);
             LET $rv_user = $s;
             LET $rv_session = $id;
             {APPEND}
         }};
         COMMIT TRANSACTION;"
    );
    db.run_retrying(&sql, json!({"id": token_hash, "now": db.now()})).await?;
    Ok(())
}

/// Ends every session of `user`; returns how many there were.
pub async fn delete_of_user(db: &Db, user: &str) -> DbResult<usize> {
    let sql = format!(
        "BEGIN TRANSACTION;
         LET $ended = (DELETE session WHERE user = $user RETURN BEFORE);
         LET $rv_user = $user;
         LET $rv_session = NONE;
         {APPEND}
         RETURN array::len($ended);
         COMMIT TRANSACTION;"
    );
    let results = db.run_retrying(&sql, json!({"user": user, "now": db.now()})).await?;
    Ok(results.iter().rev().find_map(serde_json::Value::as_u64).unwrap_or(0) as usize)
}

/// Removes expired sessions; run now and then so the table does not grow forever. Nothing
/// else needs telling: every process and socket checks a session's expiry itself.
pub async fn delete_expired(db: &Db) -> DbResult<()> {
    db.run("DELETE session WHERE expires_at < $now", json!({"now": db.now()})).await?;
    Ok(())
}
