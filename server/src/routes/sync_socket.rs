//! `GET /api/sync/socket`: the sync protocol over a WebSocket. The upgrade needs a session and
//! this site's Origin. After `hello` the client gets every change after its cursor, then each
//! new change as it is committed (from the process's change feed); it pushes mutations on the
//! same socket.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::SinkExt;
use rihub_domain::role::Role;
use rihub_domain::sync::message::{ClientMessage, PROTOCOL, ServerMessage, Viewer};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::sync::{MAX_PULL, push_all};
use crate::auth::session::{self, CurrentUser};
use crate::db::sync;
use crate::error::AppError;
use crate::feed::Batch;
use crate::state::AppState;

/// Largest message accepted from a client (a push of 100 mutations fits easily).
pub const MAX_MESSAGE: usize = 256 * 1024;
/// A client further behind than this gets a snapshot of the records instead of a replay.
pub const SNAPSHOT_AFTER: u64 = 1000;
/// Bytes read from a socket at a time. The library's default (128 KiB) is zeroed on every read
/// and held by every socket; sync messages are small, and a large one takes several reads.
const READ_BUFFER: usize = 8 * 1024;
/// Records per snapshot message.
const SNAPSHOT_PAGE: usize = 500;

pub async fn sync_socket(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    // Browsers send Origin on WebSocket upgrades; a page of another site must not ride the cookie.
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if origin != Some(&*state.origin) {
        return AppError::BadOrigin.into_response();
    }
    // The middleware let the upgrade through on this token; pushes re-check it (see `serve`).
    let token = session::session_token(&headers).unwrap_or_default();
    upgrade.max_message_size(MAX_MESSAGE).read_buffer_size(READ_BUFFER).on_upgrade(move |socket| serve(socket, state, user, token))
}

fn encode(message: &ServerMessage) -> Option<Message> {
    serde_json::to_string(message).ok().map(|text| Message::Text(text.into()))
}

async fn send(socket: &mut WebSocket, message: &ServerMessage) -> bool {
    match encode(message) {
        Some(message) => socket.send(message).await.is_ok(),
        None => false,
    }
}

fn error(code: &str, message: impl Into<String>) -> ServerMessage {
    ServerMessage::Error { code: code.into(), message: message.into() }
}

/// Sends every change after `cursor`, in pages, or a snapshot first when the client is more
/// than `SNAPSHOT_AFTER` changes behind; returns the new cursor (None if the socket broke).
async fn catch_up(socket: &mut WebSocket, state: &AppState, roles: &[Role], mut cursor: u64) -> Option<u64> {
    let behind = sync::head(&state.db).await.unwrap_or(0).saturating_sub(cursor);
    if behind > SNAPSHOT_AFTER {
        cursor = send_snapshot(socket, state, roles).await?.max(cursor);
    }
    loop {
        let (changes, head) = match (sync::changes_after(&state.db, cursor, MAX_PULL).await, sync::head(&state.db).await) {
            (Ok(c), Ok(h)) => (c, h),
            _ => return send(socket, &error("internal", "cannot read the change log; retry")).await.then_some(cursor),
        };
        let Some(last) = changes.last().map(|c| c.seq) else { return Some(cursor) };
        cursor = last;
        if !send(socket, &ServerMessage::Changes { changes: sync::for_reader(changes, roles), head }).await {
            return None;
        }
        if cursor >= head {
            return Some(cursor);
        }
    }
}

async fn send_snapshot(socket: &mut WebSocket, state: &AppState, roles: &[Role]) -> Option<u64> {
    let Ok((head, records)) = sync::snapshot(&state.db, roles).await else {
        return None;
    };
    let pages = records.chunks(SNAPSHOT_PAGE).count().max(1);
    let mut chunks = records.chunks(SNAPSHOT_PAGE);
    for page in 1..=pages {
        let records = chunks.next().map(<[_]>::to_vec).unwrap_or_default();
        if !send(socket, &ServerMessage::Snapshot { records, head, last: page == pages }).await {
            return None;
        }
    }
    Some(head)
}

/// Queues batch `batch` for a socket whose client has every change up to `cursor` (flushed by
/// the caller); returns the new cursor, or None if the socket broke or the feed stopped.
async fn forward(socket: &mut WebSocket, state: &AppState, roles: &[Role], cursor: u64, batch: Result<Arc<Batch>, RecvError>) -> Option<u64> {
    match batch {
        Ok(b) if b.last <= cursor => Some(cursor),
        // The usual case: the next changes, already serialized for every socket.
        Ok(b) if b.first == cursor + 1 => {
            let message = match &b.text {
                Some(text) => Message::Text(text.clone()),
                None => encode(&ServerMessage::Changes { changes: sync::for_reader(b.changes.clone(), roles), head: b.head })?,
            };
            socket.feed(message).await.ok()?;
            Some(b.last)
        }
        // A gap or an overlap, or lost batches: the log by sequence number covers it.
        Ok(_) | Err(RecvError::Lagged(_)) => catch_up(socket, state, roles, cursor).await,
        Err(RecvError::Closed) => None,
    }
}

async fn serve(mut socket: WebSocket, state: AppState, mut user: CurrentUser, token: String) {
    let mut batches = state.feed.subscribe();
    let mut presence_changes = state.presence.changed.subscribe();
    let me = state.presence.new_socket();
    let viewer = Viewer { user: user.id.clone(), name: user.name.clone() };
    // None until the client says hello with its cursor.
    let mut cursor: Option<u64> = None;
    'serve: loop {
        tokio::select! {
            incoming = socket.recv() => {
                let text = match incoming {
                    Some(Ok(Message::Text(text))) => text,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let reply = match serde_json::from_str::<ClientMessage>(&text) {
                    Err(e) => Some(error("malformed", e.to_string())),
                    Ok(ClientMessage::Hello { protocol, .. }) if protocol != PROTOCOL => {
                        Some(error("protocol", format!("this server speaks sync protocol v{PROTOCOL}; reload to update")))
                    }
                    Ok(ClientMessage::Hello { cursor: from, .. }) => {
                        let head = sync::head(&state.db).await.unwrap_or(0);
                        if !send(&mut socket, &ServerMessage::Welcome { protocol: PROTOCOL, head }).await {
                            break;
                        }
                        cursor = catch_up(&mut socket, &state, &user.roles, from).await;
                        if cursor.is_none() {
                            break;
                        }
                        None
                    }
                    Ok(ClientMessage::Push { mutations }) => {
                        // A socket outlives its upgrade: a session signed out or an account
                        // disabled since must not keep writing, and roles may have changed.
                        match session::resolve(&state, &token).await {
                            Ok(Some((current, _))) => user = current,
                            Ok(None) => {
                                send(&mut socket, &error("unauthenticated", "the session has ended; sign in again")).await;
                                break;
                            }
                            Err(_) => {
                                send(&mut socket, &error("internal", "cannot check the session; retry")).await;
                                continue;
                            }
                        }
                        Some(match push_all(&state, &user, &mutations).await {
                            Ok(results) => ServerMessage::Results { results },
                            Err(e) => error("push_failed", e.to_string()),
                        })
                    }
                    Ok(ClientMessage::Viewing { key }) => {
                        state.presence.set(me, key, viewer.clone());
                        None
                    }
                };
                if let Some(reply) = reply
                    && !send(&mut socket, &reply).await
                {
                    break;
                }
            }
            batch = batches.recv() => {
                let Some(from) = cursor else { continue };
                // Every batch already waiting goes out in one write: under load a socket then
                // costs one system call per turn, not one per batch.
                let mut next = Some(batch);
                let mut at = from;
                while let Some(batch) = next.take() {
                    match forward(&mut socket, &state, &user.roles, at, batch).await {
                        Some(c) => at = c,
                        None => break 'serve,
                    }
                    next = match batches.try_recv() {
                        Ok(b) => Some(Ok(b)),
                        Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                        Err(TryRecvError::Empty | TryRecvError::Closed) => None,
                    };
                }
                if socket.flush().await.is_err() {
                    break;
                }
                cursor = Some(at);
            }
            changed = presence_changes.recv() => {
                if matches!(changed, Err(RecvError::Closed)) {
                    break;
                }
                let Some(mine) = state.presence.viewing(me) else { continue };
                // Lagged: some announcements were lost, so send the current viewers anyway.
                if matches!(changed, Ok(ref k) if *k != mine) {
                    continue;
                }
                let viewers = state.presence.viewers(&mine);
                if !send(&mut socket, &ServerMessage::Presence { key: mine, viewers }).await {
                    break;
                }
            }
        }
    }
    state.presence.set(me, None, viewer);
}
