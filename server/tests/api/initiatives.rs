use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test]
async fn list_filters_by_region_cycle_and_text_in_any_language() {
    let app = TestApp::demo().await;
    let client = app.login(OBSERVER).await;
    let get = |q: &'static str| {
        let client = client.clone();
        let url = app.url(&format!("/api/initiatives?{q}"));
        async move { client.get(url).send().await.unwrap().json::<Vec<Value>>().await.unwrap() }
    };
    let cis = get("region=CIS").await;
    assert!(!cis.is_empty() && cis.iter().all(|i| i["region"] == "CIS"));
    let wtdc17_cis = get("region=CIS&cycle=WTDC-17").await;
    let codes: Vec<_> = wtdc17_cis.iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["CIS1", "CIS2", "CIS3", "CIS4", "CIS5"]);
    let found = get("q=SMART%20learning").await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["code"], "ARB4");
    let asp1 = get("cycle=WTDC-22&region=ASP").await;
    assert_eq!(asp1[0]["project_count"], 4);
    let r = client.get(app.url("/api/initiatives?region=XYZ")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(error_code(r).await, "bad_query");
}

#[tokio::test]
async fn an_edit_from_a_stale_revision_is_refused_with_the_current_version() {
    let app = TestApp::demo().await;
    let a = app.login(COORD_AFR).await;
    let b = app.login(ADMIN).await;
    let detail: Value = a.get(app.url("/api/initiatives/wtdc22_afr1")).send().await.unwrap().json().await.unwrap();
    let mut fields = detail["initiative"].clone();
    for k in ["id", "rev"] {
        fields.as_object_mut().unwrap().remove(k);
    }
    fields["title"]["fr"] = "Transformation numérique".into();
    let r = b.put(app.url("/api/initiatives/wtdc22_afr1")).json(&json!({"rev": 1, "fields": fields})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let saved: Value = r.json().await.unwrap();
    assert_eq!(saved["rev"], 2);
    fields["title"]["fr"] = "Autre titre".into();
    let r = a.put(app.url("/api/initiatives/wtdc22_afr1")).json(&json!({"rev": 1, "fields": fields})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "stale_revision");
    assert_eq!(body["error"]["current"]["title"]["fr"], "Transformation numérique");
    assert_eq!(body["error"]["current"]["rev"], 2);
}

#[tokio::test]
async fn cycle_and_code_are_unique_together_and_cannot_change() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let mut dup = new_initiative("AFR1", "AFR");
    dup["cycle"] = "WTDC-22".into();
    let r = admin.post(app.url("/api/initiatives")).json(&dup).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(r).await, "exists");
    // The same code in another cycle is a different initiative.
    let r = admin.post(app.url("/api/initiatives")).json(&new_initiative("AFR1", "AFR")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let mut fields = new_initiative("AFR2", "AFR");
    let r = admin.put(app.url("/api/initiatives/wtdc25_afr1")).json(&json!({"rev": 1, "fields": fields.clone()})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0], json!({"field": "code", "problem": "immutable"}));
    fields["code"] = "AFR1".into();
    fields["continues"] = "wtdc22_afr1".into();
    let r = admin.put(app.url("/api/initiatives/wtdc25_afr1")).json(&json!({"rev": 1, "fields": fields.clone()})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    fields["continues"] = "wtdc22_asp1".into();
    let r = admin.put(app.url("/api/initiatives/wtdc25_afr1")).json(&json!({"rev": 2, "fields": fields})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "continues an initiative of another region");
}

#[tokio::test]
async fn an_initiative_with_projects_is_not_deleted() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let r = asp.delete(app.url("/api/initiatives/wtdc22_asp1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(error_code(r).await, "has_projects");
    let r = asp.delete(app.url("/api/initiatives/wtdc14_asp2")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(asp.get(app.url("/api/initiatives/wtdc14_asp2")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn projects_are_created_read_and_edited_with_validation() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let body = json!({"initiative": "wtdc22_asp1", "fields": {
        "title": {"en": "Pacific connectivity"}, "status": "planned", "countries": ["FJ", "TO"],
        "start": "2026-01-01", "end": "2027-06-30", "budget": {"amount": 250000, "currency": "USD"},
        "indicators": [{"name": {"en": "Schools connected"}, "baseline": 0, "target": 40.5}],
    }});
    let r = asp.post(app.url("/api/projects")).json(&body).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_str().unwrap();
    let read: Value = asp.get(app.url(&format!("/api/projects/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(read["budget"]["amount"], 250000);
    assert_eq!(read["indicators"][0]["target"], 40.5);
    assert_eq!(read["end"], "2027-06-30");
    let mut bad = body.clone();
    bad["rev"] = 1.into();
    bad["fields"]["end"] = "2025-01-01".into();
    bad["fields"]["countries"] = json!(["FJ", "ZZ"]);
    let r = asp.put(app.url(&format!("/api/projects/{id}"))).json(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = r.json().await.unwrap();
    let fields: Vec<_> = err["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap().to_string()).collect();
    assert_eq!(fields, ["countries.1", "end"]);
    let unchanged: Value = asp.get(app.url(&format!("/api/projects/{id}"))).send().await.unwrap().json().await.unwrap();
    assert_eq!(unchanged, read, "a refused edit changes nothing");
}
