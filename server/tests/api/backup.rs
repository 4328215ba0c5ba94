//! The command line beside a running server on the embedded database: its sessions listed and
//! ended, and a backup taken while it runs that restores into a fresh database identical,
//! record for record, in every table.

use std::path::Path;
use std::process::Command;

use reqwest::{Client, StatusCode};
use rihub_server::clock::Clock;
use rihub_server::config::DatabaseConfig;
use serde_json::{Value, json};

use crate::process::{BIN, ServerProcess, free_port};
use crate::support::*;

/// Pushes one mutation as `client`; returns its outcome.
async fn push_one(server: &ServerProcess, client: &Client, mutation: Value) -> Value {
    let r = client.post(format!("{}/api/sync/push", server.base)).json(&json!({"mutations": [mutation]})).send().await.unwrap();
    let body: Value = r.json().await.unwrap();
    body["results"][0]["outcome"].clone()
}

/// Runs the command line; returns what it printed, failing on a non-zero exit.
fn cli(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).env("RIHUB_LOG", "error").output().expect("run rihub-server");
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn create(client: &str, kind: &str, id: &str, fields: Value) -> Value {
    json!({"client": client, "seq": 1, "op": {"op": "create", "key": {"kind": kind, "id": id}, "fields": fields}})
}

/// Records of every kind, and rows of every other table: sessions, an invitation, a refusal, a
/// revocation, sign-in counts.
async fn fill(server: &ServerProcess) {
    let now = chrono::Utc::now().timestamp();
    let coordinator = server.login(COORD_AFR).await;
    let consultation = json!({"region": "AFR", "title": {"en": "t"}, "opens_at": now - 60, "closes_at": now + 3600, "time_zone": "UTC", "initiatives": ["wtdc22_afr1"]});
    assert!(push_one(server, &coordinator, create("coord", "consultation", "afr_b", consultation)).await.get("applied").is_some());
    let delegate = server.login(DELEGATE).await;
    let answers = json!({"consultation": "afr_b", "member_state": "KE", "ranking": ["wtdc22_afr1"]});
    assert!(push_one(server, &delegate, create("ke", "contribution", "afr_b_ke", answers.clone())).await.get("applied").is_some());
    let submit =
        json!({"client": "ke", "seq": 2, "op": {"op": "submit", "key": {"kind": "submission", "id": "afr_b_ke"}, "content": answers}});
    assert!(push_one(server, &delegate, submit).await.get("applied").is_some());
    let log: Value = coordinator.get(format!("{}/api/sync/pull?cursor=0", server.base)).send().await.unwrap().json().await.unwrap();
    // The demo projects are Asia-Pacific's.
    let project =
        log["changes"].as_array().unwrap().iter().find(|c| c["key"]["kind"] == "project").expect("a project")["key"]["id"].clone();
    let report = json!({"project": project, "title": {"en": "What we learned"}});
    let asia = server.login(COORD_ASP).await;
    let outcome = push_one(
        server,
        &asia,
        json!({"client": "asp", "seq": 1, "op": {"op": "create", "key": {"kind": "report", "id": "learned"}, "fields": report}}),
    )
    .await;
    assert!(outcome.get("applied").is_some(), "{outcome}");
    let refused = push_one(
        server,
        &delegate,
        json!({"client": "ke", "seq": 3, "op": {"op": "delete", "key": {"kind": "initiative", "id": "wtdc22_afr1"}}}),
    )
    .await;
    assert_eq!(refused, json!({"refused": {"code": "forbidden"}}));
    let admin = server.login(ADMIN).await;
    let invite = json!({"email": "new@rihub.example", "name": "New", "roles": [{"kind": "observer"}]});
    assert!(admin.post(format!("{}/api/admin/invites", server.base)).json(&invite).send().await.unwrap().status().is_success());
    let wrong = Client::new()
        .post(format!("{}/api/auth/login", server.base))
        .json(&json!({"email": PARTNER, "password": "wrong-wrong"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let leaving = server.login(OBSERVER).await;
    assert!(leaving.post(format!("{}/api/auth/logout", server.base)).send().await.unwrap().status().is_success());
}

/// Every table of the database at `url`, each with its rows in order of their ids.
async fn dump(url: &str) -> Vec<(String, Value)> {
    let db = DatabaseConfig { url: url.into(), user: None, pass: None }.connect(Clock::system()).await.unwrap();
    let mut tables = db.tables().await.unwrap();
    tables.sort();
    let mut all = Vec::new();
    for table in tables {
        let rows = db.run("SELECT * FROM type::table($t) ORDER BY id", json!({"t": table})).await.unwrap();
        all.push((table, rows.into_iter().next().unwrap_or(Value::Null)));
    }
    all
}

#[tokio::test]
async fn a_backup_taken_while_the_server_runs_restores_every_record_identically() {
    let (_dir, path) = temp_dir();
    let original = format!("surrealkv://{}", path.join("live.db").display());
    let restored = format!("surrealkv://{}", path.join("restored.db").display());
    let backup = path.join("backup.surql");
    let server = ServerProcess::start(&original, free_port()).await;
    fill(&server).await;

    cli(&["backup", "--database-url", &original, "--out", backup.to_str().unwrap()]);
    server.stop();
    assert!(!Path::new(&format!("{}.admin.json", path.join("live.db").display())).exists(), "the channel goes with the server");
    cli(&["restore", "--database-url", &restored, "--from", backup.to_str().unwrap()]);
    let again = Command::new(BIN).args(["restore", "--database-url", &restored, "--from", backup.to_str().unwrap()]).output().unwrap();
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("not empty"), "never over a database with records");

    let (before, after) = (dump(&original).await, dump(&restored).await);
    let names: Vec<&str> = before.iter().map(|(t, _)| t.as_str()).collect();
    for table in [
        "initiative",
        "project",
        "consultation",
        "contribution",
        "submission",
        "report",
        "change",
        "user",
        "session",
        "invite",
        "sync_client",
        "sync_refusal",
        "revocation",
        "login_throttle",
        "migration",
        "counter",
    ] {
        let rows = before.iter().find(|(t, _)| t == table).map(|(_, r)| r.as_array().map_or(0, Vec::len));
        assert!(rows.is_some_and(|n| n > 0), "{table} has rows to compare (tables: {names:?})");
    }
    assert_eq!(before.len(), after.len());
    for ((table, rows), (_, restored_rows)) in before.iter().zip(&after) {
        assert_eq!(rows, restored_rows, "table {table}");
    }
}

#[tokio::test]
async fn the_command_line_lists_and_ends_a_users_sessions_while_the_server_runs() {
    let (_dir, path) = temp_dir();
    let url = format!("surrealkv://{}", path.join("live.db").display());
    let server = ServerProcess::start(&url, free_port()).await;
    let phone = server.login(DELEGATE).await;
    let laptop = server.login(DELEGATE).await;

    let listed = cli(&["user", "--database-url", &url, "sessions", "--email", DELEGATE]);
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains("signed in") && listed.contains("ends"), "{listed}");
    let ended = cli(&["user", "--database-url", &url, "sign-out", "--email", DELEGATE]);
    assert!(ended.starts_with("2 session(s)"), "{ended}");
    for device in [phone, laptop] {
        let me = device.get(format!("{}/api/me", server.base)).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
    }
    // Without the token the channel answers nothing.
    let r = Client::new().post(format!("{}/api/admin/local/user", server.base)).json(&json!("list")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
