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
