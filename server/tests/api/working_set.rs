//! Working sets (protocol v4): a device gets its regions' records whole, a summary of the
//! others, and a record whole once it opens it.

use std::collections::BTreeMap;

use rihub_domain::sync::change::Change;
use rihub_domain::sync::record::SyncedRecord;
use rihub_domain::sync::wire::PROTOCOL;
use serde_json::{Value, json};

use crate::support::*;
use crate::ws::*;

fn project(seq: u64, id: &str, initiative: &str) -> Value {
    json!({"client": "ws", "seq": seq, "op": {"op": "create", "key": {"kind": "project", "id": id},
        "fields": {"initiative": initiative, "title": {"en": format!("Project {id}")}, "summary": {"en": "A long summary"}, "status": "planned"}}})
}

/// The records a device holds once caught up after `hello` (a snapshot, changes or both),
/// by id, partial changes merged as a device merges them.
async fn records_after(socket: &mut Socket, hello: Value) -> BTreeMap<String, SyncedRecord> {
    send(socket, hello).await;
    let head = next(socket, "welcome").await["head"].as_u64().unwrap();
    let mut records = BTreeMap::new();
    let mut cursor = 0;
    while cursor < head {
        let message = next_text(socket, |m| m.get("changes").is_some() || m.get("snapshot").is_some()).await;
        if let Some(page) = message.get("snapshot") {
            for r in page["records"].as_array().unwrap() {
                records.insert(r["key"]["id"].as_str().unwrap().to_string(), serde_json::from_value(r["record"].clone()).unwrap());
            }
            cursor = if page["last"] == true { page["head"].as_u64().unwrap() } else { 0 };
            continue;
        }
        for change in message["changes"]["changes"].as_array().unwrap() {
            let change: Change = serde_json::from_value(change.clone()).unwrap();
            if let Some(set) = change.record {
                records.entry(change.key.id).or_insert_with(SyncedRecord::default).merge(&set);
            }
            cursor = change.seq;
        }
    }
    records
}

#[tokio::test]
async fn a_device_keeps_its_regions_records_whole_a_summary_of_the_rest_and_what_it_opens_whole() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let created =
        push(&app, &admin, vec![project(1, "near", "wtdc22_afr1"), project(2, "far", "wtdc22_asp1"), project(3, "other", "wtdc22_asp1")])
            .await;
    assert!(created.iter().all(|o| o["applied"].is_u64()));

    let mut socket = signed_in_socket(&app, COORD_AFR).await;
    let records = records_after(&mut socket, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0})).await;
    assert_eq!(records["near"].get("summary"), &json!({"en": "A long summary"}), "the coordinator's region, whole");
    assert!(!records["near"].summary);
    assert!(records["far"].summary, "another region's project is a summary");
    assert_eq!(records["far"].get("title"), &json!({"en": "Project far"}));
    assert_eq!(records["far"].get("summary"), &Value::Null, "without its long texts");
    assert!(!records["wtdc22_asp1"].summary, "initiatives are always whole");

    // Opening a record pins it: it comes whole, and so do its changes from then on.
    send(&mut socket, json!({"type": "open", "key": {"kind": "project", "id": "far"}})).await;
    let opened = next(&mut socket, "opened").await;
    assert_eq!(opened["record"]["fields"]["summary"], json!({"en": "A long summary"}));
    let head = head(&app, &admin).await;
    let edits = vec![
        edit("ws", 4, "far", "summary", json!({"en": "Changed"}), head),
        edit("ws", 5, "other", "summary", json!({"en": "Changed"}), head),
    ];
    let edits: Vec<Value> = edits
        .into_iter()
        .map(|mut m| {
            m["op"]["key"]["kind"] = "project".into();
            m
        })
        .collect();
    assert!(push(&app, &admin, edits).await.iter().all(|o| o["applied"].is_u64()));
    let mut changes = Vec::new();
    while changes.len() < 2 {
        changes.extend(
            next(&mut socket, "changes").await["changes"].as_array().unwrap().iter().filter(|c| c["seq"].as_u64() > Some(head)).cloned(),
        );
    }
    assert_eq!(changes[0]["record"]["fields"]["summary"], json!({"en": "Changed"}), "the pinned record's change, whole");
    assert_eq!(changes[1]["record"], json!({"fields": {}, "revs": {}, "summary": true}), "the other's: nothing of a summary changed");

    // A record no one may read opens as nothing.
    send(&mut socket, json!({"type": "open", "key": {"kind": "project", "id": "nowhere"}})).await;
    assert!(next(&mut socket, "opened").await.get("record").is_none());
}

#[tokio::test]
async fn a_device_that_follows_a_region_keeps_it_whole_and_a_new_follow_takes_a_new_snapshot() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    assert!(push(&app, &admin, vec![project(1, "far", "wtdc22_asp1")]).await[0]["applied"].is_u64());

    let mut socket = signed_in_socket(&app, COORD_AFR).await;
    send(&mut socket, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0})).await;
    let welcome = next(&mut socket, "welcome").await;
    let (head, scope) = (welcome["head"].as_u64().unwrap(), welcome["scope"].clone());

    // The same device, said hello again from its cursor, following Asia-Pacific now.
    let mut again = signed_in_socket(&app, COORD_AFR).await;
    let hello = json!({"type": "hello", "protocol": PROTOCOL, "cursor": head, "scope": scope, "follow": ["ASP"],
        "pins": [{"kind": "project", "id": "x"}]});
    let records = records_after(&mut again, hello).await;
    assert_eq!(records["far"].get("summary"), &json!({"en": "A long summary"}));
    assert!(!records["far"].summary);
}
