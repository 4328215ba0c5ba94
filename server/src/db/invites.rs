//! Named queries on the `invite` table: single-use, expiring invitation links.

use rihub_domain::role::Role;
use serde::Deserialize;
use serde_json::json;

use super::{Db, DbResult};

#[derive(Debug, Deserialize)]
pub struct InviteRow {
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub expires_at: i64,
    #[serde(default)]
    pub used_at: Option<i64>,
}

pub struct NewInvite<'a> {
    pub token_hash: &'a str,
    pub email: &'a str,
    pub name: &'a str,
    pub roles: &'a [Role],
    pub invited_by: &'a str,
    pub expires_at: i64,
}

pub async fn create(db: &Db, invite: NewInvite<'_>) -> DbResult<()> {
    db.run(
        "CREATE type::record('invite', $id) CONTENT { email: $email, name: $name, roles: $roles, invited_by: $by, expires_at: $expires }",
        json!({
            "id": invite.token_hash, "email": invite.email, "name": invite.name,
            "roles": invite.roles, "by": invite.invited_by, "expires": invite.expires_at,
        }),
    )
    .await?;
    Ok(())
}

pub async fn get(db: &Db, token_hash: &str) -> DbResult<Option<InviteRow>> {
    db.row("SELECT email, name, roles, expires_at, used_at FROM type::record('invite', $id)", json!({"id": token_hash})).await
}

/// Marks the invite used and creates its account in one transaction. Returns false when the
/// invite was already used (two tabs accepting the same link: only one account is made; the
/// transaction that lost the race is run again, and finds it used).
pub async fn redeem(db: &Db, token_hash: &str, user_id: &str, password_hash: &str, name: &str, now: i64) -> DbResult<bool> {
    let results = db
        .run_retrying(
            "BEGIN TRANSACTION;
             LET $inv = (SELECT * FROM ONLY type::record('invite', $id));
             IF $inv = NONE OR $inv.used_at != NONE OR $inv.expires_at < $now { THROW 'invite_unusable' };
             UPDATE type::record('invite', $id) SET used_at = $now;
             CREATE type::record('user', $uid) CONTENT { email: $inv.email, name: $name, password_hash: $hash, roles: $inv.roles, disabled: false, created_at: $now };
             RETURN true;
             COMMIT TRANSACTION;",
            json!({"id": token_hash, "uid": user_id, "hash": password_hash, "name": name, "now": now}),
        )
        .await;
    match results {
        Ok(_) => Ok(true),
        Err(super::DbError::Surreal(e)) if e.to_string().contains("invite_unusable") => Ok(false),
        Err(e) => Err(e),
    }
}
