//! Sync over HTTP: exactly-once mutations, ordering, authorization, merge with conflicts, pull.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn a_retried_mutation_is_applied_once_and_pulled_in_order() {
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let h = head(&app, &afr).await;
    let m1 = edit("afr-laptop", 1, "wtdc22_afr1", "objective", json!({"en": "Faster"}), 0);
    let m2 = edit("afr-laptop", 2, "wtdc22_afr1", "status", json!("implementing"), 0);
    assert_eq!(push(&app, &afr, vec![m1.clone(), m2.clone()]).await, vec![json!({"applied": h + 1}), json!({"applied": h + 2})]);
    // The connection dropped before the answer arrived: the client sends both again.
    assert_eq!(push(&app, &afr, vec![m1, m2]).await, vec![json!("duplicate"), json!("duplicate")]);

    let page = pull(&app, &afr, h, 1).await;
    assert_eq!(page["head"], h + 2);
    assert_eq!(page["changes"].as_array().unwrap().len(), 1, "paged");
    assert_eq!(page["changes"][0]["seq"], h + 1);
    assert_eq!(page["changes"][0]["record"], json!({"fields": {"objective": {"en": "Faster"}}, "revs": {"objective": h + 1}}));
    let rest = pull(&app, &afr, h + 1, 100).await;
    let change = &rest["changes"][0];
    assert_eq!(change["seq"], h + 2);
    // An initiative's change carries only the fields it set, to be merged into the copy held.
    assert_eq!(
        (&change["record"], &change["partial"]),
        (&json!({"fields": {"status": "implementing"}, "revs": {"status": h + 2}}), &json!(true))
    );
    // A cursor past every change, even past the store's integers, reads nothing and the head.
    for cursor in [h + 2, i64::MAX as u64, u64::MAX] {
        let past = pull(&app, &afr, cursor, 100).await;
        assert_eq!((past["changes"].as_array().unwrap().len(), &past["head"]), (0, &json!(h + 2)), "cursor {cursor}");
    }
    // The record read through the API shows the same state.
    let detail: Value = afr.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    assert_eq!(detail["initiative"]["status"], "implementing");
}

#[tokio::test]
async fn a_mutation_past_a_missing_one_is_a_gap_and_changes_nothing() {
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let h = head(&app, &afr).await;
    let m2 = edit("c", 2, "wtdc22_afr1", "status", json!("closed"), 0);
    assert_eq!(push(&app, &afr, vec![m2]).await, vec![json!({"gap": {"expected": 1}})]);
    assert_eq!(head(&app, &afr).await, h);
}

#[tokio::test]
async fn a_delegates_handmade_edit_of_an_initiative_is_refused_every_time() {
    let app = TestApp::demo().await;
    let delegate = app.login(DELEGATE).await;
    let h = head(&app, &delegate).await;
    let m = edit("ke-phone", 1, "wtdc22_afr1", "title", json!({"en": "Hijacked"}), 0);
    let refused = json!({"refused": {"code": "forbidden"}});
    assert_eq!(push(&app, &delegate, vec![m.clone()]).await, vec![refused.clone()]);
    assert_eq!(push(&app, &delegate, vec![m]).await, vec![refused], "a retry gets the same refusal, not a silent ack");
    let detail: Value = delegate.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    assert!(detail["initiative"]["title"]["en"].as_str().unwrap().starts_with("Supporting digital transformation"));
    assert_eq!(head(&app, &delegate).await, h, "nothing was logged");
}

#[tokio::test]
async fn coordinators_are_held_to_their_region_and_to_the_validation_rules() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let other_region = edit("asp", 1, "wtdc22_afr1", "status", json!("closed"), 0);
    let empty_title = edit("asp", 2, "wtdc22_asp1", "title", json!({}), 0);
    let changed_code = edit("asp", 3, "wtdc22_asp1", "code", json!("ASP9"), 0);
    let results = push(&app, &asp, vec![other_region, empty_title, changed_code]).await;
    assert_eq!(results[0], json!({"refused": {"code": "forbidden"}}));
    assert_eq!(results[1], json!({"refused": {"code": "invalid", "detail": [{"field": "title", "problem": "required"}]}}));
    assert_eq!(results[2], json!({"refused": {"code": "invalid", "detail": [{"field": "code", "problem": "immutable"}]}}));

    // Moving a project of Asia-Pacific under an African initiative needs rights in both regions.
    let detail: Value = asp.get(app.url("/api/initiatives/wtdc22_asp1")).send().await.unwrap().json().await.unwrap();
    let project = detail["projects"][0]["id"].as_str().unwrap().to_string();
    let mv = json!({"client": "asp", "seq": 4, "op": {"op": "edit", "key": {"kind": "project", "id": project},
        "changes": [{"field": "initiative", "value": "wtdc22_afr1", "base": 0}]}});
    assert_eq!(push(&app, &asp, vec![mv]).await, vec![json!({"refused": {"code": "forbidden"}})]);
}

#[tokio::test]
async fn concurrent_edits_of_one_field_keep_the_losing_value_as_a_conflict() {
    let app = TestApp::demo().await;
    let a = app.login(COORD_AFR).await;
    let b = app.login(ADMIN).await;
    let h = head(&app, &a).await;
    // Both started from revision 0 of the title; B's edit reaches the server second and wins.
    let from_a = edit("a", 1, "wtdc22_afr1", "title", json!({"en": "Title by A"}), 0);
    let from_b = edit("b", 1, "wtdc22_afr1", "title", json!({"en": "Title by B"}), 0);
    push(&app, &a, vec![from_a]).await;
    push(&app, &b, vec![from_b]).await;
    // A then edits another field, based on the revision of it that A holds.
    let snapshot: Value = a.get(app.url("/api/sync/snapshot")).send().await.unwrap().json().await.unwrap();
    let held = snapshot["records"].as_array().unwrap().iter().find(|r| r["key"]["id"] == "wtdc22_afr1").unwrap();
    let seen = held["record"]["revs"]["status"].as_u64().unwrap();
    push(&app, &a, vec![edit("a", 2, "wtdc22_afr1", "status", json!("closed"), seen)]).await;
    let changes = pull(&app, &a, h, 10).await["changes"].clone();
    let second = &changes[1];
    assert_eq!(second["record"]["fields"]["title"]["en"], "Title by B");
    assert_eq!(second["conflicts"][0]["lost"]["en"], "Title by A");
    assert_eq!(second["conflicts"][0]["won"]["en"], "Title by B");
    // It names whose edit won and whose was overwritten.
    let me = |client: &reqwest::Client| client.get(app.url("/api/me")).send();
    let (me_a, me_b): (Value, Value) = (me(&a).await.unwrap().json().await.unwrap(), me(&b).await.unwrap().json().await.unwrap());
    let author = |who: &Value| json!({"id": who["id"], "name": who["name"]});
    assert_eq!(second["conflicts"][0]["won_by"], author(&me_b));
    assert_eq!(second["conflicts"][0]["lost_by"], author(&me_a));
    let third = &changes[2];
    assert_eq!(third["record"]["fields"], json!({"status": "closed"}), "a different field merges");
    let detail: Value = a.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    assert_eq!((&detail["initiative"]["title"]["en"], &detail["initiative"]["status"]), (&json!("Title by B"), &json!("closed")));
    assert!(third["conflicts"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_client_id_cannot_be_used_by_another_user() {
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let admin = app.login(ADMIN).await;
    push(&app, &afr, vec![edit("shared-browser", 1, "wtdc22_afr1", "status", json!("closed"), 0)]).await;
    let results = push(&app, &admin, vec![edit("shared-browser", 2, "wtdc22_afr1", "status", json!("adopted"), 1)]).await;
    assert_eq!(results, vec![json!({"refused": {"code": "forbidden"}})]);
}

#[tokio::test]
async fn pushes_are_limited_and_need_a_session() {
    let app = TestApp::demo().await;
    let r = app.anonymous().post(app.url("/api/sync/push")).json(&json!({"mutations": []})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let afr = app.login(COORD_AFR).await;
    let many: Vec<Value> = (1..=101).map(|i| edit("c", i, "wtdc22_afr1", "status", json!("closed"), 0)).collect();
    let r = afr.post(app.url("/api/sync/push")).json(&json!({"mutations": many})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(r).await, "too_many_mutations");
}

#[tokio::test]
async fn a_synced_initiative_continues_only_its_regions_previous_one() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let r = admin.post(app.url("/api/initiatives")).json(&new_initiative("AFR1", "AFR")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let other_region = edit("adm", 1, "wtdc25_afr1", "continues", json!("wtdc22_asp1"), 0);
    let same_region = edit("adm", 2, "wtdc25_afr1", "continues", json!("wtdc22_afr1"), 0);
    let results = push(&app, &admin, vec![other_region, same_region]).await;
    assert_eq!(results[0], json!({"refused": {"code": "invalid", "detail": [{"field": "continues", "problem": "unknown_code"}]}}));
    let seq = results[1]["applied"].as_u64().expect("applied");
    // The edit's base is older than the field: a conflict whose lost value is "not set", which
    // the log stores without the null and still gives back.
    let log = pull(&app, &admin, seq - 1, 1).await;
    assert_eq!(log["changes"][0]["conflicts"][0]["field"], "continues");
    assert_eq!(log["changes"][0]["conflicts"][0]["lost"], Value::Null);
}

#[tokio::test]
async fn concurrent_pushes_are_each_applied_whole_in_one_gapless_log() {
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let delegate = app.login(DELEGATE).await;
    let h = head(&app, &afr).await;
    // Twenty pushes of five edits at once (they are committed in groups), and a delegate's
    // refused push among them.
    let pushes = (0..20).map(|p| {
        let mutations = (1..=5).map(|i| edit(&format!("laptop-{p}"), i, "wtdc22_afr1", "status", json!("implementing"), 0)).collect();
        push(&app, &afr, mutations)
    });
    let refused = push(&app, &delegate, vec![edit("ke-phone", 1, "wtdc22_afr1", "status", json!("closed"), 0)]);
    let (results, refused) = tokio::join!(futures_util::future::join_all(pushes), refused);
    assert_eq!(refused, vec![json!({"refused": {"code": "forbidden"}})]);

    let mut applied: Vec<Vec<u64>> = results.iter().map(|r| r.iter().map(|o| o["applied"].as_u64().expect("applied")).collect()).collect();
    for push in &applied {
        assert!(push.windows(2).all(|w| w[1] == w[0] + 1), "a push's changes are consecutive: {push:?}");
    }
    applied.sort();
    let all: Vec<u64> = applied.concat();
    assert_eq!(all, (h + 1..=h + 100).collect::<Vec<_>>(), "one gapless log");
    let log = pull(&app, &afr, h, 1000).await;
    assert_eq!(log["head"], h + 100);
    assert_eq!(log["changes"].as_array().unwrap().len(), 100);
}

#[tokio::test]
async fn a_translation_is_stored_with_its_source_and_a_malformed_one_is_refused() {
    use rihub_domain::lang::Lang;
    use rihub_domain::text::{Status, Text};
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let detail: Value = afr.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    let mut title: Text = serde_json::from_value(detail["initiative"]["title"].clone()).unwrap();
    assert!(title.translate(Lang::Fr, "Soutenir la transformation numérique", Lang::En));
    let m1 = edit("afr-laptop", 1, "wtdc22_afr1", "title", serde_json::to_value(&title).unwrap(), 0);
    assert!(push(&app, &afr, vec![m1]).await[0].get("applied").is_some());

    let detail: Value = afr.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    let stored: Text = serde_json::from_value(detail["initiative"]["title"].clone()).unwrap();
    assert_eq!(stored.status(Lang::Fr), Some(Status::Translation));
    assert_eq!(stored.get(Lang::Fr), Some("Soutenir la transformation numérique"));

    let malformed = json!({"en": "x", "translated": {"fr": "not a source"}});
    let m2 = edit("afr-laptop", 2, "wtdc22_afr1", "title", malformed, 0);
    let refused = &push(&app, &afr, vec![m2]).await[0];
    assert_eq!(refused["refused"]["code"], "invalid", "{refused}");
}

#[tokio::test]
async fn a_push_builds_on_its_own_earlier_mutations() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    // One transaction: the project and the continuation each look up the initiative written
    // just before them, which the store has not been sent yet.
    let create = |seq: u64, kind: &str, id: &str, fields: Value| json!({"client": "offline-laptop", "seq": seq, "op": {"op": "create", "key": {"kind": kind, "id": id}, "fields": fields}});
    let mut later = new_initiative("EUR9", "EUR");
    later["cycle"] = json!("WTDC-25");
    let mut earlier = new_initiative("EUR8", "EUR");
    earlier["cycle"] = json!("WTDC-22");
    later["continues"] = json!("wtdc22_eur8");
    let results = push(
        &app,
        &admin,
        vec![
            create(1, "initiative", "wtdc22_eur8", earlier),
            create(
                2,
                "project",
                "p-eur8",
                json!({"initiative": "wtdc22_eur8", "title": {"en": "Built on an initiative of the same push"}, "status": "planned"}),
            ),
            create(3, "initiative", "wtdc25_eur9", later),
        ],
    )
    .await;
    assert!(results.iter().all(|r| r.get("applied").is_some()), "{results:?}");
    let project: Value = admin.get(app.url("/api/projects/p-eur8")).send().await.unwrap().json().await.unwrap();
    assert_eq!(project["title"]["en"], "Built on an initiative of the same push");
    let log = pull(&app, &admin, 0, 1000).await;
    let seqs: Vec<u64> = log["changes"].as_array().unwrap().iter().rev().take(3).map(|c| c["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, results.iter().rev().map(|r| r["applied"].as_u64().unwrap()).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_record_written_several_times_in_one_push_is_stored_as_last_written() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    // The writes of a transaction are stored together at its end: each record as it was left.
    let op = |seq: u64, op: Value| json!({"client": "offline-laptop", "seq": seq, "op": op});
    let key = json!({"kind": "initiative", "id": "wtdc25_eur8"});
    let gone = json!({"kind": "initiative", "id": "wtdc25_eur7"});
    let results = push(
        &app,
        &admin,
        vec![
            op(1, json!({"op": "create", "key": key, "fields": new_initiative("EUR8", "EUR")})),
            edit("offline-laptop", 2, "wtdc25_eur8", "status", json!("implementing"), 0),
            op(3, json!({"op": "create", "key": gone, "fields": new_initiative("EUR7", "EUR")})),
            op(4, json!({"op": "delete", "key": gone})),
            edit("offline-laptop", 5, "wtdc25_eur8", "status", json!("completed"), 0),
        ],
    )
    .await;
    assert!(results.iter().all(|r| r.get("applied").is_some()), "{results:?}");
    let kept: Value = admin.get(app.url("/api/initiatives/wtdc25_eur8")).send().await.unwrap().json().await.unwrap();
    assert_eq!(kept["initiative"]["status"], "completed");
    let deleted = admin.get(app.url("/api/initiatives/wtdc25_eur7")).send().await.unwrap();
    assert_eq!(deleted.status(), 404);
    let log = pull(&app, &admin, results[0]["applied"].as_u64().unwrap() - 1, 10).await;
    let kinds: Vec<bool> = log["changes"].as_array().unwrap().iter().map(|c| c["record"].is_object()).collect();
    assert_eq!(kinds, [true, true, true, false, true], "every change is logged, the delete without a record");
}
