//! `GET /api/sync/socket`: the sync protocol over a WebSocket. The upgrade needs a session and
//! this site's Origin. After `hello` the client gets every change after its cursor, then each
//! new change as it is committed (from the process's change feed); it pushes mutations on the
//! same socket.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use rihub_domain::role::Role;
use rihub_domain::sync::message::{ClientMessage, PROTOCOL, ServerMessage, Viewer, protocol_error};
use rihub_domain::sync::record::RecordKey;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, mpsc};

use super::sync::{MAX_PULL, push_all};
use crate::auth::session::{self, CurrentUser};
use crate::db::sync;
use crate::error::AppError;
use crate::feed::{Batch, Content};
use crate::presence::{Presence, SocketId};
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

/// The sending half of a socket.
type Sink = SplitSink<WebSocket, Message>;

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

async fn send(socket: &mut Sink, message: &ServerMessage) -> bool {
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
async fn catch_up(socket: &mut Sink, state: &AppState, roles: &[Role], mut cursor: u64) -> Option<u64> {
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

async fn send_snapshot(socket: &mut Sink, state: &AppState, roles: &[Role]) -> Option<u64> {
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
async fn forward(socket: &mut Sink, state: &AppState, roles: &[Role], cursor: u64, batch: Result<Arc<Batch>, RecvError>) -> Option<u64> {
    match batch {
        Ok(b) if b.last <= cursor => Some(cursor),
        // The usual case: the next changes, already serialized for every socket.
        Ok(b) if b.first == cursor + 1 => {
            let message = match &b.content {
                Content::Shared(text) => Message::Text(text.clone()),
                Content::PerReader(changes) => encode(&ServerMessage::Changes { changes: sync::for_reader(changes.clone(), roles), head: b.head })?,
            };
            socket.feed(message).await.ok()?;
            Some(b.last)
        }
        // A gap or an overlap, or lost batches: the log by sequence number covers it.
        Ok(_) | Err(RecvError::Lagged(_)) => Box::pin(catch_up(socket, state, roles, cursor)).await,
        Err(RecvError::Closed) => None,
    }
}

/// What a socket's reader and presence tasks hand to its writer, the one task that sends.
enum Outgoing {
    /// The client said hello from this cursor: welcome it and send what it missed.
    Hello(u64),
    Send(ServerMessage),
    /// Send this message, written already.
    Text(String),
    /// Send this, then close the socket.
    Last(ServerMessage),
    /// The user's roles as of their last push, which decide the changes they may read.
    Roles(Vec<Role>),
}

/// Serves one socket with three tasks: this one sends (replies and every new change), a
/// reader parses and applies what the client sends, and a third follows presence. A delivery
/// then wakes only the sender: with one task for all of it, every delivery also polled the
/// socket's read side again (a read attempt that clears the read buffer) and re-registered
/// for presence announcements, a thousand sockets at a time. What waits on the database is
/// boxed, so that a delivery creates and moves only small futures.
async fn serve(socket: WebSocket, state: AppState, user: CurrentUser, token: String) {
    let (mut sink, stream) = socket.split();
    let batches = state.feed.subscribe();
    let me = state.presence.new_socket();
    let viewer = Viewer { user: user.id.clone(), name: user.name.clone() };
    let (outgoing, inbox) = mpsc::channel(16);
    // Only the reader keeps the sender alive: when the client goes, the sender stops.
    let presence = tokio::spawn(follow_presence(state.presence.clone(), state.presence.changed.subscribe(), me, outgoing.downgrade()));
    let roles = user.roles.clone();
    let reader = tokio::spawn(read(stream, state.clone(), user, token, me, viewer.clone(), outgoing));
    send_all(&mut sink, &state, roles, batches, inbox).await;
    reader.abort();
    presence.abort();
    state.presence.set(me, None, viewer);
}

/// Sends replies and new changes until the client or the reader is gone.
async fn send_all(sink: &mut Sink, state: &AppState, mut roles: Vec<Role>, mut batches: broadcast::Receiver<Arc<Batch>>, mut inbox: mpsc::Receiver<Outgoing>) {
    // None until the client says hello with its cursor.
    let mut cursor: Option<u64> = None;
    loop {
        tokio::select! {
            next = inbox.recv() => match next {
                Some(Outgoing::Hello(from)) => {
                    cursor = Box::pin(welcome(sink, state, &roles, from)).await;
                    if cursor.is_none() {
                        return;
                    }
                }
                Some(Outgoing::Send(message)) => {
                    if !send(sink, &message).await {
                        return;
                    }
                }
                Some(Outgoing::Text(text)) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                Some(Outgoing::Last(message)) => {
                    send(sink, &message).await;
                    return;
                }
                Some(Outgoing::Roles(now)) => roles = now,
                None => return,
            },
            batch = batches.recv() => {
                let Some(from) = cursor else { continue };
                // Every batch already waiting goes out in one write: under load a socket then
                // costs one system call per turn, not one per batch.
                let mut next = Some(batch);
                let mut at = from;
                while let Some(batch) = next.take() {
                    match forward(sink, state, &roles, at, batch).await {
                        Some(c) => at = c,
                        None => return,
                    }
                    next = match batches.try_recv() {
                        Ok(b) => Some(Ok(b)),
                        Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                        Err(TryRecvError::Empty | TryRecvError::Closed) => None,
                    };
                }
                if sink.flush().await.is_err() {
                    return;
                }
                cursor = Some(at);
            }
        }
    }
}

/// Welcomes a client that said hello from `cursor` and sends what it missed; returns the new
/// cursor (None if the socket broke).
async fn welcome(sink: &mut Sink, state: &AppState, roles: &[Role], cursor: u64) -> Option<u64> {
    let head = sync::head(&state.db).await.unwrap_or(0);
    if !send(sink, &ServerMessage::Welcome { protocol: PROTOCOL, head }).await {
        return None;
    }
    catch_up(sink, state, roles, cursor).await
}

/// Reads the client's messages: pushes are applied here, and their results, like every other
/// reply, go to the sender.
async fn read(mut stream: SplitStream<WebSocket>, state: AppState, mut user: CurrentUser, token: String, me: SocketId, viewer: Viewer, out: mpsc::Sender<Outgoing>) {
    while let Some(Ok(incoming)) = stream.next().await {
        let text = match incoming {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        let reply = match serde_json::from_str::<ClientMessage>(&text) {
            Err(e) => Outgoing::Send(error("malformed", e.to_string())),
            Ok(ClientMessage::Hello { protocol, .. }) if protocol != PROTOCOL => Outgoing::Text(protocol_error(protocol)),
            Ok(ClientMessage::Hello { cursor, .. }) => Outgoing::Hello(cursor),
            Ok(ClientMessage::Push { mutations }) => {
                // A socket outlives its upgrade: a session signed out or an account disabled
                // since must not keep writing, and roles may have changed.
                match Box::pin(session::resolve(&state, &token)).await {
                    Ok(Some((current, _))) => {
                        if current.roles != user.roles && out.send(Outgoing::Roles(current.roles.clone())).await.is_err() {
                            break;
                        }
                        user = current;
                    }
                    Ok(None) => {
                        let _ = out.send(Outgoing::Last(error("unauthenticated", "the session has ended; sign in again"))).await;
                        break;
                    }
                    Err(_) => {
                        if out.send(Outgoing::Send(error("internal", "cannot check the session; retry"))).await.is_err() {
                            break;
                        }
                        continue;
                    }
                }
                Outgoing::Send(match Box::pin(push_all(&state, &user, &mutations)).await {
                    Ok(results) => ServerMessage::Results { results },
                    Err(e) => error("push_failed", e.to_string()),
                })
            }
            Ok(ClientMessage::Viewing { key }) => {
                state.presence.set(me, key, viewer.clone());
                continue;
            }
        };
        if out.send(reply).await.is_err() {
            break;
        }
    }
}

/// Sends the viewers of the record this socket views whenever they change.
async fn follow_presence(presence: Presence, mut changes: broadcast::Receiver<RecordKey>, me: SocketId, out: mpsc::WeakSender<Outgoing>) {
    loop {
        let changed = changes.recv().await;
        if matches!(changed, Err(RecvError::Closed)) {
            return;
        }
        let Some(mine) = presence.viewing(me) else { continue };
        // Lagged: some announcements were lost, so send the current viewers anyway.
        if matches!(changed, Ok(ref k) if *k != mine) {
            continue;
        }
        let viewers = presence.viewers(&mine);
        let Some(out) = out.upgrade() else { return };
        if out.send(Outgoing::Send(ServerMessage::Presence { key: mine, viewers })).await.is_err() {
            return;
        }
    }
}
