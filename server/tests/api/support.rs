//! `TestApp`: a real server on 127.0.0.1:0 with its own database, and signed-in clients.

use std::net::SocketAddr;
use std::path::PathBuf;

use reqwest::{Client, Response, StatusCode};
use rihub_server::Config;
use rihub_server::clock::Clock;
use rihub_server::demo::DEMO_PASSWORD;
use rihub_server::state::AppState;
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub struct TestApp {
    pub base: String,
    pub state: AppState,
    _stop: oneshot::Sender<()>,
}

impl TestApp {
    /// A server with demo data on a fresh in-memory database.
    pub async fn demo() -> TestApp {
        TestApp::start(Config { demo: true, ..Config::for_tests() }).await
    }

    /// A server with demo data whose clock stands still until the test advances it.
    pub async fn demo_at(clock: Clock) -> TestApp {
        TestApp::start(Config { demo: true, clock, ..Config::for_tests() }).await
    }

    pub async fn start(config: Config) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (app, state) = rihub_server::build(&config, base.clone()).await.expect("build app");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
                .expect("serve");
        });
        TestApp { base, state, _stop: stop }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with its own cookie jar, signed in as nobody.
    pub fn anonymous(&self) -> Client {
        Client::builder().cookie_store(true).build().expect("client")
    }

    /// A client signed in as a demo user.
    pub async fn login(&self, email: &str) -> Client {
        let client = self.anonymous();
        let r = client
            .post(self.url("/api/auth/login"))
            .json(&serde_json::json!({"email": email, "password": DEMO_PASSWORD}))
            .send()
            .await
            .expect("login request");
        assert_eq!(r.status(), StatusCode::OK, "login as {email}");
        client
    }
}

pub const ADMIN: &str = "admin@rihub.example";
pub const COORD_AFR: &str = "coordinator.afr@rihub.example";
pub const COORD_ASP: &str = "coordinator.asp@rihub.example";
pub const DELEGATE: &str = "delegate.ke@rihub.example";
pub const DELEGATE2: &str = "delegate2.ke@rihub.example";
pub const DELEGATE_GH: &str = "delegate.gh@rihub.example";
pub const PARTNER: &str = "partner@rihub.example";
pub const OBSERVER: &str = "observer@rihub.example";

/// The stable error code of a failed response.
pub async fn error_code(r: Response) -> String {
    let body: Value = r.json().await.expect("error body is JSON");
    body["error"]["code"].as_str().expect("error.code").to_string()
}

/// A new initiative for `region`, valid unless changed.
pub fn new_initiative(code: &str, region: &str) -> Value {
    serde_json::json!({
        "cycle": "WTDC-25", "code": code, "region": region,
        "title": {"en": format!("Test initiative {code}")},
        "level": "regional", "status": "draft",
    })
}

pub fn temp_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// A sync mutation editing one field of an initiative.
pub fn edit(client: &str, seq: u64, id: &str, field: &str, value: Value, base: u64) -> Value {
    json!({"client": client, "seq": seq, "op": {"op": "edit", "key": {"kind": "initiative", "id": id},
        "changes": [{"field": field, "value": value, "base": base}]}})
}

/// Pushes mutations over HTTP; returns each one's outcome.
pub async fn push(app: &TestApp, client: &Client, mutations: Vec<Value>) -> Vec<Value> {
    let r = client.post(app.url("/api/sync/push")).json(&json!({"mutations": mutations})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["results"].as_array().unwrap().iter().map(|r| r["outcome"].clone()).collect()
}

/// The newest change number now (demo data is in the log too).
pub async fn head(app: &TestApp, client: &Client) -> u64 {
    pull(app, client, 0, 1).await["head"].as_u64().unwrap()
}

pub async fn pull(app: &TestApp, client: &Client, cursor: u64, limit: u64) -> Value {
    client.get(app.url(&format!("/api/sync/pull?cursor={cursor}&limit={limit}"))).send().await.unwrap().json().await.unwrap()
}
