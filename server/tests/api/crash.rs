//! The server process is killed (SIGKILL) in the middle of a push and started again on the same
//! database. The client, not knowing what was applied, sends its whole outbox again: every
//! mutation ends up applied exactly once, and nothing is lost.

use std::time::Duration;

use reqwest::Client;
use serde_json::{Value, json};

use crate::process::{ServerProcess, free_port};
use crate::support::COORD_AFR;

const CLIENT: &str = "crash-test-client";
const MUTATIONS: u64 = 300;

/// The outbox: one new project per mutation, so a second application would be refused as `exists`.
fn outbox() -> Vec<Value> {
    (1..=MUTATIONS)
        .map(|seq| {
            json!({"client": CLIENT, "seq": seq, "op": {"op": "create", "key": {"kind": "project", "id": format!("crash{seq}")},
                "fields": {"initiative": "wtdc22_afr1", "title": {"en": format!("Crash test {seq}")}, "status": "planned"}}})
        })
        .collect()
}

/// The sequence numbers of this client's mutations in the change log, in log order.
async fn logged(client: &Client, base: &str) -> Vec<u64> {
    let mut cursor = 0;
    let mut seqs = Vec::new();
    loop {
        let page: Value =
            client.get(format!("{base}/api/sync/pull?cursor={cursor}")).send().await.expect("pull").json().await.expect("json");
        let changes = page["changes"].as_array().cloned().unwrap_or_default();
        let Some(last) = changes.last() else { return seqs };
        cursor = last["seq"].as_u64().expect("seq");
        seqs.extend(changes.iter().filter(|c| c["client"] == CLIENT).filter_map(|c| c["client_seq"].as_u64()));
    }
}

async fn push_all(client: &Client, base: &str) -> Vec<Value> {
    let mut outcomes = Vec::new();
    for chunk in outbox().chunks(100) {
        let Ok(r) = client.post(format!("{base}/api/sync/push")).json(&json!({"mutations": chunk})).send().await else { break };
        let Ok(body) = r.json::<Value>().await else { break };
        outcomes.extend(body["results"].as_array().cloned().unwrap_or_default().into_iter().map(|r| r["outcome"].clone()));
    }
    outcomes
}

#[tokio::test]
async fn a_server_killed_in_the_middle_of_a_push_loses_nothing_and_applies_nothing_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("rihub.db");
    let port = free_port();
    let mut server = ServerProcess::start(&format!("surrealkv://{}", db.display()), port).await;
    let client = server.login(COORD_AFR).await;

    // Push in the background; kill the server as soon as the first mutation is in the log.
    let pushing = tokio::spawn({
        let (client, base) = (client.clone(), server.base.clone());
        async move { push_all(&client, &base).await }
    });
    let watcher = server.login(COORD_AFR).await;
    while logged(&watcher, &server.base).await.is_empty() {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.kill();
    let acknowledged = pushing.await.expect("push task").len() as u64;
    assert!(acknowledged < MUTATIONS, "the kill must interrupt the push ({acknowledged} acknowledged)");

    let server = ServerProcess::start(&format!("surrealkv://{}", db.display()), port).await;
    let client = server.login(COORD_AFR).await;
    let before_retry = logged(&client, &server.base).await;
    assert!(!before_retry.is_empty() && (before_retry.len() as u64) < MUTATIONS, "applied before the kill: {}", before_retry.len());

    // The client sends everything again: what was applied is acknowledged, the rest applied.
    let outcomes = push_all(&client, &server.base).await;
    assert_eq!(outcomes.len() as u64, MUTATIONS);
    let duplicates = outcomes.iter().filter(|o| *o == "duplicate").count();
    let applied = outcomes.iter().filter(|o| o.get("applied").is_some()).count();
    assert_eq!((duplicates, applied), (before_retry.len(), MUTATIONS as usize - before_retry.len()), "{outcomes:?}");

    let after = logged(&client, &server.base).await;
    assert_eq!(after, (1..=MUTATIONS).collect::<Vec<_>>(), "each mutation in the log once, in order");
}
