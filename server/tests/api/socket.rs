//! The sync WebSocket: live changes between two clients, its guards, and hand-made messages.

use futures_util::SinkExt;
use rihub_domain::sync::wire::PROTOCOL;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::support::*;
use crate::ws::*;

#[tokio::test]
async fn an_edit_pushed_by_one_client_reaches_another_without_polling() {
    let app = TestApp::demo().await;
    let mut a = signed_in_socket(&app, COORD_AFR).await;
    let mut b = signed_in_socket(&app, OBSERVER).await;
    let head = hello(&mut a).await;
    assert!(head >= 33, "catch-up delivered the demo records");
    hello(&mut b).await;

    send(&mut a, json!({"type": "push", "mutations": [edit("a", 1, "wtdc22_afr1", "status", json!("closed"), head)]})).await;
    let results = next(&mut a, "results").await;
    assert_eq!(results["results"][0]["outcome"], json!({"applied": head + 1}));
    let seen = next(&mut b, "changes").await;
    let change = &seen["changes"][0];
    assert_eq!(change["seq"], head + 1);
    // Only the field the edit set travels, with its revision.
    assert_eq!(
        (&change["record"], &change["partial"]),
        (&json!({"fields": {"status": "closed"}, "revs": {"status": head + 1}}), &json!(true))
    );
}

#[tokio::test]
async fn a_client_of_an_earlier_protocol_is_told_to_update_as_it_reads_messages() {
    let app = TestApp::demo().await;
    // Until v3 a server's messages were tagged by `type`.
    let mut old = signed_in_socket(&app, COORD_AFR).await;
    send(&mut old, json!({"type": "hello", "protocol": 2, "cursor": 0})).await;
    let error = next_text(&mut old, |_| true).await;
    assert_eq!((&error["type"], &error["code"]), (&json!("error"), &json!("protocol")));
    // A v3 app, which keeps every record whole, is told to update too.
    let mut v3 = signed_in_socket(&app, COORD_AFR).await;
    send(&mut v3, json!({"type": "hello", "protocol": 3, "cursor": 0})).await;
    assert_eq!(next(&mut v3, "error").await["code"], "protocol");
    let mut newer = signed_in_socket(&app, COORD_AFR).await;
    send(&mut newer, json!({"type": "hello", "protocol": PROTOCOL + 1, "cursor": 0})).await;
    assert_eq!(next(&mut newer, "error").await["code"], "protocol");
}

#[tokio::test]
async fn an_edit_through_the_http_api_also_reaches_open_sockets() {
    let app = TestApp::demo().await;
    let mut b = signed_in_socket(&app, OBSERVER).await;
    let head = hello(&mut b).await;
    let admin = app.login(ADMIN).await;
    let r = admin.delete(app.url("/api/initiatives/wtdc14_asp2")).send().await.unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::NO_CONTENT);
    let change = next(&mut b, "changes").await["changes"][0].clone();
    assert_eq!(change["seq"], head + 1);
    assert_eq!(change["key"]["id"], "wtdc14_asp2");
    assert_eq!(change["record"], Value::Null, "a deletion");
}

#[tokio::test]
async fn the_upgrade_needs_a_session_and_this_sites_origin() {
    let app = TestApp::demo().await;
    let cookie = session_cookie(&app, OBSERVER).await;
    let status = |e: WsError| match e {
        WsError::Http(r) => r.status().as_u16(),
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(status(open(&app, None, Some(&app.base)).await.unwrap_err()), 401);
    assert_eq!(status(open(&app, Some(&cookie), None).await.unwrap_err()), 403);
    assert_eq!(status(open(&app, Some(&cookie), Some("https://evil.example")).await.unwrap_err()), 403);
}

#[tokio::test]
async fn a_delegates_handmade_socket_edit_of_another_region_is_refused() {
    let app = TestApp::demo().await;
    let mut socket = signed_in_socket(&app, DELEGATE).await;
    let head = hello(&mut socket).await;
    // Malformed input gets an error and the connection stays usable.
    socket.send(Message::Text("{not json".into())).await.unwrap();
    assert_eq!(next(&mut socket, "error").await["code"], "malformed");
    send(&mut socket, json!({"type": "push", "mutations": [edit("ke", 1, "wtdc22_asp1", "title", json!({"en": "Mine"}), head)]})).await;
    let results = next(&mut socket, "results").await;
    assert_eq!(results["results"][0]["outcome"], json!({"refused": {"code": "forbidden"}}));
    let detail: Value = app.login(DELEGATE).await.get(app.url("/api/initiatives/wtdc22_asp1")).send().await.unwrap().json().await.unwrap();
    assert!(detail["initiative"]["title"]["en"].as_str().unwrap().starts_with("Addressing special needs"));
}

#[tokio::test]
async fn people_viewing_the_same_record_see_each_other_come_and_go() {
    let app = TestApp::demo().await;
    let mut a = signed_in_socket(&app, COORD_AFR).await;
    let mut b = signed_in_socket(&app, ADMIN).await;
    let key = json!({"kind": "initiative", "id": "wtdc22_afr1"});
    send(&mut a, json!({"type": "viewing", "key": key})).await;
    assert_eq!(next(&mut a, "presence").await["viewers"].as_array().unwrap().len(), 1);
    send(&mut b, json!({"type": "viewing", "key": key})).await;
    let both = next(&mut b, "presence").await;
    let names: Vec<&str> = both["viewers"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Amina Diallo (BDT)", "Kwame Mensah (Addis Ababa)"]);
    assert_eq!(next(&mut a, "presence").await["viewers"].as_array().unwrap().len(), 2, "A learns that B arrived");
    a.close(None).await.unwrap();
    let after = next(&mut b, "presence").await;
    assert_eq!(after["viewers"], json!([{"user": after["viewers"][0]["user"], "name": "Amina Diallo (BDT)"}]), "A left");
}

#[tokio::test]
async fn a_client_far_behind_gets_a_snapshot_then_the_changes_after_it() {
    let app = TestApp::demo().await;
    let http = app.login(COORD_AFR).await;
    for batch in 0..11u64 {
        let mutations: Vec<Value> = (1..=100)
            .map(|i| {
                edit("bulk", batch * 100 + i, "wtdc22_afr1", "objective", json!({"en": format!("bulk {}", batch * 100 + i)}), u64::MAX / 2)
            })
            .collect();
        let r = http.post(app.url("/api/sync/push")).json(&json!({"mutations": mutations})).send().await.unwrap();
        assert!(r.status().is_success());
    }
    let mut socket = signed_in_socket(&app, OBSERVER).await;
    send(&mut socket, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0})).await;
    let head = next(&mut socket, "welcome").await["head"].as_u64().unwrap();
    let mut records = Vec::new();
    loop {
        let page = next(&mut socket, "snapshot").await;
        assert_eq!(page["head"], head);
        records.extend(page["records"].as_array().unwrap().clone());
        if page["last"] == true {
            break;
        }
    }
    let afr1 = records.iter().find(|r| r["key"]["id"] == "wtdc22_afr1").expect("the edited initiative");
    assert_eq!(afr1["record"]["fields"]["objective"]["en"], "bulk 1100");
    assert!(records.iter().any(|r| r["key"]["kind"] == "project"), "projects are in the snapshot");

    let r = http
        .post(app.url("/api/sync/push"))
        .json(&json!({"mutations": [edit("bulk", 1101, "wtdc22_afr1", "status", json!("closed"), u64::MAX / 2)]}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let changes = next(&mut socket, "changes").await;
    assert_eq!(changes["changes"][0]["seq"], head + 1);
}

#[tokio::test]
async fn a_snapshot_is_read_and_sent_page_by_page_each_record_once() {
    let app = TestApp::demo().await;
    let http = app.login(COORD_AFR).await;
    // Ids whose order as text is not their order as numbers: p1, p10, p100, p1000, p1001, ...
    for batch in 0..12u64 {
        let mutations: Vec<Value> = (1..=100)
            .map(|i| {
                let n = batch * 100 + i;
                json!({"client": "pages", "seq": n, "op": {"op": "create", "key": {"kind": "project", "id": format!("p{n}")},
                    "fields": {"initiative": "wtdc22_afr1", "title": {"en": format!("Project {n}")}, "status": "planned"}}})
            })
            .collect();
        assert!(push(&app, &http, mutations).await.iter().all(|o| o["applied"].is_u64()));
    }
    let mut socket = signed_in_socket(&app, OBSERVER).await;
    send(&mut socket, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0})).await;
    let head = next(&mut socket, "welcome").await["head"].as_u64().unwrap();
    let mut pages = Vec::new();
    loop {
        let page = next(&mut socket, "snapshot").await;
        let last = page["last"] == true;
        pages.push(page);
        if last {
            break;
        }
    }
    assert!(pages.len() >= 3, "1,200 projects and the demo records in pages of 500: {} pages", pages.len());
    let keys: Vec<String> = pages
        .iter()
        .flat_map(|p| {
            p["records"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| format!("{}/{}", r["key"]["kind"].as_str().unwrap(), r["key"]["id"].as_str().unwrap()))
        })
        .collect();
    let unique: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len(), "no record twice");
    for n in 1..=1200 {
        assert!(unique.contains(&format!("project/p{n}")), "project p{n} is in the snapshot");
    }
    // The whole snapshot over HTTP (pages of another size) holds the same records.
    let whole: Value = app.login(OBSERVER).await.get(app.url("/api/sync/snapshot")).send().await.unwrap().json().await.unwrap();
    assert_eq!(whole["records"].as_array().unwrap().len(), keys.len());
    assert!(pages.iter().all(|p| p["head"] == head));
    // How many there are at most comes first, once.
    let total = pages[0]["total"].as_u64().expect("the first page says the total");
    assert!(total >= keys.len() as u64);
    assert!(pages[1..].iter().all(|p| p.get("total").is_none()));
}

#[tokio::test]
async fn an_open_socket_stops_writing_once_its_account_is_disabled() {
    let app = TestApp::demo().await;
    let mut socket = signed_in_socket(&app, COORD_AFR).await;
    let head = hello(&mut socket).await;
    let admin = app.login(ADMIN).await;
    let users: Vec<Value> = admin.get(app.url("/api/admin/users")).send().await.unwrap().json().await.unwrap();
    let id = users.iter().find(|u| u["email"] == COORD_AFR).unwrap()["id"].as_str().unwrap().to_string();
    let r = admin.put(app.url(&format!("/api/admin/users/{id}/disabled"))).json(&json!({"disabled": true})).send().await.unwrap();
    assert!(r.status().is_success());

    send(&mut socket, json!({"type": "push", "mutations": [edit("disabled", 1, "wtdc22_afr1", "status", json!("closed"), head)]})).await;
    assert_eq!(next(&mut socket, "error").await["code"], "unauthenticated");
    let detail: Value = admin.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    assert_ne!(detail["initiative"]["status"], "closed");
}

/// The next live change after `after`, waiting through batches that end before it.
async fn change_after(socket: &mut Socket, after: u64) -> Value {
    loop {
        let batch = next(socket, "changes").await;
        if let Some(change) = batch["changes"].as_array().unwrap().iter().find(|c| c["seq"].as_u64().unwrap() > after) {
            return change.clone();
        }
    }
}

#[tokio::test]
async fn each_socket_gets_a_live_draft_change_as_its_user_may_see_it() {
    let app = TestApp::demo().await;
    let coordinator = app.login(COORD_AFR).await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let fields = json!({"region": "AFR", "title": {"en": "t"}, "opens_at": now - 60, "closes_at": now + 3600, "time_zone": "UTC", "initiatives": ["wtdc22_afr1"]});
    let create =
        json!({"client": "coord", "seq": 1, "op": {"op": "create", "key": {"kind": "consultation", "id": "afr_live"}, "fields": fields}});
    assert!(push(&app, &coordinator, vec![create]).await[0].get("applied").is_some());

    let (mut kenya, mut coord, mut ghana) =
        (signed_in_socket(&app, DELEGATE).await, signed_in_socket(&app, COORD_AFR).await, signed_in_socket(&app, DELEGATE_GH).await);
    let head = hello(&mut kenya).await;
    hello(&mut coord).await;
    hello(&mut ghana).await;
    let draft = json!({"client": "ke-live", "seq": 1, "op": {"op": "create", "key": {"kind": "contribution", "id": "afr_live_ke"},
        "fields": {"consultation": "afr_live", "member_state": "KE", "ranking": ["wtdc22_afr1"]}}});
    let delegate = app.login(DELEGATE).await;
    assert!(push(&app, &delegate, vec![draft]).await[0].get("applied").is_some());

    let own = change_after(&mut kenya, head).await;
    assert_eq!(own["record"]["fields"]["ranking"], json!(["wtdc22_afr1"]), "the state's delegates get the draft");
    let existence = change_after(&mut coord, head).await;
    assert_eq!(
        (existence["key"]["id"].as_str(), &existence["record"]),
        (Some("afr_live_ke"), &json!({"fields": {}, "revs": {}})),
        "the coordinator learns only that it exists"
    );
    let hidden = change_after(&mut ghana, head).await;
    assert_eq!(
        (hidden["seq"].as_u64(), hidden["key"]["id"].as_str(), &hidden["record"]),
        (own["seq"].as_u64(), Some(""), &Value::Null),
        "another state gets its number only"
    );
}
