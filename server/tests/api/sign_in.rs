//! Sign-in throttling that neither blocks the server nor locks people out: per account and
//! address with growing delays, counted before the password is checked, shared through the
//! database; successful sign-ins and live sessions per user are limited too.

use std::time::Duration;

use reqwest::{Client, StatusCode};
use rihub_server::Config;
use rihub_server::clock::Clock;
use rihub_server::demo::DEMO_PASSWORD;
use serde_json::json;

use crate::support::*;

/// A server with demo data behind a reverse proxy on loopback, on a clock the test moves.
async fn behind_proxy(clock: &Clock) -> TestApp {
    TestApp::start(Config {
        demo: true,
        clock: clock.clone(),
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        ..Config::for_tests()
    })
    .await
}

/// Signs in from `address` (through the proxy) and returns the status and Retry-After.
async fn sign_in(app: &TestApp, client: &Client, email: &str, password: &str, address: &str) -> (StatusCode, Option<u64>) {
    let r = client
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", address)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap();
    let retry = r.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok());
    (r.status(), retry)
}

#[tokio::test]
async fn five_wrong_passwords_from_an_address_then_each_try_waits_twice_as_long() {
    let clock = Clock::manual(1_800_000_000);
    let app = behind_proxy(&clock).await;
    let guesser = app.anonymous();
    for _ in 0..5 {
        assert_eq!(sign_in(&app, &guesser, PARTNER, "guess-guess", "203.0.113.9").await, (StatusCode::UNAUTHORIZED, None));
    }
    assert_eq!(
        sign_in(&app, &guesser, PARTNER, DEMO_PASSWORD, "203.0.113.9").await,
        (StatusCode::TOO_MANY_REQUESTS, Some(1)),
        "even the right password waits"
    );
    clock.advance(Duration::from_secs(1));
    assert_eq!(sign_in(&app, &guesser, PARTNER, "guess-again", "203.0.113.9").await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(sign_in(&app, &guesser, PARTNER, "guess-again", "203.0.113.9").await, (StatusCode::TOO_MANY_REQUESTS, Some(2)));
    // The owner, elsewhere, signs in at once.
    assert_eq!(sign_in(&app, &app.anonymous(), PARTNER, DEMO_PASSWORD, "198.51.100.20").await.0, StatusCode::OK);
}

#[tokio::test]
async fn guessing_from_many_addresses_slows_the_account_but_never_locks_its_owner_out() {
    let clock = Clock::manual(1_800_000_000);
    let app = behind_proxy(&clock).await;
    let guesser = app.anonymous();
    for i in 0..25 {
        assert_eq!(sign_in(&app, &guesser, OBSERVER, "guess-guess", &format!("203.0.113.{i}")).await.0, StatusCode::UNAUTHORIZED);
    }
    let started = std::time::Instant::now();
    assert_eq!(sign_in(&app, &app.anonymous(), OBSERVER, DEMO_PASSWORD, "198.51.100.20").await.0, StatusCode::OK);
    assert!(started.elapsed() >= rihub_server::auth::throttle::SLOWED, "slowed, not refused");
}

#[tokio::test]
async fn concurrent_wrong_guesses_are_counted_before_they_are_checked() {
    let clock = Clock::manual(1_800_000_000);
    let app = behind_proxy(&clock).await;
    let guesses = (0..20).map(|i| {
        let (app, client) = (&app, app.anonymous());
        async move { sign_in(app, &client, PARTNER, &format!("guess-{i}"), "203.0.113.9").await.0 }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let refused = answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, refused), (5, 15), "{answers:?}");
}

#[tokio::test]
async fn a_forged_forwarded_address_is_ignored_without_a_trusted_proxy() {
    let app = TestApp::start(Config { demo: true, clock: Clock::manual(1_800_000_000), ..Config::for_tests() }).await;
    let guesser = app.anonymous();
    for i in 0..5 {
        assert_eq!(sign_in(&app, &guesser, PARTNER, "guess-guess", &format!("203.0.113.{i}")).await.0, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        sign_in(&app, &guesser, PARTNER, "guess-guess", "203.0.113.99").await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "all from the peer's address"
    );
}

#[tokio::test]
async fn successful_sign_ins_are_limited_and_the_oldest_sessions_end_past_the_cap() {
    let clock = Clock::manual(1_800_000_000);
    let app = behind_proxy(&clock).await;
    let mut devices = Vec::new();
    for i in 0..21 {
        if i > 0 && i % 10 == 0 {
            assert_eq!(
                sign_in(&app, &app.anonymous(), DELEGATE, DEMO_PASSWORD, "198.51.100.20").await.0,
                StatusCode::TOO_MANY_REQUESTS,
                "ten a quarter of an hour"
            );
            clock.advance(Duration::from_secs(15 * 60));
        }
        let device = app.anonymous();
        assert_eq!(sign_in(&app, &device, DELEGATE, DEMO_PASSWORD, "198.51.100.20").await.0, StatusCode::OK, "sign-in {i}");
        devices.push(device);
        clock.advance(Duration::from_secs(1));
    }
    let live = app.state.db.run("SELECT VALUE id FROM session", json!({})).await.unwrap();
    assert_eq!(live[0].as_array().unwrap().len(), 20);
    assert_eq!(devices[0].get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "the oldest ended");
    assert_eq!(devices[1].get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(devices[20].get(app.url("/api/me")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn an_address_failing_for_many_accounts_is_refused_and_only_it() {
    let clock = Clock::manual(1_800_000_000);
    let app = behind_proxy(&clock).await;
    let sprayer = app.anonymous();
    for i in 0..rihub_server::auth::throttle::ADDRESS_LIMIT {
        assert_eq!(
            sign_in(&app, &sprayer, &format!("nobody{i}@rihub.example"), "guess-guess", "203.0.113.66").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    let (status, retry) = sign_in(&app, &sprayer, OBSERVER, DEMO_PASSWORD, "203.0.113.66").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some_and(|r| r <= 15 * 60), "{retry:?}");
    assert_eq!(sign_in(&app, &app.anonymous(), OBSERVER, DEMO_PASSWORD, "198.51.100.20").await.0, StatusCode::OK, "another address");
    clock.advance(Duration::from_secs(15 * 60));
    assert_eq!(sign_in(&app, &sprayer, OBSERVER, DEMO_PASSWORD, "203.0.113.66").await.0, StatusCode::OK, "a new quarter");
}
