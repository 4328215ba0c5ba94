//! `GET /api/sync/socket`: the sync protocol over a WebSocket. The upgrade needs a session and
//! this site's Origin. After `hello` the client gets every change after its cursor, then each
//! new change as it is committed (from the process's change feed); it pushes mutations on the
//! same socket. Every message is filtered with the user's current roles: a sign-out, a
//! disabled account or an expired session closes the socket, changed roles re-scope it
//! (`Sender::recheck`), whichever process made the change.

use std::sync::Arc;

use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use rihub_domain::error_code::ErrorCode;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::audience::Visibility;
use rihub_domain::sync::decisions;
use rihub_domain::sync::record::RecordKey;
use rihub_domain::sync::wire::{ClientMessage, MAX_MESSAGE, MAX_PULL, PROTOCOL, ServerMessage, Viewer, protocol_error, scope_of};
use rihub_domain::sync::working_set::WorkingSet;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, mpsc, watch};

use super::routes::push_all;
use crate::auth::current_user::CurrentUser;
use crate::auth::session;
use crate::auth::session::SessionState;
use crate::db::revocations::Revocation;
use crate::db::sync;
use crate::error::AppError;
use crate::limits::{Counted, OpenSocket};
use crate::state::AppState;
use crate::sync::feed::{Batch, Content};
use crate::sync::presence::{Presence, SocketId};

/// Bytes read from a socket at a time. The library's default (128 KiB) is zeroed on every read
/// and held by every socket; sync messages are small, and a large one takes several reads.
const READ_BUFFER: usize = 8 * 1024;
/// Records per snapshot message.
const SNAPSHOT_PAGE: u64 = 500;

/// The sending half of a socket.
type Sink = SplitSink<WebSocket, Message>;

pub async fn sync_socket(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap, upgrade: WebSocketUpgrade) -> Response {
    // Browsers send Origin on WebSocket upgrades; a page of another site must not ride the cookie.
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    if origin != Some(&*state.origin) {
        return AppError::BadOrigin.into_response();
    }
    let open = match state.limits.open_socket(&user.id, &user.session) {
        Ok(open) => open,
        Err(reached) => return AppError::LimitReached(reached).into_response(),
    };
    // The middleware let the upgrade through on this token; the socket reads it again
    // whenever it may have changed (see `Sender::recheck`).
    let token = session::session_token(&headers).unwrap_or_default();
    upgrade.max_message_size(MAX_MESSAGE).read_buffer_size(READ_BUFFER).on_upgrade(move |socket| serve(socket, state, user, token, open))
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

fn error(code: ErrorCode, message: impl Into<String>) -> ServerMessage {
    ServerMessage::Error { code, message: message.into() }
}

/// Sends every change after `cursor`, in pages, or a snapshot first when the client is more
/// than `SNAPSHOT_AFTER` changes behind; returns the new cursor (None if the socket broke).
async fn catch_up(socket: &mut Sink, state: &AppState, roles: &[Role], set: &WorkingSet, mut cursor: u64) -> Option<u64> {
    if !decisions::replays(cursor, sync::head(&state.db).await.unwrap_or(0)) {
        cursor = send_snapshot(socket, state, roles, set).await?.max(cursor);
    }
    loop {
        let (changes, head) = match (sync::changes_after(&state.db, cursor, MAX_PULL).await, sync::head(&state.db).await) {
            (Ok(c), Ok(h)) => (c, h),
            _ => return send(socket, &error(ErrorCode::Internal, "cannot read the change log; retry")).await.then_some(cursor),
        };
        let Some(last) = changes.last().map(|c| c.seq) else { return Some(cursor) };
        cursor = last;
        if !send(socket, &ServerMessage::Changes { changes: sync::for_device(changes, roles, set), head }).await {
            return None;
        }
        if cursor >= head {
            return Some(cursor);
        }
    }
}

/// Sends a snapshot page by page as the database gives them; returns its head (None if the
/// socket broke or the database failed).
async fn send_snapshot(socket: &mut Sink, state: &AppState, roles: &[Role], set: &WorkingSet) -> Option<u64> {
    let db = &state.db;
    let (mut snapshot, mut total) = match (sync::Snapshot::start(db, roles, Some(set.clone())).await, sync::Snapshot::total(db).await) {
        (Ok(snapshot), Ok(total)) => (snapshot, Some(total)),
        _ => return None,
    };
    loop {
        let records = snapshot.next(db, SNAPSHOT_PAGE).await.ok()?.unwrap_or_default();
        let last = snapshot.done();
        if records.is_empty() && !last {
            continue;
        }
        let head = snapshot.head;
        if !send(socket, &ServerMessage::Snapshot { records, head, total: total.take(), last }).await {
            return None;
        }
        if last {
            return Some(head);
        }
    }
}

/// Queues batch `batch` for a socket whose client has every change up to `cursor` (flushed by
/// the caller); returns the new cursor, or None if the socket broke or the feed stopped.
async fn forward(
    socket: &mut Sink,
    state: &AppState,
    (roles, set): (&[Role], &WorkingSet),
    cursor: u64,
    batch: Result<Arc<Batch>, RecvError>,
) -> Option<u64> {
    match batch {
        Ok(b) if b.last <= cursor => Some(cursor),
        // The usual case: the next changes, already serialized for every socket.
        Ok(b) if b.first == cursor + 1 => {
            let message = match &b.content {
                Content::Shared(text) => Message::Text(text.clone()),
                Content::Public { whole, summaries, changes } => match changes.iter().filter(|c| c.is_held_by(set)).count() {
                    0 => Message::Text(summaries.clone()),
                    held if held == changes.len() => Message::Text(whole.clone()),
                    _ => encode(&ServerMessage::Changes { changes: sync::for_device(changes.clone(), roles, set), head: b.head })?,
                },
                Content::PerReader(changes) => {
                    encode(&ServerMessage::Changes { changes: sync::for_device(changes.clone(), roles, set), head: b.head })?
                }
            };
            socket.feed(message).await.ok()?;
            Some(b.last)
        }
        // A gap or an overlap, or lost batches: the log by sequence number covers it.
        Ok(_) | Err(RecvError::Lagged(_)) => Box::pin(catch_up(socket, state, roles, set, cursor)).await,
        Err(RecvError::Closed) => None,
    }
}

/// What a socket's reader and presence tasks hand to its sender, the one task that sends.
enum Outgoing {
    /// The client said hello from this cursor, with the scope its records were read with and
    /// its working set.
    Hello {
        cursor: u64,
        scope: Option<String>,
        follow: Vec<Region>,
        pins: Vec<RecordKey>,
    },
    /// The client opened this record: pin it and send it whole.
    Open(RecordKey),
    Send(ServerMessage),
    /// Send this message, written already.
    Text(String),
    /// Send this, then close the socket.
    Last(ServerMessage),
    /// The session may have changed: read it again, and close or re-scope.
    Recheck,
}

/// Serves one socket with three tasks: this one sends (replies and every new change) and
/// follows the session, a reader parses and applies what the client sends, and a third
/// follows presence. A delivery then wakes only the sender: with one task for all of it,
/// every delivery also polled the socket's read side again (a read attempt that clears the
/// read buffer) and re-registered for presence announcements, a thousand sockets at a time.
/// What waits on the database is boxed, so that a delivery creates and moves only small
/// futures.
async fn serve(socket: WebSocket, state: AppState, user: CurrentUser, token: String, open: OpenSocket) {
    let (sink, stream) = socket.split();
    let batches = state.feed.subscribe();
    let revocations = state.revocations.subscribe();
    let me = state.presence.new_socket();
    let viewer = Viewer { user: user.id.clone(), name: user.name.clone() };
    let (outgoing, inbox) = mpsc::channel(16);
    let (current, roles) = watch::channel(user.roles.clone());
    // Only the reader keeps the sender alive: when the client goes, the sender stops.
    let presence = tokio::spawn(follow_presence(state.presence.clone(), state.presence.changed.subscribe(), me, outgoing.downgrade()));
    let reader = tokio::spawn(read(stream, state.clone(), user.clone(), token.clone(), me, viewer.clone(), roles, outgoing));
    let set = WorkingSet::new(&user.roles, &[], &[]);
    let mut sender =
        Sender { sink, state: state.clone(), token, user, current, cursor: None, me, viewer: viewer.clone(), follow: Vec::new(), set };
    sender.run(batches, revocations, inbox).await;
    reader.abort();
    presence.abort();
    state.presence.set(me, None, viewer);
    drop(open);
}

/// The sending side of a socket, which also keeps its session current.
struct Sender {
    sink: Sink,
    state: AppState,
    token: String,
    user: CurrentUser,
    /// The roles the reader checks presence with.
    current: watch::Sender<Vec<Role>>,
    /// The last change the client has been sent; None until it says hello.
    cursor: Option<u64>,
    me: SocketId,
    viewer: Viewer,
    /// The regions the device follows, as its hello said.
    follow: Vec<Region>,
    /// What the device keeps in full: the user's regions, those followed, and its pins.
    set: WorkingSet,
}

impl Sender {
    /// Sends replies and new changes until the client or the reader is gone, or the session ends.
    async fn run(
        &mut self,
        mut batches: broadcast::Receiver<Arc<Batch>>,
        mut revocations: broadcast::Receiver<Revocation>,
        mut inbox: mpsc::Receiver<Outgoing>,
    ) {
        let clock = self.state.db.clock().clone();
        let mut expiry = self.user.expires_at;
        let mut expired = Box::pin(clock.sleep_until(expiry));
        loop {
            let open = tokio::select! {
                // A pin is taken before a change of the record is sent: the device may have
                // opened it just before it pushed an edit of it.
                biased;
                next = inbox.recv() => match next {
                    Some(Outgoing::Hello { cursor, scope, follow, pins }) => {
                        self.follow = follow;
                        self.set = WorkingSet::new(&self.user.roles, &self.follow, &pins);
                        Box::pin(self.hello(cursor, scope)).await
                    }
                    Some(Outgoing::Open(key)) => Box::pin(self.open(key)).await,
                    Some(Outgoing::Send(message)) => send(&mut self.sink, &message).await,
                    Some(Outgoing::Text(text)) => self.sink.send(Message::Text(text.into())).await.is_ok(),
                    Some(Outgoing::Last(message)) => {
                        send(&mut self.sink, &message).await;
                        false
                    }
                    Some(Outgoing::Recheck) => Box::pin(self.recheck()).await,
                    None => false,
                },
                revoked = revocations.recv() => match revoked {
                    Ok(r) if r.user == self.user.id && r.session.as_ref().is_none_or(|s| *s == self.user.session) => Box::pin(self.recheck()).await,
                    Ok(_) => true,
                    // Some were missed, perhaps this session's.
                    Err(RecvError::Lagged(_)) => Box::pin(self.recheck()).await,
                    Err(RecvError::Closed) => false,
                },
                () = &mut expired => Box::pin(self.recheck()).await,
                batch = batches.recv() => self.deliver(batch, &mut batches).await,
            };
            if !open {
                return;
            }
            if self.user.expires_at != expiry {
                expiry = self.user.expires_at;
                expired = Box::pin(clock.sleep_until(expiry));
            }
        }
    }

    /// Sends `batch`, and every batch already waiting, in one write: under load a socket then
    /// costs one system call per turn, not one per batch. False if the socket broke.
    async fn deliver(&mut self, batch: Result<Arc<Batch>, RecvError>, batches: &mut broadcast::Receiver<Arc<Batch>>) -> bool {
        let Some(from) = self.cursor else { return true };
        let mut next = Some(batch);
        let mut at = from;
        while let Some(batch) = next.take() {
            match forward(&mut self.sink, &self.state, (&self.user.roles, &self.set), at, batch).await {
                Some(c) => at = c,
                None => return false,
            }
            next = match batches.try_recv() {
                Ok(b) => Some(Ok(b)),
                Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                Err(TryRecvError::Empty | TryRecvError::Closed) => None,
            };
        }
        self.cursor = Some(at);
        self.sink.flush().await.is_ok()
    }

    /// Welcomes a client that said hello from `cursor`, holding records read with `scope`, and
    /// sends what it missed: a snapshot first if its records were read with other roles.
    async fn hello(&mut self, cursor: u64, scope: Option<String>) -> bool {
        if !self.recheck().await {
            return false;
        }
        let head = sync::head(&self.state.db).await.unwrap_or(0);
        let now = scope_of(&self.user.roles, &self.follow);
        let rescoped = decisions::rescoped(cursor, scope.as_deref(), &now);
        if !send(&mut self.sink, &ServerMessage::Welcome { protocol: PROTOCOL, head, scope: Some(now.clone()) }).await {
            return false;
        }
        let mut from = cursor;
        if rescoped {
            // The device may have read the person's roles before they changed (its page loaded,
            // then an administrator changed them, then it said hello): it hears them now.
            let rescoped = ServerMessage::Rescoped { roles: self.user.roles.clone(), scope: now };
            if !send(&mut self.sink, &rescoped).await {
                return false;
            }
            match send_snapshot(&mut self.sink, &self.state, &self.user.roles, &self.set).await {
                Some(at) => from = at,
                None => return false,
            }
        }
        self.cursor = catch_up(&mut self.sink, &self.state, &self.user.roles, &self.set, from).await;
        self.cursor.is_some()
    }

    /// Pins record `key` and sends it whole, as the database has it now: after every change
    /// this socket has sent. False if the socket broke.
    async fn open(&mut self, key: RecordKey) -> bool {
        self.set.pin(key.clone());
        let record = match sync::record_for(&self.state.db, &key, &self.user.roles).await {
            Ok(record) => record,
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a record to open");
                return send(&mut self.sink, &error(ErrorCode::Internal, "cannot read the record; retry")).await;
            }
        };
        send(&mut self.sink, &ServerMessage::Opened { key, record }).await
    }

    /// Reads the session again: closes the socket if it ended (signed out, expired, account
    /// disabled), re-scopes it if the roles changed. False if the socket is to close.
    async fn recheck(&mut self) -> bool {
        match session::resolve(self.state.sessions(), &self.token).await {
            Ok(Some(current)) => {
                let rescoped = current.roles != self.user.roles;
                self.user = current;
                !rescoped || self.rescope().await
            }
            Ok(None) => {
                send(&mut self.sink, &error(ErrorCode::Unauthenticated, "the session has ended; sign in again")).await;
                false
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot check a socket's session");
                send(&mut self.sink, &error(ErrorCode::Internal, "cannot check the session; reconnect")).await;
                false
            }
        }
    }

    /// The user's roles changed: presence and every message from now on follow the new ones,
    /// and a client that has said hello gets a snapshot of what they may read now.
    async fn rescope(&mut self) -> bool {
        let roles = self.user.roles.clone();
        self.set.regions = WorkingSet::new(&roles, &self.follow, &[]).regions;
        let _ = self.current.send(roles.clone());
        if let Some(key) = self.state.presence.viewing(self.me)
            && !may_view(&self.state, &key, &roles).await
        {
            self.state.presence.set(self.me, None, self.viewer.clone());
        }
        if self.cursor.is_none() {
            return true;
        }
        let scope = scope_of(&roles, &self.follow);
        if !send(&mut self.sink, &ServerMessage::Rescoped { roles: roles.clone(), scope }).await {
            return false;
        }
        let Some(head) = send_snapshot(&mut self.sink, &self.state, &roles, &self.set).await else { return false };
        self.cursor = catch_up(&mut self.sink, &self.state, &roles, &self.set, head).await;
        self.cursor.is_some()
    }
}

/// Whether a holder of `roles` may read record `key` whole (and so see who else views it).
async fn may_view(state: &AppState, key: &RecordKey, roles: &[Role]) -> bool {
    matches!(sync::visibility_of(&state.db, key, roles).await, Ok(Some(Visibility::Full)))
}

/// Reads the client's messages: pushes are applied here, and their results, like every other
/// reply, go to the sender.
#[allow(clippy::too_many_arguments)]
async fn read(
    mut stream: SplitStream<WebSocket>,
    state: AppState,
    mut user: CurrentUser,
    token: String,
    me: SocketId,
    viewer: Viewer,
    roles: watch::Receiver<Vec<Role>>,
    out: mpsc::Sender<Outgoing>,
) {
    while let Some(Ok(incoming)) = stream.next().await {
        let text = match incoming {
            Message::Text(text) => text,
            Message::Close(_) => break,
            _ => continue,
        };
        let reply = match serde_json::from_str::<ClientMessage>(&text) {
            Err(e) => Outgoing::Send(error(ErrorCode::Malformed, e.to_string())),
            Ok(ClientMessage::Hello { protocol, .. }) if protocol != PROTOCOL => Outgoing::Text(protocol_error(protocol)),
            Ok(ClientMessage::Hello { cursor, scope, follow, pins, .. }) => {
                match state.limits.count(&user.session, Counted::Hello, state.db.clock().now_millis()) {
                    Ok(()) => Outgoing::Hello { cursor, scope, follow, pins },
                    Err(reached) => Outgoing::Last(error(ErrorCode::RateLimited, reached.message())),
                }
            }
            Ok(ClientMessage::Push { mutations }) => {
                // A socket outlives its upgrade: a session signed out or an account disabled
                // since must not keep writing, and roles may have changed.
                match Box::pin(session::resolve(state.sessions(), &token)).await {
                    Ok(Some(current)) => {
                        if current.roles != user.roles && out.send(Outgoing::Recheck).await.is_err() {
                            break;
                        }
                        user = current;
                    }
                    Ok(None) => {
                        let _ = out.send(Outgoing::Last(error(ErrorCode::Unauthenticated, "the session has ended; sign in again"))).await;
                        break;
                    }
                    Err(_) => {
                        if out.send(Outgoing::Send(error(ErrorCode::Internal, "cannot check the session; retry"))).await.is_err() {
                            break;
                        }
                        continue;
                    }
                }
                match Box::pin(push_all(&state, &user, &mutations)).await {
                    Ok(results) => Outgoing::Send(ServerMessage::Results { results }),
                    Err(AppError::LimitReached(reached)) => Outgoing::Last(error(ErrorCode::RateLimited, reached.message())),
                    Err(e) => Outgoing::Send(error(e.code(), e.public().0)),
                }
            }
            Ok(ClientMessage::Open { key }) => Outgoing::Open(key),
            Ok(ClientMessage::Viewing { key }) => {
                // Who looks at a record is for those who may read it.
                let current = roles.borrow().clone();
                let key = match key {
                    Some(key) if may_view(&state, &key, &current).await => Some(key),
                    _ => None,
                };
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
