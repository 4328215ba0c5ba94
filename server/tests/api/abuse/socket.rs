//! The sync socket fed junk: every message gets an answer or is ignored, the connection stays
//! usable, a message over the size limit closes it, and nothing is written.

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite::Message;

use super::{is_documented, records};
use crate::support::*;
use crate::ws::*;

#[tokio::test]
async fn the_socket_answers_junk_with_documented_errors_and_stays_usable() {
    let app = TestApp::demo().await;
    let mut socket = signed_in_socket(&app, COORD_AFR).await;
    let head = hello(&mut socket).await;
    let before = records(&app).await;
    let junk = [
        "{not json".to_string(),
        "[]".into(),
        "null".into(),
        json!({"type": "push"}).to_string(),
        json!({"type": "push", "mutations": "all"}).to_string(),
        json!({"type": "push", "mutations": vec![json!({}); 3]}).to_string(),
        json!({"type": "hello", "protocol": "3", "cursor": -1}).to_string(),
        json!({"type": "viewing", "key": {"kind": "nothing", "id": 1}}).to_string(),
        json!({"type": "teleport"}).to_string(),
        format!("{}{}", "[".repeat(20_000), "]".repeat(20_000)),
        json!({"type": "push", "mutations": vec![edit("c", 1, "wtdc22_afr1", "status", json!("closed"), 0); 101]}).to_string(),
    ];
    for text in &junk {
        socket.send(Message::Text(text.clone().into())).await.unwrap();
        let error = next(&mut socket, "error").await;
        assert!(is_documented(error["code"].as_str().unwrap()), "{text:.60}: {error}");
    }
    // Invalid UTF-8 as a binary frame is ignored; the connection still works.
    socket.send(Message::Binary(vec![0xff, 0xfe, 0x00].into())).await.unwrap();
    send(&mut socket, json!({"type": "push", "mutations": [edit("c", 1, "wtdc22_afr1", "status", json!("closed"), head)]})).await;
    // Its result and its change, in either order.
    let (mut result, mut change) = (None, None);
    while result.is_none() || change.is_none() {
        let message = next_text(&mut socket, |v| v.get("results").is_some() || v.get("changes").is_some()).await;
        if message.get("results").is_some() { result = Some(message) } else { change = Some(message) }
    }
    assert!(result.unwrap()["results"]["results"][0]["outcome"].get("applied").is_some(), "still usable");
    let mut after = records(&app).await;
    after["initiative"] = before["initiative"].clone();
    after["head"] = before["head"].clone();
    assert_eq!(after, before, "the junk wrote nothing");

    // A message over the limit closes the connection.
    let huge = json!({"type": "push", "mutations": [edit("c", 2, "wtdc22_afr1", "title", json!({"en": "x".repeat(300 * 1024)}), 0)]});
    let _ = socket.send(Message::Text(huge.to_string().into())).await;
    closed(&mut socket).await;
}
