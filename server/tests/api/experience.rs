//! Experience reports, search in the six languages, similar records, replication and merging
//! duplicates, against a real SurrealDB and its full-text indexes.

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::support::*;

/// Search and "similar" follow the change log: polls `read` until `done` holds (or fails
/// after ten seconds, showing the last answer).
async fn eventually(mut read: impl AsyncFnMut() -> Value, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = read().await;
        if done(&value) {
            return value;
        }
        assert!(Instant::now() < deadline, "never came true; last answer: {value}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn get(app: &TestApp, client: &Client, path: &str) -> Value {
    let r = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.json().await.unwrap()
}

fn ids(found: &Value) -> Vec<String> {
    found.as_array().unwrap().iter().map(|f| format!("{}/{}", f["kind"].as_str().unwrap(), f["id"].as_str().unwrap())).collect()
}

/// The id of the demo project with this English title.
async fn project_titled(app: &TestApp, client: &Client, title: &str) -> String {
    let log = pull(app, client, 0, 1000).await;
    let found =
        log["changes"].as_array().unwrap().iter().find(|c| c["key"]["kind"] == "project" && c["record"]["fields"]["title"]["en"] == title);
    found.expect("demo project")["key"]["id"].as_str().unwrap().to_string()
}

fn create(client: &str, seq: u64, kind: &str, id: &str, fields: Value) -> Value {
    json!({"client": client, "seq": seq, "op": {"op": "create", "key": {"kind": kind, "id": id}, "fields": fields}})
}

fn set(client: &str, seq: u64, kind: &str, id: &str, field: &str, value: Value, base: u64) -> Value {
    json!({"client": client, "seq": seq, "op": {"op": "edit", "key": {"kind": kind, "id": id}, "changes": [{"field": field, "value": value, "base": base}]}})
}

/// A report on `project` whose title and lessons are written in all six languages.
fn six_language_report(project: &str) -> Value {
    json!({
        "project": project,
        "title": {"en": "Smart villages connect rural schools", "fr": "Les villages intelligents connectent les écoles rurales",
                  "es": "Las aldeas inteligentes conectan las escuelas rurales", "ru": "Умные деревни подключают сельские школы",
                  "ar": "القرى الذكية تربط المدارس الريفية", "zh": "智慧村庄连接农村学校"},
        "lessons": {"en": "Community ownership of the network kept it running."},
        "stakeholders": ["Ministry of ICT"],
        "recommended_for_replication": true,
    })
}

fn applied(outcome: &Value) -> bool {
    outcome.get("applied").is_some()
}

#[tokio::test]
async fn search_finds_a_report_by_a_word_of_each_language_with_filters_and_highlights() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let project = project_titled(&app, &asp, "Smart Villages and Smart Islands").await;
    let mut report = six_language_report(&project);
    report["published_at"] = json!(1);
    assert!(applied(&push(&app, &asp, vec![create("asp", 1, "report", "villages", report)]).await[0]));

    let afr = app.login(COORD_AFR).await;
    // Each language's analyzer: "école" finds "écoles", "escuela" finds "escuelas", "школы"
    // finds "школы", characters find Chinese, the Arabic word as written.
    for (lang, word) in [("en", "school"), ("fr", "école"), ("es", "escuela"), ("ru", "школы"), ("ar", "المدارس"), ("zh", "学校")]
    {
        let found = eventually(
            async || get(&app, &afr, &format!("/api/search?q={word}")).await,
            |f| ids(f).contains(&"report/villages".to_string()),
        )
        .await;
        let hit = found.as_array().unwrap().iter().find(|f| f["id"] == "villages").unwrap();
        let snippet =
            hit["matches"].as_array().unwrap().iter().find(|s| s["lang"] == lang).unwrap_or_else(|| panic!("a {lang} snippet in {hit}"));
        assert!(snippet["parts"].as_array().unwrap().iter().any(|p| p["hit"] == true), "{lang}: {snippet}");
    }
    let filtered = |query: String| {
        let (app, afr) = (&app, &afr);
        async move { ids(&get(app, afr, &format!("/api/search?q=villages{query}")).await) }
    };
    assert!(filtered("&kind=report&region=ASP&status=published&cycle=WTDC-22".into()).await.contains(&"report/villages".to_string()));
    assert!(filtered("&kind=report&region=ASP".into()).await.iter().all(|id| id.starts_with("report/")));
    assert!(!filtered("&region=AFR".into()).await.contains(&"report/villages".to_string()));
    assert!(!filtered("&status=draft".into()).await.contains(&"report/villages".to_string()));
    assert!(filtered("".into()).await.contains(&format!("project/{project}")), "projects are searched too");
    // A report's priorities are its initiative's.
    let asp1 = get(&app, &afr, "/api/initiatives/wtdc22_asp1").await;
    let priorities: Vec<String> = serde_json::from_value(asp1["initiative"]["priorities"].clone()).unwrap();
    let other =
        ["affordable_connectivity", "digital_transformation", "enabling_environment", "resource_mobilization", "inclusive_secure_ict"]
            .into_iter()
            .find(|p| !priorities.iter().any(|own| own == p))
            .unwrap();
    if let Some(own) = priorities.first() {
        assert!(filtered(format!("&kind=report&priority={own}")).await.contains(&"report/villages".to_string()));
    }
    assert!(!filtered(format!("&kind=report&priority={other}")).await.contains(&"report/villages".to_string()));
    // When the initiative's priorities change, its projects' and reports' follow.
    assert!(applied(&push(&app, &asp, vec![set("asp", 2, "initiative", "wtdc22_asp1", "priorities", json!([other]), 0)]).await[0]));
    let by_other = format!("/api/search?q=villages&kind=report&priority={other}");
    eventually(async || get(&app, &afr, &by_other).await, |f| ids(f).contains(&"report/villages".to_string())).await;
    assert_eq!(get(&app, &afr, "/api/search?q=%20").await, json!([]));
    // The publication was stamped by the server, not taken from the device.
    let log = pull(&app, &afr, 0, 1000).await;
    let change = log["changes"].as_array().unwrap().iter().rev().find(|c| c["key"]["id"] == "villages").unwrap();
    assert!(change["record"]["fields"]["published_at"].as_i64().unwrap() > 1_700_000_000);
}

#[tokio::test]
async fn a_draft_report_is_found_and_read_only_by_those_who_may_write_it() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let project = project_titled(&app, &asp, "GovStack capacity building").await;
    let draft = json!({"project": project, "title": {"en": "Draft lessons about interoperability"}});
    assert!(applied(&push(&app, &asp, vec![create("asp", 1, "report", "draft1", draft)]).await[0]));

    let (admin, afr, observer) = (app.login(ADMIN).await, app.login(COORD_AFR).await, app.login(OBSERVER).await);
    eventually(async || get(&app, &admin, "/api/search?q=interoperability").await, |f| ids(f) == vec!["report/draft1"]).await;
    assert_eq!(get(&app, &asp, "/api/search?q=interoperability").await.as_array().unwrap().len(), 1);
    assert_eq!(get(&app, &afr, "/api/search?q=interoperability").await, json!([]));
    assert_eq!(get(&app, &observer, "/api/search?q=interoperability").await, json!([]));
    // In the log, others get the change as its number only.
    let log = pull(&app, &afr, 0, 1000).await;
    let hidden = log["changes"].as_array().unwrap().iter().find(|c| c["key"]["kind"] == "report").unwrap();
    assert_eq!((hidden["key"]["id"].as_str(), hidden["record"].is_null()), (Some(""), true));
    // Another region's coordinator may not write it, nor write a report on that project.
    let outcome = &push(&app, &afr, vec![set("afr", 1, "report", "draft1", "title", json!({"en": "Mine now"}), 0)]).await[0];
    assert_eq!(outcome["refused"]["code"], "forbidden", "{outcome}");
    let outcome = &push(&app, &afr, vec![create("afr", 2, "report", "other", json!({"project": project, "title": {"en": "x"}}))]).await[0];
    assert_eq!(outcome["refused"]["code"], "forbidden", "{outcome}");
    // Published, everyone reads it.
    assert!(applied(&push(&app, &asp, vec![set("asp", 2, "report", "draft1", "published_at", json!(1), 0)]).await[0]));
    eventually(async || get(&app, &observer, "/api/search?q=interoperability").await, |f| ids(f) == vec!["report/draft1"]).await;
}

#[tokio::test]
async fn a_delegate_writes_only_their_countrys_part_and_only_that_country_reads_the_draft() {
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let project = json!({"initiative": "wtdc22_afr1", "title": {"en": "Rural broadband in Kenya and Ghana"}, "status": "ongoing", "countries": ["KE", "GH"]});
    assert!(applied(&push(&app, &afr, vec![create("afr", 1, "project", "ke-gh", project)]).await[0]));

    let (kenya, ghana) = (app.login(DELEGATE).await, app.login(DELEGATE_GH).await);
    let part = |state: Option<&str>| {
        let mut fields = json!({"project": "ke-gh", "title": {"en": "Kenya's part: community networks"}});
        if let Some(state) = state {
            fields["member_state"] = state.into();
        }
        fields
    };
    let whole = &push(&app, &kenya, vec![create("ke", 1, "report", "whole", part(None))]).await[0];
    assert_eq!(whole["refused"]["code"], "forbidden", "{whole}");
    let other = &push(&app, &kenya, vec![create("ke", 2, "report", "ghana", part(Some("GH")))]).await[0];
    assert_eq!(other["refused"]["code"], "forbidden", "{other}");
    assert!(applied(&push(&app, &kenya, vec![create("ke", 3, "report", "kenya", part(Some("KE")))]).await[0]));

    eventually(async || get(&app, &afr, "/api/search?q=community&kind=report").await, |f| ids(f) == vec!["report/kenya"]).await;
    assert_eq!(get(&app, &kenya, "/api/search?q=community&kind=report").await.as_array().unwrap().len(), 1);
    assert_eq!(get(&app, &ghana, "/api/search?q=community&kind=report").await, json!([]));
}

#[tokio::test]
async fn similar_records_come_from_other_regions_and_a_replica_points_to_its_source() {
    let app = TestApp::demo().await;
    let (asp, afr) = (app.login(COORD_ASP).await, app.login(COORD_AFR).await);
    let source = project_titled(&app, &asp, "Smart Villages and Smart Islands").await;
    let mut report = six_language_report(&source);
    report["published_at"] = json!(1);
    assert!(applied(&push(&app, &asp, vec![create("asp", 1, "report", "villages", report)]).await[0]));

    // Africa replicates the project under one of its initiatives.
    let replica = json!({"initiative": "wtdc22_afr1", "title": {"en": "Smart villages for rural schools"}, "status": "planned",
        "summary": {"en": "Connectivity and digital services for rural communities and their schools."}, "replicated_from": source});
    assert!(applied(&push(&app, &afr, vec![create("afr", 1, "project", "afr-villages", replica.clone())]).await[0]));
    let mut unknown = replica;
    unknown["replicated_from"] = json!("no-such-project");
    let outcome = &push(&app, &afr, vec![create("afr", 2, "project", "afr-bad", unknown)]).await[0];
    assert_eq!(outcome["refused"]["detail"][0], json!({"field": "replicated_from", "problem": "unknown_code"}), "{outcome}");

    // "Similar" to the Asian report: the African replica, with its score and shared words (as
    // written, not as stemmed);
    // never a record of the report's own region.
    let similar = eventually(
        async || get(&app, &afr, "/api/similar/report/villages").await,
        |f| ids(f).contains(&"project/afr-villages".to_string()),
    )
    .await;
    for found in similar.as_array().unwrap() {
        assert_ne!(found["region"], "ASP", "{found}");
        assert!(found["score"].as_f64().unwrap() > 0.0);
    }
    let replica = similar.as_array().unwrap().iter().find(|f| f["id"] == "afr-villages").unwrap();
    for word in ["villages", "rural", "schools"] {
        assert!(replica["shared"].as_array().unwrap().iter().any(|w| w == word), "{word} in {replica}");
    }
    // And it follows edits: once the replica's texts are about something else, it is gone.
    let edit = set("afr", 3, "project", "afr-villages", "title", json!({"en": "Spectrum monitoring"}), 0);
    let edit2 = set("afr", 4, "project", "afr-villages", "summary", json!({"en": "Monitoring equipment for regulators."}), 0);
    assert!(push(&app, &afr, vec![edit, edit2]).await.iter().all(applied));
    eventually(async || get(&app, &afr, "/api/similar/report/villages").await, |f| !ids(f).contains(&"project/afr-villages".to_string()))
        .await;
    assert_eq!(get(&app, &afr, "/api/similar/report/no-such").await, json!([]));
}

#[tokio::test]
async fn possible_duplicates_are_for_coordinators_and_linking_or_merging_keeps_both_initiatives() {
    let app = TestApp::demo().await;
    let afr = app.login(COORD_AFR).await;
    let mut twin = new_initiative("AFR7", "AFR");
    twin["objective"] = json!({"en": "To assist Member States in the Africa region in reaping the full benefits of digital transformation and foster innovation."});
    assert!(applied(&push(&app, &afr, vec![create("afr", 1, "initiative", "wtdc25_afr7", twin)]).await[0]));

    let is_pair = |p: &Value| [&p["a"]["id"], &p["b"]["id"]].iter().all(|id| *id == "wtdc25_afr7" || *id == "wtdc22_afr1");
    let pairs = eventually(async || get(&app, &afr, "/api/duplicates").await, |d| d.as_array().unwrap().iter().any(is_pair)).await;
    let pair = pairs.as_array().unwrap().iter().find(|p| is_pair(p)).unwrap();
    assert!(pair["b"]["score"].as_f64().unwrap() >= 0.3 && !pair["b"]["shared"].as_array().unwrap().is_empty(), "{pair}");
    assert_eq!(app.login(OBSERVER).await.get(app.url("/api/duplicates")).send().await.unwrap().status(), StatusCode::FORBIDDEN);

    // The coordinator merges the new one into the existing one: both stay, one points to the other.
    assert!(applied(&push(&app, &afr, vec![set("afr", 2, "initiative", "wtdc25_afr7", "merged_into", json!("wtdc22_afr1"), 0)]).await[0]));
    let merged = get(&app, &afr, "/api/initiatives/wtdc25_afr7").await;
    assert_eq!(merged["initiative"]["merged_into"], "wtdc22_afr1", "{merged}");
    assert_eq!(get(&app, &afr, "/api/initiatives/wtdc22_afr1").await["initiative"]["code"], "AFR1");
    eventually(async || get(&app, &afr, "/api/duplicates").await, |d| !d.as_array().unwrap().iter().any(is_pair)).await;
    // Linking as related also takes a pair off the list, and keeps both as they were.
    let mut cousin = new_initiative("AFR6", "AFR");
    cousin["objective"] = json!({"en": "Smart villages and smart islands: connecting rural schools, clinics and farmers in small states."});
    let mut sibling = new_initiative("AFR5", "AFR");
    sibling["objective"] = cousin["objective"].clone();
    let both = vec![create("afr", 3, "initiative", "wtdc25_afr6", cousin), create("afr", 4, "initiative", "wtdc25_afr5", sibling)];
    let outcomes = push(&app, &afr, both).await;
    assert!(outcomes.iter().all(applied), "{outcomes:?}");
    let siblings = |p: &Value| [&p["a"]["id"], &p["b"]["id"]].iter().all(|id| *id == "wtdc25_afr6" || *id == "wtdc25_afr5");
    eventually(async || get(&app, &afr, "/api/duplicates").await, |d| d.as_array().unwrap().iter().any(siblings)).await;
    assert!(applied(&push(&app, &afr, vec![set("afr", 5, "initiative", "wtdc25_afr6", "related", json!(["wtdc25_afr5"]), 0)]).await[0]));
    eventually(async || get(&app, &afr, "/api/duplicates").await, |d| !d.as_array().unwrap().iter().any(siblings)).await;
    assert!(get(&app, &afr, "/api/initiatives/wtdc25_afr5").await["initiative"]["merged_into"].is_null());
    // Merging into an initiative that does not exist changes nothing.
    let outcome = &push(&app, &afr, vec![set("afr", 6, "initiative", "wtdc25_afr7", "related", json!(["wtdc99_none"]), 0)]).await[0];
    assert_eq!(outcome["refused"]["detail"][0]["field"], "related.0", "{outcome}");
}
