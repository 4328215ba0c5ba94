//! Migrations, persistence on disk, static files and headers.

use reqwest::StatusCode;
use rihub_server::Config;
use rihub_server::config::DatabaseConfig;
use rihub_server::db::{Db, migrate};
use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn migrations_apply_once_in_memory() {
    let db = Db::connect("mem://", None).await.unwrap();
    let all: Vec<u32> = (1..=migrate::latest_version()).collect();
    assert_eq!(migrate::migrate(&db).await.unwrap(), all);
    assert!(migrate::migrate(&db).await.unwrap().is_empty(), "a second run applies nothing");
}

#[tokio::test]
async fn data_survives_a_restart_on_surrealkv_and_migrations_do_not_rerun() {
    let (_dir, path) = temp_dir();
    let url = format!("surrealkv://{}", path.join("rihub.db").display());
    {
        let app = TestApp::start(Config { database: DatabaseConfig { url: url.clone(), user: None, pass: None }, demo: true, ..Config::for_tests() }).await;
        let admin = app.login(ADMIN).await;
        let r = admin.post(app.url("/api/initiatives")).json(&new_initiative("EUR7", "EUR")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    // Wait for the first server's handle on the files to go away.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let db = Db::connect(&url, None).await.unwrap();
    assert!(migrate::migrate(&db).await.unwrap().is_empty());
    let rows = db.run("SELECT code FROM initiative WHERE code = 'EUR7'", json!({})).await.unwrap();
    assert_eq!(rows[0].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_app_is_served_with_cache_and_security_headers() {
    let (_dir, dist) = temp_dir();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>rihub</title>").unwrap();
    std::fs::write(dist.join("rihub-0123456789abcdef.js"), "export {}").unwrap();
    let app = TestApp::start(Config { dist: dist.clone(), ..Config::for_tests() }).await;
    let client = app.anonymous();

    let r = client.get(app.url("/initiatives/wtdc22_afr1")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "client-side routes get index.html");
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    assert!(r.headers().contains_key("referrer-policy"));
    assert!(r.text().await.unwrap().contains("<title>rihub</title>"));

    let r = client.get(app.url("/rihub-0123456789abcdef.js")).header("accept-encoding", "gzip").send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");

    let r = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_plain_start_creates_no_accounts() {
    let app = TestApp::start(Config::for_tests()).await;
    let rows = app.state.db.run("SELECT * FROM user", json!({})).await.unwrap();
    assert!(rows[0].as_array().unwrap().is_empty());
    assert!(!rihub_server::db::users::has_admin(&app.state.db).await.unwrap());
}
