//! A WebSocket client of the sync socket for tests: signing in, opening, hello, and reading
//! the messages of one kind.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use rihub_domain::sync::wire::PROTOCOL;
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

use crate::support::*;

pub type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Signs in and returns the `Cookie` header value of the session.
pub async fn session_cookie(app: &TestApp, email: &str) -> String {
    let r = app
        .anonymous()
        .post(app.url("/api/auth/login"))
        .json(&json!({"email": email, "password": rihub_server::demo::DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    let set = r.headers()["set-cookie"].to_str().unwrap();
    set.split(';').next().unwrap().to_string()
}

pub async fn open(app: &TestApp, cookie: Option<&str>, origin: Option<&str>) -> Result<Socket, WsError> {
    let mut request = app.url("/api/sync/socket").replacen("http", "ws", 1).into_client_request().unwrap();
    if let Some(c) = cookie {
        request.headers_mut().insert("cookie", c.parse().unwrap());
    }
    if let Some(o) = origin {
        request.headers_mut().insert("origin", o.parse().unwrap());
    }
    connect_async(request).await.map(|(socket, _)| socket)
}

pub async fn signed_in_socket(app: &TestApp, email: &str) -> Socket {
    let cookie = session_cookie(app, email).await;
    open(app, Some(&cookie), Some(&app.base)).await.expect("socket opens")
}

pub async fn send(socket: &mut Socket, message: Value) {
    socket.send(Message::Text(message.to_string().into())).await.unwrap();
}

/// The next message of `kind` (`{kind: {…}}`), skipping others, within five seconds.
pub async fn next(socket: &mut Socket, kind: &str) -> Value {
    let message = next_text(socket, |v| v.get(kind).is_some()).await;
    message[kind].clone()
}

/// The next message for which `wanted` holds, within five seconds.
pub async fn next_text(socket: &mut Socket, wanted: impl Fn(&Value) -> bool) -> Value {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            if let Some(Ok(Message::Text(text))) = socket.next().await {
                let v: Value = serde_json::from_str(&text).unwrap();
                if wanted(&v) {
                    return v;
                }
            }
        }
    })
    .await
    .expect("the message came within 5 s")
}

/// Says hello at the current head and reads the welcome and catch-up; returns the head.
pub async fn hello(socket: &mut Socket) -> u64 {
    send(socket, json!({"type": "hello", "protocol": PROTOCOL, "cursor": 0})).await;
    let head = next(socket, "welcome").await["head"].as_u64().unwrap();
    let mut cursor = 0;
    while cursor < head {
        let page = next(socket, "changes").await;
        cursor = page["changes"].as_array().unwrap().last().unwrap()["seq"].as_u64().unwrap();
    }
    head
}

/// Waits until the server has closed `socket` (within five seconds); fails on any change that
/// still arrives.
pub async fn closed(socket: &mut Socket) {
    tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            match socket.next().await {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => return,
                Some(Ok(Message::Text(text))) => assert!(!text.contains("\"changes\""), "a change after the end: {text}"),
                Some(Ok(_)) => {}
            }
        }
    })
    .await
    .expect("the socket closed within 5 s")
}

/// Whether a message of `kind` arrives within `wait`.
pub async fn arrives(socket: &mut Socket, kind: &str, wait: Duration) -> bool {
    tokio::time::timeout(wait, next(socket, kind)).await.is_ok()
}
