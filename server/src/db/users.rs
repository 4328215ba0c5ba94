//! Named queries on the `user` table.

use rihub_domain::role::Role;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::revocations::APPEND;
use super::{Db, DbResult, random_id};

/// A stored account. The password hash never leaves the server.
#[derive(Debug, Clone, Deserialize)]
pub struct UserRow {
    pub id: String,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub disabled: bool,
    #[serde(default)]
    pub lang: Option<String>,
    pub roles: Vec<Role>,
}

/// What the API shows of an account.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UserView {
    pub id: String,
    pub email: String,
    pub name: String,
    pub disabled: bool,
    pub roles: Vec<Role>,
}

impl From<UserRow> for UserView {
    fn from(u: UserRow) -> UserView {
        UserView { id: u.id, email: u.email, name: u.name, disabled: u.disabled, roles: u.roles }
    }
}

const FIELDS: &str = "record::id(id) AS id, email, name, password_hash, disabled, lang, roles";

/// The longest email address there can be (RFC 5321).
pub const MAX_EMAIL: usize = 254;

/// Emails are compared case-insensitively: they are stored trimmed and lower-cased.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub roles: &'a [Role],
}

pub async fn create(db: &Db, user: NewUser<'_>) -> DbResult<String> {
    let id = random_id();
    db.run(
        "CREATE type::record('user', $id) CONTENT { email: $email, name: $name, password_hash: $hash, roles: $roles, disabled: false, created_at: $now }",
        json!({
            "id": id, "email": normalize_email(user.email), "name": user.name.trim(),
            "hash": user.password_hash, "roles": user.roles, "now": db.now(),
        }),
    )
    .await?;
    Ok(id)
}

pub async fn by_email(db: &Db, email: &str) -> DbResult<Option<UserRow>> {
    db.row(&format!("SELECT {FIELDS} FROM user WHERE email = $email LIMIT 1"), json!({"email": normalize_email(email)})).await
}

pub async fn by_id(db: &Db, id: &str) -> DbResult<Option<UserRow>> {
    db.row(&format!("SELECT {FIELDS} FROM type::record('user', $id)"), json!({"id": id})).await
}

pub async fn list(db: &Db) -> DbResult<Vec<UserView>> {
    let rows: Vec<UserRow> = db.rows(&format!("SELECT {FIELDS} FROM user ORDER BY email"), json!({})).await?;
    Ok(rows.into_iter().map(UserView::from).collect())
}

/// Replaces a user's roles; returns false when there is no such user. Every process re-reads
/// the user's sessions and re-scopes their sockets (the revocation log).
pub async fn set_roles(db: &Db, id: &str, roles: &[Role]) -> DbResult<bool> {
    let sql = format!(
        "BEGIN TRANSACTION;
         LET $u = (UPDATE type::record('user', $id) SET roles = $roles RETURN record::id(id) AS id);
         IF array::len($u) > 0 {{ LET $rv_user = $id; LET $rv_session = NONE; {APPEND} }};
         RETURN $u;
         COMMIT TRANSACTION;"
    );
    updated(db.run_retrying(&sql, json!({"id": id, "roles": roles, "now": db.now()})).await?)
}

/// Disables (or re-enables) an account; disabling also ends its sessions everywhere.
pub async fn set_disabled(db: &Db, id: &str, disabled: bool) -> DbResult<bool> {
    let sql = format!(
        "BEGIN TRANSACTION;
         LET $u = (UPDATE type::record('user', $id) SET disabled = $disabled RETURN record::id(id) AS id);
         IF $disabled AND array::len($u) > 0 {{ DELETE session WHERE user = $id; LET $rv_user = $id; LET $rv_session = NONE; {APPEND} }};
         RETURN $u;
         COMMIT TRANSACTION;"
    );
    updated(db.run_retrying(&sql, json!({"id": id, "disabled": disabled, "now": db.now()})).await?)
}

/// Whether a transaction that `RETURN`s the updated rows updated one. Statement results include
/// the transaction's own; the RETURN's is the only non-empty array.
fn updated(results: Vec<serde_json::Value>) -> DbResult<bool> {
    Ok(results.iter().any(|v| v.as_array().is_some_and(|a| !a.is_empty())))
}

pub async fn set_lang(db: &Db, id: &str, lang: &str) -> DbResult<()> {
    db.run("UPDATE type::record('user', $id) SET lang = $lang", json!({"id": id, "lang": lang})).await?;
    Ok(())
}

/// Whether any enabled account holds the admin role (to warn an operator who has none).
pub async fn has_admin(db: &Db) -> DbResult<bool> {
    let rows: Vec<serde_json::Value> =
        db.rows("SELECT email FROM user WHERE disabled = false AND roles.*.kind CONTAINS 'admin' LIMIT 1", json!({})).await?;
    Ok(!rows.is_empty())
}
