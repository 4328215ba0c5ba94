use reqwest::StatusCode;
use serde_json::json;
use rihub_server::auth::resolved::FRESH;

use crate::support::*;

#[tokio::test]
async fn login_sets_an_http_only_cookie_and_me_answers() {
    let app = TestApp::demo().await;
    let client = app.anonymous();
    let r = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": "  Coordinator.AFR@rihub.example ", "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=2592000"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http origin gets no Secure flag");
    let me: serde_json::Value = client.get(app.url("/api/me")).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], COORD_AFR);
    assert_eq!(me["roles"][0], json!({"kind": "coordinator", "region": "AFR"}));
}

#[tokio::test]
async fn wrong_password_and_unknown_account_get_the_same_answer() {
    let app = TestApp::demo().await;
    let client = app.anonymous();
    let mut bodies = Vec::new();
    for email in [COORD_AFR, "nobody@rihub.example"] {
        let r = client.post(app.url("/api/auth/login")).json(&json!({"email": email, "password": "wrong-password"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        bodies.push(r.text().await.unwrap());
    }
    assert_eq!(bodies[0], bodies[1]);
    assert!(bodies[0].contains("bad_credentials"));
}

#[tokio::test]
async fn logout_revokes_the_session_on_the_server() {
    let app = TestApp::demo().await;
    let client = app.login(DELEGATE).await;
    // Keep a copy of the cookie, as a thief would, then log out.
    let token = app.state.db.run("SELECT record::id(id) AS id FROM session", json!({})).await.unwrap();
    assert_eq!(token[0].as_array().unwrap().len(), 1);
    let r = client.post(app.url("/api/auth/logout")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert!(r.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
    let left = app.state.db.run("SELECT * FROM session", json!({})).await.unwrap();
    assert_eq!(left[0].as_array().unwrap().len(), 0, "session row deleted");
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_session_is_refused_and_a_live_one_slides() {
    let app = TestApp::demo().await;
    let client = app.login(OBSERVER).await;
    // Ten days later: still valid, and the expiry moves forward again.
    app.state.db.run("UPDATE session SET expires_at = expires_at - 864000", json!({})).await.unwrap();
    let r = client.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers().contains_key("set-cookie"), "cookie refreshed when the expiry slides");
    let rows = app.state.db.run("SELECT expires_at FROM session", json!({})).await.unwrap();
    let expires = rows[0][0]["expires_at"].as_i64().unwrap();
    assert!(expires > rihub_server::db::now() + 29 * 86400);
    // Past the expiry: refused, once the session this process just resolved is read again.
    app.state.db.run("UPDATE session SET expires_at = 0", json!({})).await.unwrap();
    tokio::time::sleep(FRESH).await;
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_session_ended_by_another_process_is_refused_within_a_moment() {
    let app = TestApp::demo().await;
    let client = app.login(OBSERVER).await;
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::OK);
    // Another server process signs the session out: this one has it in memory.
    app.state.db.run("DELETE session", json!({})).await.unwrap();
    tokio::time::sleep(FRESH).await;
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_failed_logins_are_rate_limited_per_account() {
    let app = TestApp::demo().await;
    let client = app.anonymous();
    for _ in 0..5 {
        let r = client.post(app.url("/api/auth/login")).json(&json!({"email": PARTNER, "password": "guess-guess"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": PARTNER, "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "even the right password waits out the window");
    assert!(r.headers().contains_key("retry-after"));
    // Other accounts are not affected.
    app.login(OBSERVER).await;
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_loses_its_sessions() {
    let app = TestApp::demo().await;
    let delegate = app.login(DELEGATE).await;
    let admin = app.login(ADMIN).await;
    let users: Vec<serde_json::Value> = admin.get(app.url("/api/admin/users")).send().await.unwrap().json().await.unwrap();
    let id = users.iter().find(|u| u["email"] == DELEGATE).unwrap()["id"].as_str().unwrap().to_string();
    let r = admin.put(app.url(&format!("/api/admin/users/{id}/disabled"))).json(&json!({"disabled": true})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(delegate.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    let r = app
        .anonymous()
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": DELEGATE, "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn requests_from_another_origin_are_refused() {
    let app = TestApp::demo().await;
    let client = app.login(ADMIN).await;
    let r = client
        .post(app.url("/api/initiatives"))
        .header("origin", "https://evil.example")
        .json(&new_initiative("AFR9", "AFR"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(error_code(r).await, "bad_origin");
    let r = client.post(app.url("/api/initiatives")).header("origin", app.base.clone()).json(&new_initiative("AFR9", "AFR")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}
