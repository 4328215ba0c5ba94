use std::time::Duration;

use reqwest::StatusCode;
use rihub_server::Config;
use rihub_server::auth::resolved::FRESH;
use rihub_server::clock::Clock;
use rihub_server::config::SessionPolicy;
use serde_json::json;

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
async fn a_session_ends_after_fourteen_days_without_use() {
    let clock = Clock::manual(1_800_000_000);
    let app = TestApp::demo_at(clock.clone()).await;
    let client = app.login(OBSERVER).await;
    clock.advance(Duration::from_secs(13 * DAY));
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::OK, "used after 13 days");
    clock.advance(Duration::from_secs(13 * DAY));
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::OK, "13 days after its last use");
    clock.advance(Duration::from_secs(14 * DAY));
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "14 days without use");
    let left = app.state.db.run("SELECT * FROM session", json!({})).await.unwrap();
    assert_eq!(left[0].as_array().unwrap().len(), 0, "the ended session is removed");
}

#[tokio::test]
async fn a_session_ends_thirty_days_after_sign_in_however_much_it_is_used() {
    let clock = Clock::manual(1_800_000_000);
    let app = TestApp::demo_at(clock.clone()).await;
    let client = app.anonymous();
    let r = client
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": OBSERVER, "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains(&format!("Max-Age={}", 30 * DAY)), "the cookie lives as long as the session can: {cookie}");
    for day in 1..30 {
        clock.advance(Duration::from_secs(DAY));
        assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::OK, "day {day}");
    }
    clock.advance(Duration::from_secs(DAY));
    assert_eq!(client.get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn session_lifetimes_are_configurable() {
    let clock = Clock::manual(1_800_000_000);
    let sessions = SessionPolicy { idle_days: 1, max_days: 2 };
    let app = TestApp::start(Config { demo: true, clock: clock.clone(), sessions, ..Config::for_tests() }).await;
    let client = app.login(OBSERVER).await;
    clock.advance(Duration::from_secs(DAY + 60));
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
    let r = client
        .post(app.url("/api/initiatives"))
        .header("origin", app.base.clone())
        .json(&new_initiative("AFR9", "AFR"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}

const DAY: u64 = 24 * 3600;

#[tokio::test]
async fn sessions_behind_https_use_secure_cookies() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    // Behind a TLS proxy the public origin is https; the server itself speaks plain HTTP.
    let (app, _) = rihub_server::build(&Config { demo: true, ..Config::for_tests() }, "https://rihub.example.org".into()).await.unwrap();
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await });
    let r = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .header("origin", "https://rihub.example.org")
        .json(&json!({"email": OBSERVER, "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("; Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    let cookie = cookie.split(';').next().unwrap().to_string();
    let out = reqwest::Client::new()
        .post(format!("{base}/api/auth/logout"))
        .header("cookie", cookie)
        .header("origin", "https://rihub.example.org")
        .send()
        .await
        .unwrap();
    assert!(out.headers()["set-cookie"].to_str().unwrap().contains("; Secure"), "the removal too");
}
