//! Live data stops when the right to see it stops: an open socket closes when its session is
//! signed out, its account disabled or its session expires, and is re-scoped when its user's
//! roles change; presence is only for those who may read the record.

use std::time::{Duration, Instant};

use reqwest::Client;
use rihub_domain::role::Role;
use rihub_domain::sync::wire::{PROTOCOL, scope_of};
use rihub_server::clock::Clock;
use serde_json::{Value, json};

use crate::support::*;
use crate::ws::*;

/// What a change must take at most to reach every socket of the account.
const WITHIN: Duration = Duration::from_secs(1);

async fn user_id(app: &TestApp, admin: &Client, email: &str) -> String {
    let users: Vec<Value> = admin.get(app.url("/api/admin/users")).send().await.unwrap().json().await.unwrap();
    users.iter().find(|u| u["email"] == email).unwrap()["id"].as_str().unwrap().to_string()
}

/// An African consultation open for an hour by `clock`, and Kenya's draft answers to it.
async fn consultation_with_kenyas_draft(app: &TestApp, now: i64) {
    let coordinator = app.login(COORD_AFR).await;
    let fields = json!({"region": "AFR", "title": {"en": "t"}, "opens_at": now - 60, "closes_at": now + 3600, "time_zone": "UTC", "initiatives": ["wtdc22_afr1"]});
    let create =
        json!({"client": "coord", "seq": 1, "op": {"op": "create", "key": {"kind": "consultation", "id": "afr_r"}, "fields": fields}});
    assert!(push(app, &coordinator, vec![create]).await[0].get("applied").is_some());
    let draft = json!({"client": "ke", "seq": 1, "op": {"op": "create", "key": {"kind": "contribution", "id": "afr_r_ke"},
        "fields": {"consultation": "afr_r", "member_state": "KE", "ranking": ["wtdc22_afr1"]}}});
    assert!(push(app, &app.login(DELEGATE2).await, vec![draft]).await[0].get("applied").is_some());
}

/// The records of a snapshot that follows, by `kind:id`.
async fn snapshot(socket: &mut Socket) -> Vec<(String, Value)> {
    let mut records = Vec::new();
    loop {
        let page = next(socket, "snapshot").await;
        for r in page["records"].as_array().unwrap() {
            records.push((format!("{}:{}", r["key"]["kind"].as_str().unwrap(), r["key"]["id"].as_str().unwrap()), r["record"].clone()));
        }
        if page["last"] == true {
            return records;
        }
    }
}

#[tokio::test]
async fn signing_out_closes_the_sessions_sockets_within_a_second() {
    let app = TestApp::demo().await;
    let cookie = session_cookie(&app, OBSERVER).await;
    let mut socket = open(&app, Some(&cookie), Some(&app.base)).await.unwrap();
    hello(&mut socket).await;
    let mut other_session = signed_in_socket(&app, OBSERVER).await;
    hello(&mut other_session).await;

    let r = app.anonymous().post(app.url("/api/auth/logout")).header("cookie", &cookie).header("origin", &app.base).send().await.unwrap();
    assert!(r.status().is_success());
    let started = Instant::now();
    assert_eq!(next(&mut socket, "error").await["code"], "unauthenticated");
    assert!(started.elapsed() < WITHIN, "closed after {:?}", started.elapsed());
    closed(&mut socket).await;
    // The same person's other session goes on.
    send(&mut other_session, json!({"type": "viewing", "key": {"kind": "initiative", "id": "wtdc22_afr1"}})).await;
    assert!(arrives(&mut other_session, "presence", Duration::from_secs(5)).await, "the other session's socket is open");
}

#[tokio::test]
async fn disabling_an_account_closes_all_its_sockets() {
    let app = TestApp::demo().await;
    let mut first = signed_in_socket(&app, DELEGATE).await;
    let mut second = signed_in_socket(&app, DELEGATE).await;
    hello(&mut first).await;
    hello(&mut second).await;
    let admin = app.login(ADMIN).await;
    let id = user_id(&app, &admin, DELEGATE).await;
    let r = admin.put(app.url(&format!("/api/admin/users/{id}/disabled"))).json(&json!({"disabled": true})).send().await.unwrap();
    assert!(r.status().is_success());
    let started = Instant::now();
    for socket in [&mut first, &mut second] {
        assert_eq!(next(socket, "error").await["code"], "unauthenticated");
        closed(socket).await;
    }
    assert!(started.elapsed() < WITHIN, "closed after {:?}", started.elapsed());
}

#[tokio::test]
async fn an_expired_session_closes_its_socket_when_the_clock_gets_there() {
    let clock = Clock::manual(1_800_000_000);
    let app = TestApp::demo_at(clock.clone()).await;
    let mut socket = signed_in_socket(&app, OBSERVER).await;
    hello(&mut socket).await;
    clock.advance(Duration::from_secs(13 * 24 * 3600));
    assert!(!arrives(&mut socket, "error", Duration::from_millis(300)).await, "13 days: still open");
    clock.advance(Duration::from_secs(24 * 3600));
    assert_eq!(next(&mut socket, "error").await["code"], "unauthenticated");
    closed(&mut socket).await;
}

#[tokio::test]
async fn changed_roles_rescope_an_open_socket_and_its_device_loses_what_it_may_no_longer_read() {
    let app = TestApp::demo().await;
    consultation_with_kenyas_draft(&app, now()).await;
    let mut socket = signed_in_socket(&app, DELEGATE).await;
    let head = hello(&mut socket).await;
    let admin = app.login(ADMIN).await;
    let id = user_id(&app, &admin, DELEGATE).await;

    let r =
        admin.put(app.url(&format!("/api/admin/users/{id}/roles"))).json(&json!({"roles": [{"kind": "observer"}]})).send().await.unwrap();
    assert!(r.status().is_success());
    let started = Instant::now();
    let rescoped = next(&mut socket, "rescoped").await;
    assert!(started.elapsed() < WITHIN, "re-scoped after {:?}", started.elapsed());
    assert_eq!(rescoped["roles"], json!([{"kind": "observer"}]));
    assert_eq!(rescoped["scope"], scope_of(&[Role::Observer], &[]));
    let records = snapshot(&mut socket).await;
    assert!(records.iter().any(|(k, _)| k == "initiative:wtdc22_afr1"), "what an observer reads stays");
    assert!(!records.iter().any(|(k, _)| k == "contribution:afr_r_ke"), "Kenya's draft is gone: {records:?}");

    // Kenya's delegates go on drafting: the socket learns only the change's number.
    let edit = json!({"client": "ke", "seq": 2, "op": {"op": "edit", "key": {"kind": "contribution", "id": "afr_r_ke"},
        "changes": [{"field": "ranking", "value": ["wtdc22_afr1"], "base": 0}, {"field": "comments", "value": {"wtdc22_afr1": "secret"}, "base": 0}]}});
    assert!(push(&app, &app.login(DELEGATE2).await, vec![edit]).await[0].get("applied").is_some());
    let change =
        next_text(&mut socket, |v| v["changes"]["changes"].as_array().is_some_and(|c| c.iter().any(|c| c["seq"].as_u64() > Some(head))))
            .await;
    assert!(!change.to_string().contains("secret"), "{change}");
    // What the device still pushes is taken or refused like any other push.
    send(&mut socket, json!({"type": "push", "mutations": [{"client": "ke-dev", "seq": 1, "op": {"op": "edit", "key": {"kind": "contribution", "id": "afr_r_ke"},
        "changes": [{"field": "comments", "value": {"wtdc22_afr1": "mine"}, "base": 0}]}}]})).await;
    assert_eq!(next(&mut socket, "results").await["results"][0]["outcome"], json!({"refused": {"code": "forbidden"}}));
}

#[tokio::test]
async fn a_device_whose_records_were_read_with_other_roles_gets_a_snapshot_on_hello() {
    let app = TestApp::demo().await;
    consultation_with_kenyas_draft(&app, now()).await;
    let observer = scope_of(&[Role::Observer], &[]);
    let mut socket = signed_in_socket(&app, DELEGATE).await;
    send(&mut socket, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 5, "scope": observer})).await;
    let welcome = next(&mut socket, "welcome").await;
    assert_ne!(welcome["scope"], json!(observer));
    // The device may have read the roles before they changed: it hears them.
    let rescoped = next(&mut socket, "rescoped").await;
    assert_eq!((&rescoped["roles"], &rescoped["scope"]), (&json!([{"kind": "delegate", "member_state": "KE"}]), &welcome["scope"]));
    let records = snapshot(&mut socket).await;
    assert!(
        records.iter().any(|(k, r)| k == "contribution:afr_r_ke" && r["fields"]["member_state"] == "KE"),
        "the draft the delegate may now read"
    );

    // The same scope from the same cursor: no snapshot, the changes after it.
    let mut again = signed_in_socket(&app, DELEGATE).await;
    send(&mut again, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 5, "scope": welcome["scope"]})).await;
    next(&mut again, "welcome").await;
    let first = next_text(&mut again, |v| v.get("changes").is_some() || v.get("snapshot").is_some()).await;
    assert_eq!(first["changes"]["changes"][0]["seq"], 6, "{first}");
}

#[tokio::test]
async fn presence_on_a_record_is_only_for_those_who_may_read_it() {
    let app = TestApp::demo().await;
    consultation_with_kenyas_draft(&app, now()).await;
    let key = json!({"kind": "contribution", "id": "afr_r_ke"});
    let mut kenya = signed_in_socket(&app, DELEGATE).await;
    send(&mut kenya, json!({"type": "viewing", "key": key})).await;
    assert_eq!(next(&mut kenya, "presence").await["viewers"].as_array().unwrap().len(), 1);

    let mut ghana = signed_in_socket(&app, DELEGATE_GH).await;
    send(&mut ghana, json!({"type": "viewing", "key": key})).await;
    assert!(!arrives(&mut ghana, "presence", Duration::from_millis(500)).await, "Ghana learns nothing of who drafts Kenya's answers");

    let mut kenya2 = signed_in_socket(&app, DELEGATE2).await;
    send(&mut kenya2, json!({"type": "viewing", "key": key})).await;
    let viewers = next(&mut kenya, "presence").await["viewers"].clone();
    let names: Vec<&str> = viewers.as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "the two Kenyan delegates, and not Ghana's: {names:?}");
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}
