//! Malformed, unknown, oversized and mistyped input: a 4xx with a stable code, nothing written.

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

async fn initiative_count(app: &TestApp) -> usize {
    let rows = app.state.db.run("SELECT id FROM initiative", json!({})).await.unwrap();
    rows[0].as_array().unwrap().len()
}

#[tokio::test]
async fn bad_bodies_get_stable_codes_and_change_nothing() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let before = initiative_count(&app).await;
    let url = app.url("/api/initiatives");
    let send = |body: Vec<u8>, content_type: &'static str| {
        let admin = admin.clone();
        let url = url.clone();
        async move { admin.post(url).header("content-type", content_type).body(body).send().await.unwrap() }
    };
    let mut unknown = new_initiative("AFR20", "AFR");
    unknown["owner"] = "me".into();
    let mut wrong_type = new_initiative("AFR21", "AFR");
    wrong_type["verified"] = "yes".into();
    let mut invalid = new_initiative("AFR22", "AFR");
    invalid["title"] = json!({});
    let huge = serde_json::to_vec(&json!({"title": {"en": "x".repeat(2 * 1024 * 1024)}})).unwrap();
    let cases: Vec<(Vec<u8>, &str, StatusCode, &str)> = vec![
        (b"{not json".to_vec(), "application/json", StatusCode::BAD_REQUEST, "malformed_json"),
        (serde_json::to_vec(&unknown).unwrap(), "application/json", StatusCode::BAD_REQUEST, "invalid_body"),
        (serde_json::to_vec(&wrong_type).unwrap(), "application/json", StatusCode::BAD_REQUEST, "invalid_body"),
        (b"[]".to_vec(), "application/json", StatusCode::BAD_REQUEST, "invalid_body"),
        (serde_json::to_vec(&invalid).unwrap(), "application/json", StatusCode::UNPROCESSABLE_ENTITY, "invalid"),
        (b"{}".to_vec(), "text/plain", StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json"),
        (huge, "application/json", StatusCode::PAYLOAD_TOO_LARGE, "too_large"),
    ];
    for (body, content_type, status, code) in cases {
        let r = send(body, content_type).await;
        assert_eq!(r.status(), status, "{code}");
        assert_eq!(error_code(r).await, code);
    }
    assert_eq!(initiative_count(&app).await, before, "nothing was written");
}

#[tokio::test]
async fn junk_in_paths_and_cookies_is_not_an_error() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    for path in ["/api/initiatives/..%2F..%2Fetc", "/api/initiatives/%00", "/api/projects/x'y"] {
        let r = admin.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let r = app.anonymous().get(app.url("/api/me")).header("cookie", "rihub_session=';DROP").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = admin.get(app.url("/api/no-such-route")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(error_code(r).await, "not_found");
}

/// A sync mutation creating a project under the Asia-Pacific initiative with `fields`.
fn project(client: &str, seq: u64, id: &str, fields: serde_json::Value) -> serde_json::Value {
    let mut fields = fields;
    fields["initiative"] = json!("wtdc22_asp1");
    json!({"client": client, "seq": seq, "op": {"op": "create", "key": {"kind": "project", "id": id}, "fields": fields}})
}

#[tokio::test]
async fn every_text_id_and_code_is_bounded_and_refused_with_its_field() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let refused = |field: &str, problem: &str| json!({"refused": {"code": "invalid", "detail": [{"field": field, "problem": problem}]}});
    let title = |t: &str| json!({"title": {"en": t}, "status": "planned"});
    let cases = [
        (project("asp", 1, "p1", title("two\u{0}parts")), refused("title", "bad_format")),
        (project("asp", 2, "p2", title(&"x".repeat(501))), refused("title", "too_long")),
        (
            project(
                "asp",
                3,
                "p3",
                json!({"title": {"en": "t", "fr": "t", "translated": {"fr": {"from": "en", "of": "not a fingerprint"}}}, "status": "planned"}),
            ),
            refused("title", "bad_format"),
        ),
        (
            project(
                "asp",
                4,
                "p4",
                json!({"title": {"en": "t"}, "status": "planned", "partners": [{"name": "ADB", "kind": "financial_institution", "role": "funding"}, {"name": " adb ", "kind": "financial_institution", "role": "funding"}]}),
            ),
            refused("partners.1.name", "duplicate"),
        ),
        (
            project(
                "asp",
                5,
                "p5",
                json!({"title": {"en": "t"}, "status": "planned", "indicators": [{"name": {"en": "n"}, "unit": "a\nb", "baseline": 0, "target": 1}]}),
            ),
            refused("indicators.0.unit", "bad_format"),
        ),
        (project("asp", 6, "P 6", title("t")), refused("key.id", "bad_format")),
        (project(&"c".repeat(65), 1, "p7", title("t")), refused("client", "bad_format")),
    ];
    let before = app.state.db.run("SELECT VALUE id FROM project", json!({})).await.unwrap()[0].as_array().unwrap().len();
    for (mutation, expected) in cases {
        let outcome = push(&app, &asp, vec![mutation.clone()]).await;
        assert_eq!(outcome[0], expected, "{mutation}");
    }
    let after = app.state.db.run("SELECT VALUE id FROM project", json!({})).await.unwrap()[0].as_array().unwrap().len();
    assert_eq!(after, before, "nothing was written");
    let r = asp.get(app.url(&format!("/api/search?q={}", "x".repeat(501)))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = asp.get(app.url("/api/sync/pull?cursor=-1")).send().await.unwrap();
    assert_eq!((r.status(), error_code(r).await.as_str()), (StatusCode::BAD_REQUEST, "bad_query"));
}

#[tokio::test]
async fn what_is_stored_is_the_typed_record_not_the_json_as_sent() {
    let app = TestApp::demo().await;
    let asp = app.login(COORD_ASP).await;
    let sent = json!({"title": {"en": "Clinics online", "fr": "   ", "translated": {"ru": {"from": "en", "of": "0123456789abcdef"}}}, "status": "planned"});
    assert!(push(&app, &asp, vec![project("asp", 1, "clinics", sent)]).await[0].get("applied").is_some());
    let stored = app.state.db.run("SELECT title, countries FROM project:clinics", json!({})).await.unwrap();
    assert_eq!(stored[0][0]["title"], json!({"en": "Clinics online"}), "no blank language, no note beside no text");
    assert_eq!(stored[0][0]["countries"], json!([]), "a default, filled in");
}

#[tokio::test]
async fn a_client_keeps_at_most_its_last_thousand_refusals() {
    let app = TestApp::demo().await;
    let observer = app.login(OBSERVER).await;
    for batch in 0..11u64 {
        let mutations = (1..=100).map(|i| edit("noisy", batch * 100 + i, "wtdc22_afr1", "status", json!("closed"), 0)).collect();
        let outcomes = push(&app, &observer, mutations).await;
        assert!(outcomes.iter().all(|o| o["refused"]["code"] == "forbidden"));
    }
    let kept = app.state.db.run("SELECT VALUE seq FROM sync_refusal WHERE client = 'noisy'", json!({})).await.unwrap();
    let kept: Vec<u64> = kept[0].as_array().unwrap().iter().map(|s| s.as_u64().unwrap()).collect();
    assert_eq!((kept.len(), kept.iter().min().copied()), (1000, Some(101)));
    // A retry of a remembered one gets the same answer.
    assert_eq!(
        push(&app, &observer, vec![edit("noisy", 1100, "wtdc22_afr1", "status", json!("closed"), 0)]).await[0]["refused"]["code"],
        "forbidden"
    );
}

#[tokio::test]
async fn a_database_failure_reaches_the_client_as_internal_with_a_request_id_only() {
    let app = TestApp::demo().await;
    let admin = app.login(ADMIN).await;
    let invite = json!({"email": "new@rihub.example", "name": "New", "roles": [{"kind": "observer"}]});
    let link: serde_json::Value = admin.post(app.url("/api/admin/invites")).json(&invite).send().await.unwrap().json().await.unwrap();
    let token = link["link"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    // The store refuses every new account, as a broken database would.
    app.state.db.run("DEFINE FIELD OVERWRITE name ON user TYPE string ASSERT false", json!({})).await.unwrap();
    let r = app
        .anonymous()
        .post(app.url(&format!("/api/invites/{token}")))
        .json(&json!({"name": "Eva", "password": "long enough password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "internal");
    assert_eq!(body["error"]["request_id"].as_str().map(str::len), Some(16));
    let text = body.to_string().to_lowercase();
    assert!(!text.contains("assert") && !text.contains("database") && !text.contains("field"), "{body}");
}
