//! The standing abuse suite: every endpoint and the socket attacked as an outsider or a
//! mischievous user would, expecting only documented answers, no server error, and no write
//! for anything refused. Run with the other API tests (`cargo test -p rihub-server`).

mod endpoints;
mod random;
mod roles;
mod socket;

use reqwest::Response;
use serde_json::{Value, json};

use crate::support::*;

/// Every error code a client may get (`docs/sync-protocol.md`, "Errors").
pub const DOCUMENTED: &[&str] = &[
    "unauthenticated",
    "bad_credentials",
    "rate_limited",
    "too_many_sockets",
    "forbidden",
    "bad_origin",
    "not_found",
    "invalid",
    "invalid_body",
    "malformed_json",
    "bad_request",
    "bad_query",
    "bad_path",
    "too_large",
    "not_json",
    "exists",
    "stale_revision",
    "refused",
    "not_open",
    "not_closed",
    "closed",
    "last_admin",
    "self_disable",
    "invite_unusable",
    "too_many_mutations",
];

/// Fails unless `r` is a success, or a client error with a documented code; returns the status
/// and code.
pub async fn documented(r: Response, what: &str) -> (u16, Option<String>) {
    let status = r.status().as_u16();
    assert!(status < 500, "{what}: a server error {status}: {}", r.text().await.unwrap_or_default());
    if status < 400 {
        return (status, None);
    }
    let body: Value = r.json().await.unwrap_or_else(|e| panic!("{what}: a {status} without a JSON body: {e}"));
    let code = body["error"]["code"].as_str().unwrap_or_else(|| panic!("{what}: no error code in {body}")).to_string();
    assert!(DOCUMENTED.contains(&code.as_str()), "{what}: undocumented code {code}");
    (status, Some(code))
}

/// The records of every synced kind and the change log's head: what a refusal must not change.
pub async fn records(app: &TestApp) -> Value {
    let mut all = serde_json::Map::new();
    for table in ["initiative", "project", "consultation", "contribution", "submission", "report"] {
        let rows = app.state.db.run("SELECT * FROM type::table($t) ORDER BY id", json!({"t": table})).await.unwrap();
        all.insert(table.into(), rows.into_iter().next().unwrap_or(Value::Null));
    }
    let head = rihub_server::db::sync::head(&app.state.db).await.unwrap();
    all.insert("head".into(), json!(head));
    Value::Object(all)
}
