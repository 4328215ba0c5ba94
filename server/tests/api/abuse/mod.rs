//! The standing abuse suite: every endpoint and the socket attacked as an outsider or a
//! mischievous user would, expecting only documented answers, no server error, and no write
//! for anything refused. Run with the other API tests (`cargo test -p rihub-server`).

mod endpoints;
mod random;
mod roles;
mod socket;

use reqwest::Response;
use rihub_domain::error_code::ErrorCode;
use serde_json::{Value, json};

use crate::support::*;

/// Whether `code` is one of the codes a client may get (`ErrorCode`, which
/// `docs/sync-protocol.md`, "Errors", lists in full).
pub fn is_documented(code: &str) -> bool {
    ErrorCode::ALL.iter().any(|c| c.as_str() == code)
}

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
    assert!(is_documented(&code), "{what}: undocumented code {code}");
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
