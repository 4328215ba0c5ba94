//! Two rihub servers on one standalone SurrealDB (`ws://`) stay in step: a change pushed
//! through one reaches the sockets of the other, and concurrent pushes through both make one
//! change log without gaps or duplicates. The servers share nothing but the database: each
//! has its own state, broadcast channels and head watcher, as separate processes would. Search
//! follows writes made through either.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rihub_domain::sync::wire::PROTOCOL;
use rihub_server::Config;
use rihub_server::config::DatabaseConfig;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

const COORDINATOR: &str = "coordinator.afr@rihub.example";

struct DbServer(Child);

impl Drop for DbServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

async fn start_database() -> (DbServer, String) {
    let port = free_port();
    let child = Command::new(env!("CARGO_BIN_EXE_rihub-dbserver"))
        .args(["start", "--bind", &format!("127.0.0.1:{port}"), "--user", "root", "--pass", "root", "--log", "error", "memory"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rihub-dbserver");
    let server = DbServer(child);
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return (server, format!("ws://127.0.0.1:{port}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the database server did not listen on {port}");
}

/// A rihub server on the shared database; returns its base URL.
async fn start_rihub(url: &str, demo: bool) -> String {
    let database = DatabaseConfig { url: url.into(), user: Some("root".into()), pass: Some("root".into()) };
    let config = Config { database, demo, ..Config::for_tests() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let (app, _state) = rihub_server::build(&config, base.clone()).await.expect("build rihub");
    tokio::spawn(async move { axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await });
    base
}

async fn login(base: &str) -> (reqwest::Client, String) {
    let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let r = client
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": COORDINATOR, "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .expect("login");
    let cookie = r.headers()["set-cookie"].to_str().expect("cookie").split(';').next().expect("pair").to_string();
    (client, cookie)
}

async fn socket(base: &str, cookie: &str) -> Socket {
    let mut request = format!("{}/api/sync/socket", base.replacen("http", "ws", 1)).into_client_request().expect("request");
    request.headers_mut().insert("cookie", cookie.parse().expect("cookie header"));
    request.headers_mut().insert("origin", base.parse().expect("origin header"));
    tokio_tungstenite::connect_async(request).await.expect("socket").0
}

/// Reads changes until one made by `client` arrives; panics after five seconds.
async fn change_from(socket: &mut Socket, client: &str) -> Value {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            let Some(Ok(Message::Text(text))) = socket.next().await else { continue };
            let message: Value = serde_json::from_str(&text).expect("json");
            if let Some(change) = message["changes"]["changes"].as_array().and_then(|c| c.iter().find(|c| c["client"] == client)) {
                return change.clone();
            }
        }
    })
    .await
    .expect("the change reached the other server's socket within 5 s")
}

fn edit(client: &str, seq: u64, title: &str) -> Value {
    json!({"client": client, "seq": seq, "op": {"op": "edit", "key": {"kind": "initiative", "id": "wtdc22_afr1"},
        "changes": [{"field": "objective", "value": {"en": title}, "base": 0}]}})
}

async fn log(client: &reqwest::Client, base: &str) -> Vec<u64> {
    let mut cursor = 0;
    let mut seqs = Vec::new();
    loop {
        let page: Value =
            client.get(format!("{base}/api/sync/pull?cursor={cursor}")).send().await.expect("pull").json().await.expect("json");
        let changes = page["changes"].as_array().cloned().unwrap_or_default();
        let Some(last) = changes.last() else { return seqs };
        cursor = last["seq"].as_u64().expect("seq");
        seqs.extend(changes.iter().filter_map(|c| c["seq"].as_u64()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_database_stay_in_step() {
    let (_db, url) = start_database().await;
    let first = start_rihub(&url, true).await;
    let second = start_rihub(&url, false).await;
    let (client_a, _) = login(&first).await;
    let (client_b, cookie_b) = login(&second).await;

    let mut watching_b = socket(&second, &cookie_b).await;
    watching_b.send(Message::Text(json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0}).to_string().into())).await.expect("hello");
    let pushed = client_a
        .post(format!("{first}/api/sync/push"))
        .json(&json!({"mutations": [edit("via-first", 1, "from the first server")]}))
        .send()
        .await
        .expect("push");
    assert!(pushed.status().is_success());
    let change = change_from(&mut watching_b, "via-first").await;
    assert_eq!(change["record"]["fields"]["objective"]["en"], "from the first server");

    // Both servers take pushes at once; the shared sequence stays gapless and unique.
    let push = |client: reqwest::Client, base: String, name: &'static str| async move {
        for seq in 1..=20 {
            let body = json!({"mutations": [edit(name, seq, &format!("{name} {seq}"))]});
            let r = client.post(format!("{base}/api/sync/push")).json(&body).send().await.expect("push");
            assert!(r.status().is_success(), "{name} {seq}: {}", r.status());
        }
    };
    tokio::join!(push(client_a.clone(), first.clone(), "burst-a"), push(client_b.clone(), second.clone(), "burst-b"));
    let seen_by_a = log(&client_a, &first).await;
    let seen_by_b = log(&client_b, &second).await;
    assert_eq!(seen_by_a, seen_by_b);
    assert_eq!(seen_by_a, (1..=seen_by_a.len() as u64).collect::<Vec<_>>(), "one gapless sequence");
    change_from(&mut watching_b, "burst-a").await;

    // Search follows writes made through either server: an edit through the first is found
    // by the second's search, and its "similar" lists records of other regions.
    let body = json!({"mutations": [edit("via-first", 2, "Quokka broadband for island schools")]});
    assert!(client_a.post(format!("{first}/api/sync/push")).json(&body).send().await.expect("push").status().is_success());
    let found = answer_until(&client_b, &format!("{second}/api/search?q=quokka"), |f| f.as_array().is_some_and(|a| !a.is_empty())).await;
    assert_eq!(found[0]["id"], "wtdc22_afr1");
    let similar =
        answer_until(&client_b, &format!("{second}/api/similar/initiative/wtdc22_afr1"), |f| f.as_array().is_some_and(|a| !a.is_empty()))
            .await;
    assert!(similar.as_array().expect("list").iter().all(|f| f["region"] != "AFR"), "{similar}");
}

/// Asks `url` until the answer satisfies `done`; panics after ten seconds.
async fn answer_until(client: &reqwest::Client, url: &str, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let answer: Value = client.get(url).send().await.expect("get").json().await.expect("json");
        if done(&answer) {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} never gave the expected answer");
}

/// Reads until the server says the session ended and closes the socket; panics after `within`.
async fn ended(socket: &mut Socket, within: Duration) {
    tokio::time::timeout(within, async {
        let mut told = false;
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(text))) => told |= text.contains("unauthenticated"),
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return assert!(told, "closed without saying why"),
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .expect("the socket closed in time")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_through_one_server_closes_the_sessions_socket_on_the_other_within_a_second() {
    let (_db, url) = start_database().await;
    let first = start_rihub(&url, true).await;
    let second = start_rihub(&url, false).await;
    let (client, cookie) = login(&first).await;
    let mut on_second = socket(&second, &cookie).await;
    on_second.send(Message::Text(json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0}).to_string().into())).await.expect("hello");
    // The session is in use on the second server (and trusted there for a moment).
    let me = reqwest::Client::new().get(format!("{second}/api/me")).header("cookie", &cookie).send().await.expect("me");
    assert!(me.status().is_success());

    let out = client.post(format!("{first}/api/auth/logout")).header("origin", &first).send().await.expect("logout");
    assert!(out.status().is_success());
    let started = std::time::Instant::now();
    ended(&mut on_second, Duration::from_secs(5)).await;
    assert!(started.elapsed() < Duration::from_secs(1), "closed after {:?}", started.elapsed());
    let me = reqwest::Client::new().get(format!("{second}/api/me")).header("cookie", &cookie).send().await.expect("me");
    assert_eq!(me.status(), reqwest::StatusCode::UNAUTHORIZED);
}
