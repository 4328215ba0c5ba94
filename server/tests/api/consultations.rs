//! Consultations through sync: exactly one submitted version per Member State under retries and
//! concurrent submits, refusal after the close by the server's clock, and who sees what.

use reqwest::Client;
use rihub_server::clock::Clock;
use serde_json::{Value, json};

use crate::support::*;

const ID: &str = "afr_2026";

/// When every test here starts, by the server's clock (which stands still until a test moves it).
const START: i64 = 1_800_000_000;

fn now() -> i64 {
    START
}

/// A server with demo data on a clock standing at `START`.
async fn app_at_start() -> (TestApp, Clock) {
    let clock = Clock::manual(START);
    (TestApp::demo_at(clock.clone()).await, clock)
}

fn key(kind: &str, id: &str) -> Value {
    json!({"kind": kind, "id": id})
}

/// The coordinator of Africa opens a consultation on two African initiatives, open from a
/// minute ago until `closes_in` seconds from now.
async fn open_consultation(app: &TestApp, closes_in: i64) -> Client {
    let coordinator = app.login(COORD_AFR).await;
    let fields = json!({"region": "AFR", "title": {"en": "Priorities for the next cycle"}, "opens_at": now() - 60,
        "closes_at": now() + closes_in, "time_zone": "Africa/Addis_Ababa", "initiatives": ["wtdc22_afr1", "wtdc17_afr1"]});
    let create = json!({"client": "coord", "seq": 1, "op": {"op": "create", "key": key("consultation", ID), "fields": fields}});
    assert!(push(app, &coordinator, vec![create]).await[0].get("applied").is_some());
    coordinator
}

fn answers(state: &str, ranking: &[&str]) -> Value {
    json!({"consultation": ID, "member_state": state, "ranking": ranking})
}

fn submit(client: &str, seq: u64, state: &str, content: Value) -> Value {
    let id = format!("{ID}_{}", state.to_lowercase());
    json!({"client": client, "seq": seq, "op": {"op": "submit", "key": key("submission", &id), "content": content}})
}

/// The records a user gets in a pull from the start, by key, as (kind, id) → record.
async fn seen(app: &TestApp, client: &Client) -> Vec<(String, Value)> {
    let log = pull(app, client, 0, 1000).await;
    log["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["key"]["kind"] != "initiative" && c["key"]["kind"] != "project")
        .map(|c| (format!("{}:{}", c["key"]["kind"].as_str().unwrap(), c["key"]["id"].as_str().unwrap()), c["record"].clone()))
        .collect()
}

fn versions(record: &Value) -> Vec<u64> {
    record["fields"]["versions"].as_array().map(|v| v.iter().map(|s| s["version"].as_u64().unwrap()).collect()).unwrap_or_default()
}

#[tokio::test]
async fn one_submitted_version_per_state_under_retries_and_concurrent_submits() {
    let (app, _) = app_at_start().await;
    open_consultation(&app, 3600).await;
    let (first, second) = (app.login(DELEGATE).await, app.login(DELEGATE2).await);
    let content = answers("KE", &["wtdc17_afr1", "wtdc22_afr1"]);

    // Both Kenyan delegates submit the same answers at once, each from their own device.
    let (a, b) = tokio::join!(
        push(&app, &first, vec![submit("ke-1", 1, "KE", content.clone())]),
        push(&app, &second, vec![submit("ke-2", 1, "KE", content.clone())])
    );
    let mut outcomes = vec![a[0].clone(), b[0].clone()];
    outcomes.sort_by_key(|o| o.get("applied").is_none());
    assert!(outcomes[0].get("applied").is_some(), "{outcomes:?}");
    assert_eq!(outcomes[1], json!("duplicate"), "the same answers make no second version");
    // A retry after a lost answer is acknowledged, not applied again.
    assert_eq!(push(&app, &first, vec![submit("ke-1", 1, "KE", content.clone())]).await[0], json!("duplicate"));

    // An amendment before the close is version 2; version 1 stays in the change log.
    let amended = answers("KE", &["wtdc22_afr1"]);
    assert!(push(&app, &second, vec![submit("ke-2", 2, "KE", amended)]).await[0].get("applied").is_some());
    let records = seen(&app, &first).await;
    let history: Vec<Vec<u64>> = records.iter().filter(|(k, _)| k == "submission:afr_2026_ke").map(|(_, r)| versions(r)).collect();
    assert_eq!(history, vec![vec![1], vec![2]], "each change carries its own version only");
    let latest = records.iter().rev().find(|(k, _)| k == "submission:afr_2026_ke").map(|(_, r)| r.clone()).unwrap();
    let stamped = &latest["fields"]["versions"][0];
    assert_eq!(stamped["submitted_at"].as_i64(), Some(START), "stamped by the server's clock");
    assert_eq!(stamped["hash"].as_str().unwrap().len(), 64);
}

#[tokio::test]
async fn after_the_close_submissions_and_drafts_are_refused_whatever_the_client_says() {
    let (app, clock) = app_at_start().await;
    let coordinator = open_consultation(&app, 3).await;
    let delegate = app.login(DELEGATE).await;
    let in_time = push(&app, &delegate, vec![submit("ke-1", 1, "KE", answers("KE", &["wtdc17_afr1"]))]).await;
    assert!(in_time[0].get("applied").is_some(), "{in_time:?}");
    // Before the close, publishing is refused with its own code (and changes nothing).
    let early = json!({"client": "coord-early", "seq": 1, "op": {"op": "edit", "key": key("consultation", ID),
        "changes": [{"field": "published_at", "value": 1, "base": 0}]}});
    assert_eq!(push(&app, &coordinator, vec![early]).await[0], json!({"refused": {"code": "not_closed"}}));
    clock.advance(std::time::Duration::from_secs(3));
    let late = push(&app, &delegate, vec![submit("ke-1", 2, "KE", answers("KE", &["wtdc22_afr1"]))]).await;
    assert_eq!(late[0], json!({"refused": {"code": "closed"}}));
    let draft = json!({"client": "ke-1", "seq": 3, "op": {"op": "create", "key": key("contribution", "afr_2026_ke"), "fields": answers("KE", &[])}});
    assert_eq!(push(&app, &delegate, vec![draft]).await[0], json!({"refused": {"code": "closed"}}));
    // The coordinator can publish now, once; the server stamps the time.
    let publish = json!({"client": "coord", "seq": 2, "op": {"op": "edit", "key": key("consultation", ID),
        "changes": [{"field": "published_at", "value": 1, "base": 0}]}});
    assert!(push(&app, &coordinator, vec![publish]).await[0].get("applied").is_some());
    // The results published are the server's, from the submission that came in time.
    let published = seen(&app, &app.login(PARTNER).await).await;
    let consultation = &published.iter().rev().find(|(k, _)| k == "consultation:afr_2026").unwrap().1["fields"];
    assert_eq!(consultation["results"]["submissions"], 1);
    assert_eq!(consultation["results"]["priorities"][0]["initiative"], "wtdc17_afr1");
    let again = json!({"client": "coord", "seq": 3, "op": {"op": "edit", "key": key("consultation", ID),
        "changes": [{"field": "published_at", "value": 2, "base": 0}]}});
    assert_eq!(push(&app, &coordinator, vec![again]).await[0]["refused"]["code"], "invalid");
}

#[tokio::test]
async fn drafts_are_the_states_own_and_submissions_go_to_the_regions_coordinators() {
    let (app, _) = app_at_start().await;
    let coordinator = open_consultation(&app, 3600).await;
    let kenya = app.login(DELEGATE).await;
    let draft = json!({"client": "ke-1", "seq": 1, "op": {"op": "create", "key": key("contribution", "afr_2026_ke"),
        "fields": answers("KE", &["wtdc22_afr1"])}});
    assert!(push(&app, &kenya, vec![draft]).await[0].get("applied").is_some());
    assert!(push(&app, &kenya, vec![submit("ke-1", 2, "KE", answers("KE", &["wtdc22_afr1"]))]).await[0].get("applied").is_some());
    // Ghana may not write Kenya's draft.
    let ghana = app.login(DELEGATE_GH).await;
    let hijack = json!({"client": "gh-1", "seq": 1, "op": {"op": "edit", "key": key("contribution", "afr_2026_ke"),
        "changes": [{"field": "ranking", "value": [], "base": 0}]}});
    assert_eq!(push(&app, &ghana, vec![hijack]).await[0], json!({"refused": {"code": "forbidden"}}));

    let get = |list: &[(String, Value)], k: &str| list.iter().rev().find(|(key, _)| key == k).map(|(_, r)| r.clone());
    // Kenya sees its draft and its submission.
    let own = seen(&app, &kenya).await;
    assert_eq!(get(&own, "contribution:afr_2026_ke").unwrap()["fields"]["ranking"], json!(["wtdc22_afr1"]));
    assert_eq!(versions(&get(&own, "submission:afr_2026_ke").unwrap()), vec![1]);
    // The coordinator sees the submission, and only that a draft exists.
    let coord = seen(&app, &coordinator).await;
    assert_eq!(versions(&get(&coord, "submission:afr_2026_ke").unwrap()), vec![1]);
    assert_eq!(get(&coord, "contribution:afr_2026_ke").unwrap(), json!({"fields": {}, "revs": {}}));
    // Ghana sees the consultation, nothing of Kenya's answers.
    let gh = seen(&app, &ghana).await;
    assert!(get(&gh, "consultation:afr_2026").is_some());
    assert!(gh.iter().all(|(k, _)| !k.contains("afr_2026_ke")), "{gh:?}");
    // A partner sees nothing of an unpublished consultation, not even its title.
    let partner = app.login(PARTNER).await;
    let p = seen(&app, &partner).await;
    assert!(p.iter().all(|(k, r)| k.ends_with(':') && r.is_null()), "{p:?}");
    // The sequence has no gap for anyone: hidden changes still count.
    let log = pull(&app, &partner, 0, 1000).await;
    let seqs: Vec<u64> = log["changes"].as_array().unwrap().iter().map(|c| c["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=log["head"].as_u64().unwrap()).collect::<Vec<_>>());
    // The snapshot follows the same rules.
    let snap: Value = ghana.get(app.url("/api/sync/snapshot")).send().await.unwrap().json().await.unwrap();
    assert!(snap["records"].as_array().unwrap().iter().all(|r| !r["key"]["id"].as_str().unwrap().contains("afr_2026_ke")));
}

#[tokio::test]
async fn a_consultation_asks_only_about_its_regions_initiatives() {
    let (app, _) = app_at_start().await;
    let coordinator = app.login(COORD_AFR).await;
    let fields = json!({"region": "AFR", "title": {"en": "t"}, "opens_at": now(), "closes_at": now() + 60,
        "time_zone": "UTC", "initiatives": ["wtdc22_afr1", "wtdc22_asp1"]});
    let create = json!({"client": "coord", "seq": 1, "op": {"op": "create", "key": key("consultation", ID), "fields": fields}});
    assert_eq!(
        push(&app, &coordinator, vec![create]).await[0],
        json!({"refused": {"code": "invalid", "detail": [{"field": "initiatives.1", "problem": "wrong_region"}]}})
    );
    let other = app.login(COORD_ASP).await;
    let fields = json!({"region": "AFR", "title": {"en": "t"}, "opens_at": now(), "closes_at": now() + 60, "time_zone": "UTC", "initiatives": ["wtdc22_afr1"]});
    let create = json!({"client": "asp", "seq": 1, "op": {"op": "create", "key": key("consultation", ID), "fields": fields}});
    assert_eq!(push(&app, &other, vec![create]).await[0], json!({"refused": {"code": "forbidden"}}));
}

#[tokio::test]
async fn a_reminder_is_stamped_by_the_server_and_only_for_the_regions_states() {
    let (app, _) = app_at_start().await;
    let coordinator = open_consultation(&app, 3600).await;
    let remind = |seq: u64, reminders: Value| {
        json!({"client": "coord", "seq": seq, "op": {"op": "edit", "key": key("consultation", ID),
        "changes": [{"field": "reminders", "value": reminders, "base": 0}]}})
    };
    let first = push(&app, &coordinator, vec![remind(2, json!([{"member_state": "KE", "at": 1}]))]).await;
    assert!(first[0].get("applied").is_some(), "{first:?}");
    let kenya = seen(&app, &app.login(DELEGATE).await).await;
    let at = kenya.iter().rev().find(|(k, _)| k == "consultation:afr_2026").unwrap().1["fields"]["reminders"][0]["at"].as_i64().unwrap();
    assert_eq!(at, START, "stamped by the server's clock, not the client's");
    let outside =
        push(&app, &coordinator, vec![remind(3, json!([{"member_state": "KE", "at": at}, {"member_state": "FR", "at": 1}]))]).await;
    assert_eq!(outside[0]["refused"]["detail"][0]["problem"], "wrong_region");
}
