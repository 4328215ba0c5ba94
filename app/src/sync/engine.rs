//! The sync engine: one per signed-in user and page load. Pages read its signals and call its
//! actions; it keeps the replica, saves every change of it in one IndexedDB transaction, and
//! talks to the server over [`Socket`].

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::{Rc, Weak};
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::api::Me;
use rihub_domain::error_code::ErrorCode;
use rihub_domain::region::Region;
use rihub_domain::role::Role;
use rihub_domain::sync::decisions::{self, MutationId};
use rihub_domain::sync::merge::Conflict;
use rihub_domain::sync::mutation::{ClientId, FieldChange, Mutation, Op};
use rihub_domain::sync::outcome::{Outcome, Refusal};
use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use rihub_domain::sync::replica::Replica;
use rihub_domain::sync::wire::{ClientMessage, MAX_PUSH, PROTOCOL, ServerMessage, SnapshotRecord, Viewer};

mod working_set;

use super::client::{Event, Socket};
use super::precheck::check_for;
use crate::api::{self, ApiError};
use crate::context::{SessionContext, remember_me};
use crate::store::db::{Batch, LocalDb, StoreError};
use crate::store::{records, saved};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connection {
    Connecting,
    Online,
    /// No network, or the server cannot be reached: edits wait in the outbox.
    Offline,
    /// The session ended: edits wait until the person signs in again.
    SignedOut,
    /// The server speaks a newer protocol: the app must be reloaded.
    Outdated,
}

/// Why an edit was not queued. What was typed stays in the form.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejected {
    /// The server would refuse it (the same rules, run on this device).
    Refused(Refusal),
    /// The device could not save it.
    NotSaved(StoreError),
}

impl From<Rejected> for ApiError {
    fn from(r: Rejected) -> ApiError {
        match r {
            Rejected::Refused(Refusal::Forbidden) => ApiError::Forbidden,
            Rejected::Refused(Refusal::NotFound) => ApiError::NotFound,
            Rejected::Refused(Refusal::Invalid(fields)) => ApiError::Invalid(fields),
            Rejected::Refused(refusal) => ApiError::Conflict { code: refusal.code(), current: None },
            Rejected::NotSaved(e) => ApiError::NotSaved(e.0),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LocalData {
    Loading,
    /// Nothing saved on this device yet, and no sync so far.
    NeverSynced,
    /// The first screen's records are read; the others are being read.
    Reading,
    Ready,
    /// The browser refused its database (private mode, quota).
    Failed(String),
}

/// How many records are read or received so far, of at most `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// What pages read, and the handle to the engine. `Copy`, so closures can hold it.
#[derive(Clone, Copy)]
pub struct SyncContext {
    /// What the person sees: confirmed records with their pending edits on top.
    pub records: RwSignal<BTreeMap<RecordKey, SyncedRecord>>,
    /// The record of each mutation waiting in the outbox.
    pub pending: RwSignal<Vec<RecordKey>>,
    pub rejected: RwSignal<Vec<(Mutation, Refusal)>>,
    pub conflicts: RwSignal<Vec<Conflict>>,
    pub connection: RwSignal<Connection>,
    /// When the server last confirmed this device was up to date (ms since the epoch).
    pub last_synced: RwSignal<Option<f64>>,
    /// Whether this device holds every change the server has told it about on this connection.
    pub caught_up: RwSignal<bool>,
    pub data: RwSignal<LocalData>,
    /// A snapshot being received, page by page.
    pub receiving: RwSignal<Option<Progress>>,
    /// The records saved on this device being read, after the first screen's.
    pub reading: RwSignal<Option<Progress>>,
    /// The signed-in person's roles, for checking edits before they are queued.
    roles: RwSignal<Vec<Role>>,
    /// Who is viewing the record this page shows.
    pub viewers: RwSignal<Vec<Viewer>>,
    /// The regions this device keeps whole besides the person's own.
    pub follow: RwSignal<Vec<Region>>,
    /// Who is signed in: the server may change their roles while they work.
    session: SessionContext,
    engine: StoredValue<Option<Rc<RefCell<Engine>>>, LocalStorage>,
}

struct Engine {
    user: String,
    db: LocalDb,
    replica: Replica,
    socket: Option<Socket>,
    /// The server answered hello: pushes may go.
    welcomed: bool,
    head: u64,
    /// The mutations of the push awaiting its results, in order.
    in_flight: Option<Vec<MutationId>>,
    /// Applied by the server, waiting for their change to arrive: not sent again.
    applied: BTreeSet<MutationId>,
    /// Client ids whose next mutation the server says is missing: not sent again this load.
    stuck: BTreeSet<ClientId>,
    viewing: Option<RecordKey>,
    attempts: u32,
    /// The keys of a snapshot being received, page by page (None when none is): after its
    /// last page, the records it did not hold go.
    snapshot: Option<BTreeSet<RecordKey>>,
    /// The records with pending edits when the screen was last updated.
    shown_pending: BTreeSet<RecordKey>,
    /// Whether the saved records are read: sync waits until they are.
    read: bool,
    /// The scope the saved records were read with, said in hello: a device whose records were
    /// read with other roles gets a snapshot.
    saved_scope: Option<String>,
    /// The scope of what the server sends now (from its welcome, or a re-scope); saved with
    /// the records it sends.
    receiving_scope: Option<String>,
    /// The records this device keeps whole wherever they are (`working_set`), first pinned
    /// first.
    pins: Vec<RecordKey>,
    /// The regions it keeps whole besides its user's own.
    follow: Vec<Region>,
    /// The records asked for whole on this connection, until they arrive.
    asked: BTreeSet<RecordKey>,
}

pub fn provide_sync(session: SessionContext) -> SyncContext {
    let sync = SyncContext {
        records: RwSignal::new(BTreeMap::new()),
        pending: RwSignal::new(Vec::new()),
        rejected: RwSignal::new(Vec::new()),
        conflicts: RwSignal::new(Vec::new()),
        connection: RwSignal::new(Connection::Connecting),
        last_synced: RwSignal::new(None),
        caught_up: RwSignal::new(false),
        data: RwSignal::new(LocalData::Loading),
        receiving: RwSignal::new(None),
        reading: RwSignal::new(None),
        roles: RwSignal::new(Vec::new()),
        viewers: RwSignal::new(Vec::new()),
        follow: RwSignal::new(Vec::new()),
        session,
        engine: StoredValue::new_local(None),
    };
    // The browser knows first when the network goes: stop waiting on a dead socket.
    let online = window_event_listener(leptos::ev::online, move |_| sync.reconnect());
    let offline = window_event_listener(leptos::ev::offline, move |_| sync.disconnect());
    std::mem::forget((online, offline));
    provide_context(sync);
    sync
}

pub fn use_sync() -> SyncContext {
    expect_context::<SyncContext>()
}

fn now() -> f64 {
    js_sys::Date::now()
}

fn browser_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl SyncContext {
    fn engine(&self) -> Option<Rc<RefCell<Engine>>> {
        self.engine.with_value(|e| e.clone())
    }

    /// Opens `user`'s saved records and outbox and connects. Nothing happens if it runs already.
    pub fn start(self, user: String, roles: Vec<Role>) {
        self.roles.set(roles);
        if self.engine().is_some_and(|e| e.borrow().user == user) {
            // Signed in again after the session ended: the queue waiting here can go now.
            return self.reconnect();
        }
        self.stop();
        spawn_local(async move {
            let opened = async {
                let db = LocalDb::open(&user).await?;
                let queue = db.load_queue().await?;
                Ok::<_, StoreError>((db, queue))
            };
            let (db, queue) = match opened.await {
                Ok(opened) => opened,
                Err(e) => return self.data.set(LocalData::Failed(e.0)),
            };
            let saved::Restored { replica, last_synced, scope, pins, follow } = saved::restore(&queue.stores, records::random_id());
            self.follow.set(follow.clone());
            let never = replica.cursor == 0;
            let engine = Rc::new(RefCell::new(Engine {
                user,
                db,
                replica,
                socket: None,
                welcomed: false,
                head: 0,
                in_flight: None,
                applied: BTreeSet::new(),
                stuck: BTreeSet::new(),
                viewing: None,
                attempts: 0,
                snapshot: None,
                shown_pending: BTreeSet::new(),
                read: false,
                saved_scope: scope,
                receiving_scope: None,
                pins,
                follow,
                asked: BTreeSet::new(),
            }));
            self.engine.set_value(Some(engine.clone()));
            self.last_synced.set(last_synced);
            if let Err(e) = self.read_saved(&engine, queue.count).await {
                return self.data.set(LocalData::Failed(e.0));
            }
            if !self.engine().is_some_and(|now| Rc::ptr_eq(&now, &engine)) {
                return;
            }
            engine.borrow_mut().read = true;
            self.data.set(if never { LocalData::NeverSynced } else { LocalData::Ready });
            self.publish_all();
            self.connect();
        });
    }

    /// Reads the saved records into the replica, kind by kind in pages: the first screens'
    /// kinds first (they show at once), then the others, saying how many are read. Sync
    /// starts after: a change must not land on a record before its saved copy is read.
    async fn read_saved(self, engine: &Rc<RefCell<Engine>>, total: u64) -> Result<(), StoreError> {
        /// Kinds the first screens (the initiatives, the consultations) need: few records.
        const FIRST: [Kind; 2] = [Kind::Initiative, Kind::Consultation];
        const PAGE: u32 = 2000;
        let rest = Kind::ALL.into_iter().filter(|k| !FIRST.contains(k));
        // Signed out (or in as someone else) meanwhile: this engine's reading stops.
        let current = || self.engine().is_some_and(|now| Rc::ptr_eq(&now, engine));
        let mut done = 0;
        for (n, kind) in FIRST.into_iter().chain(rest).enumerate() {
            let mut after = String::new();
            loop {
                let db = engine.borrow().db.clone();
                let page = db.load_records(kind, &after, PAGE).await?;
                let full = page.len() == PAGE as usize;
                done += page.len() as u64;
                let mut e = engine.borrow_mut();
                if let Some((key, _)) = page.last() {
                    after = key.id.clone();
                }
                e.replica.confirmed.extend(page);
                drop(e);
                if !current() {
                    return Ok(());
                }
                if done < total {
                    self.reading.set(Some(Progress { done, total }));
                }
                if !full {
                    break;
                }
            }
            if n + 1 == FIRST.len() && done < total {
                self.publish_all();
                self.data.set(LocalData::Reading);
            }
        }
        self.reading.set(None);
        Ok(())
    }

    /// Signing out: the engine stops; the user's outbox stays saved for their next sign-in.
    pub fn stop(self) {
        self.engine.set_value(None);
        self.records.set(BTreeMap::new());
        self.pending.set(Vec::new());
        self.rejected.set(Vec::new());
        self.conflicts.set(Vec::new());
        self.viewers.set(Vec::new());
        self.last_synced.set(None);
        self.caught_up.set(false);
        self.data.set(LocalData::Loading);
        self.receiving.set(None);
        self.reading.set(None);
        self.connection.set(Connection::Connecting);
    }

    /// Shows the whole replica (on start).
    fn publish_all(self) {
        let Some(engine) = self.engine() else { return };
        let records = {
            let mut e = engine.borrow_mut();
            e.shown_pending.clear();
            e.replica.view()
        };
        self.records.set(records);
        self.publish(None);
    }

    /// Shows what changed: the `touched` records (their confirmed copy changed) and those with
    /// a pending edit now or at the last update are read again; the others are not copied.
    fn publish(self, touched: impl IntoIterator<Item = RecordKey>) {
        let Some(engine) = self.engine() else { return };
        let (updates, pending, rejected, conflicts) = {
            let mut e = engine.borrow_mut();
            let pending: Vec<RecordKey> = e.replica.outbox.iter().map(|m| m.op.key().clone()).collect();
            let mut keys: BTreeSet<RecordKey> = touched.into_iter().collect();
            keys.extend(std::mem::replace(&mut e.shown_pending, pending.iter().cloned().collect()));
            keys.extend(pending.iter().cloned());
            let updates: Vec<(RecordKey, Option<SyncedRecord>)> = keys
                .into_iter()
                .map(|k| {
                    let seen = e.replica.view_of(&k);
                    (k, seen)
                })
                .collect();
            (updates, pending, e.replica.rejected.clone(), e.replica.conflicts.clone())
        };
        if !updates.is_empty() {
            self.records.update(|records| {
                for (key, seen) in updates {
                    match seen {
                        Some(record) => records.insert(key, record),
                        None => records.remove(&key),
                    };
                }
            });
        }
        self.pending.set(pending);
        self.rejected.set(rejected);
        self.conflicts.set(conflicts);
    }

    /// Runs `change` on the replica and saves what it changed in one transaction; returns
    /// when that is durable. `None` when no engine runs.
    async fn change<T>(self, change: impl FnOnce(&mut Replica) -> T) -> Option<Result<T, StoreError>> {
        let engine = self.engine()?;
        let (result, commit) = {
            let mut e = engine.borrow_mut();
            let before = saved::keys(&e.replica);
            let result = change(&mut e.replica);
            let mut batch = Batch::default();
            saved::save_changes(&before, &e.replica, now(), &mut batch);
            (result, e.db.commit(batch))
        };
        Some(commit.await.map(|_| result))
    }

    /// Queues a user's edit: checked as the server would, saved in the outbox (which is what the
    /// screen shows) before this returns, then sent when the server can be reached.
    pub async fn mutate(self, op: Op) -> Result<(), Rejected> {
        self.precheck(&op).await.map_err(Rejected::Refused)?;
        self.queue(op).await.map_err(Rejected::NotSaved)
    }

    /// Whether the server would accept `op` from this person, as far as this device knows.
    pub async fn precheck(self, op: &Op) -> Result<(), Refusal> {
        let check = check_for(op.key().kind).await;
        let roles = self.roles.get_untracked();
        self.records.with_untracked(|r| check(r, &roles, op))
    }

    async fn queue(self, op: Op) -> Result<(), StoreError> {
        let Some(engine) = self.engine() else { return Err(StoreError("not signed in".into())) };
        let made = self.change(|r| r.mutate(op)).await;
        match made {
            Some(Ok(_)) => {}
            Some(Err(e)) => {
                // Not saved, so not queued either: the form keeps what was typed and says why.
                engine.borrow_mut().replica.outbox.pop();
                return Err(e);
            }
            None => return Err(StoreError("not signed in".into())),
        }
        self.publish(None);
        // What a person writes stays whole on this device, whoever else edits it.
        let written = engine.borrow().replica.outbox.last().map(|m| m.op.key().clone());
        if let Some(key) = written {
            self.open(key);
        }
        self.push();
        Ok(())
    }

    /// Sends a refused mutation again, as a new mutation.
    pub fn retry(self, client: ClientId, seq: u64) {
        spawn_local(async move {
            self.change(|r| {
                if let Some(pos) = r.rejected.iter().position(|(m, _)| m.client == client && m.seq == seq) {
                    let (m, _) = r.rejected.remove(pos);
                    r.mutate(m.op);
                }
            })
            .await;
            self.publish(None);
            self.push();
        });
    }

    /// Removes a refused mutation from the list, after the person has seen it.
    pub fn discard(self, client: ClientId, seq: u64) {
        spawn_local(async move {
            self.change(|r| r.rejected.retain(|(m, _)| !(m.client == client && m.seq == seq))).await;
            self.publish(None);
        });
    }

    pub fn dismiss(self, conflict: Conflict) {
        spawn_local(async move {
            self.change(|r| r.conflicts.retain(|c| *c != conflict)).await;
            self.publish(None);
        });
    }

    /// The edit that puts the overwritten value of `conflict` back over the current value.
    pub fn restoring(self, conflict: &Conflict) -> Op {
        let base = self.records.with_untracked(|r| r.get(&conflict.key).map(|r| r.rev(&conflict.field)).unwrap_or(0));
        let change = FieldChange { field: conflict.field.clone(), value: conflict.lost.clone(), base };
        Op::Edit { key: conflict.key.clone(), changes: vec![change] }
    }

    /// Tells the server which record this page shows (`None`: none), for presence.
    pub fn viewing(self, key: Option<RecordKey>) {
        self.viewers.set(Vec::new());
        let Some(engine) = self.engine() else { return };
        let mut e = engine.borrow_mut();
        if e.viewing == key {
            return;
        }
        e.viewing = key.clone();
        if e.welcomed
            && let Some(socket) = &e.socket
        {
            socket.send(&ClientMessage::Viewing { key });
        }
    }

    /// The page showing `key` closed (another page may already show another record).
    pub fn stop_viewing(self, key: &RecordKey) {
        let viewing = self.engine().and_then(|e| e.borrow().viewing.clone());
        if viewing.as_ref() == Some(key) {
            self.viewing(None);
        }
    }

    fn connect(self) {
        let Some(engine) = self.engine() else { return };
        if !engine.borrow().read {
            // Connects once the saved records are read (`start`): the network coming back or a
            // new sign-in must not bring changes onto records whose saved copies come after.
            return;
        }
        if !browser_online() {
            self.connection.set(Connection::Offline);
            return;
        }
        self.connection.set(Connection::Connecting);
        self.caught_up.set(false);
        let weak: Weak<RefCell<Engine>> = Rc::downgrade(&engine);
        let socket = Socket::open(move |event| {
            if let Some(engine) = weak.upgrade() {
                self.on_event(&engine, event);
            }
        });
        let failed = socket.is_none();
        {
            let mut e = engine.borrow_mut();
            e.socket = socket;
            e.welcomed = false;
            e.in_flight = None;
            e.applied.clear();
            e.asked.clear();
            // A snapshot cut short is sent again whole: the keys of its pages say nothing now.
            e.snapshot = None;
        }
        self.receiving.set(None);
        if failed {
            self.retry_later();
        }
    }

    /// Connects now (the network came back, or the person asked).
    pub fn reconnect(self) {
        if let Some(engine) = self.engine() {
            engine.borrow_mut().attempts = 0;
            if engine.borrow().socket.is_none() || self.connection.get_untracked() != Connection::Online {
                self.connect();
            }
        }
    }

    fn disconnect(self) {
        if let Some(engine) = self.engine() {
            engine.borrow_mut().socket = None;
        }
        self.connection.set(Connection::Offline);
        self.caught_up.set(false);
        self.receiving.set(None);
    }

    fn retry_later(self) {
        let Some(engine) = self.engine() else { return };
        let attempts = {
            let mut e = engine.borrow_mut();
            e.attempts += 1;
            e.attempts
        };
        let delay = decisions::backoff_ms(attempts, js_sys::Math::random());
        let weak = Rc::downgrade(&engine);
        set_timeout(
            move || {
                let still_wanted = weak.upgrade().is_some_and(|e| e.borrow().socket.is_none());
                if still_wanted && self.connection.get_untracked() != Connection::SignedOut {
                    self.connect();
                }
            },
            Duration::from_millis(delay as u64),
        );
    }

    fn on_event(self, engine: &Rc<RefCell<Engine>>, event: Event) {
        match event {
            Event::Opened => {
                let e = engine.borrow();
                if let Some(socket) = &e.socket {
                    let (follow, pins) = (e.follow.clone(), e.pins.clone());
                    socket.send(&ClientMessage::Hello {
                        protocol: PROTOCOL,
                        cursor: e.replica.cursor,
                        scope: e.saved_scope.clone(),
                        follow,
                        pins,
                    });
                }
            }
            Event::Closed => {
                engine.borrow_mut().socket = None;
                self.receiving.set(None);
                if self.connection.get_untracked() == Connection::Outdated {
                    return;
                }
                self.connection.set(Connection::Offline);
                // A socket refused at the upgrade looks like any closed one: ask whether the
                // session is still good before trying again.
                spawn_local(async move {
                    match api::get::<Me>("/api/me").await {
                        Err(ApiError::Unauthenticated) => self.connection.set(Connection::SignedOut),
                        _ => self.retry_later(),
                    }
                });
            }
            Event::Message(message) => self.on_message(engine, message),
        }
    }

    fn on_message(self, engine: &Rc<RefCell<Engine>>, message: ServerMessage) {
        match message {
            ServerMessage::Welcome { head, scope, .. } => {
                let caught_up = {
                    let mut e = engine.borrow_mut();
                    e.welcomed = true;
                    e.receiving_scope = scope;
                    e.attempts = 0;
                    e.head = head;
                    if let Some(socket) = &e.socket {
                        socket.send(&ClientMessage::Viewing { key: e.viewing.clone() });
                    }
                    e.replica.cursor >= head
                };
                self.connection.set(Connection::Online);
                if caught_up {
                    self.synced(engine);
                }
                self.open_summaries(engine);
                self.push();
            }
            ServerMessage::Opened { key, record } => self.opened(engine, key, record),
            ServerMessage::Changes { changes, head } => self.received(engine, &changes, head),
            ServerMessage::Snapshot { records, head, total, last } => self.snapshot_page(engine, records, head, total, last),
            ServerMessage::Results { results } => {
                let sent = engine.borrow_mut().in_flight.take().unwrap_or_default();
                let outcomes: Vec<Outcome> = results.into_iter().map(|r| r.outcome).collect();
                spawn_local(async move {
                    let Some(engine) = self.engine() else { return };
                    if let Some(Ok(settled)) = self.change(|r| decisions::settle(r, sent, outcomes)).await {
                        let mut e = engine.borrow_mut();
                        e.applied.extend(settled.applied);
                        e.stuck.extend(settled.stuck);
                    }
                    self.publish(None);
                    self.push();
                });
            }
            ServerMessage::Presence { key, viewers } => {
                if engine.borrow().viewing.as_ref() == Some(&key) {
                    self.viewers.set(viewers);
                }
            }
            ServerMessage::Rescoped { roles, scope } => {
                // A snapshot for the new roles follows; the outbox stays and is pushed as before.
                engine.borrow_mut().receiving_scope = Some(scope);
                self.roles.set(roles.clone());
                self.session.me.update(|me| {
                    if let Some(me) = me {
                        me.roles = roles;
                        remember_me(Some(me));
                    }
                });
            }
            ServerMessage::Error { code, message } => {
                if code == ErrorCode::Protocol {
                    self.connection.set(Connection::Outdated);
                }
                web_sys::console::warn_1(&format!("sync: {}: {message}", code.as_str()).into());
            }
        }
    }

    /// Applies changes from the log in order, saving them and the outbox entries they settle
    /// in one transaction. A gap means something was missed: reconnecting resumes from the cursor.
    fn received(self, engine: &Rc<RefCell<Engine>>, changes: &[rihub_domain::sync::change::Change], head: u64) {
        let (commit, caught_up, gap, touched) = {
            let mut e = engine.borrow_mut();
            let before = saved::keys(&e.replica);
            let mut touched = BTreeSet::new();
            let mut gap = false;
            for c in changes {
                if e.replica.receive(c).is_err() {
                    gap = true;
                    break;
                }
                touched.insert(&c.key);
            }
            // A conflict between other people's edits is not this person's to see or settle.
            let roles = self.roles.get_untracked();
            let e = &mut *e;
            let confirmed = &e.replica.confirmed;
            e.replica.conflicts.retain(|c| c.concerns(&e.user, &roles, records::region(confirmed, &c.key)));
            // Each record as it now is (a change may carry only the fields it set), once.
            let kept: Vec<_> = touched.into_iter().map(|k| (k.clone(), e.replica.confirmed.get(k).cloned())).collect();
            e.head = e.head.max(head);
            let in_outbox: BTreeSet<(ClientId, u64)> = e.replica.outbox.iter().map(|m| (m.client.clone(), m.seq)).collect();
            e.applied.retain(|id| in_outbox.contains(id));
            let mut batch = Batch::default();
            e.saved_scope = e.receiving_scope.clone();
            saved::save_received(&kept, e.replica.cursor, e.saved_scope.as_deref(), now(), &mut batch);
            saved::save_changes(&before, &e.replica, now(), &mut batch);
            let touched: Vec<RecordKey> = kept.into_iter().map(|(k, _)| k).collect();
            (e.db.commit(batch), e.replica.cursor >= e.head, gap, touched)
        };
        spawn_local(async move {
            if let Err(e) = commit.await {
                web_sys::console::error_1(&format!("cannot save synced records: {}", e.0).into());
            }
        });
        self.publish(touched);
        if caught_up {
            self.synced(engine);
        }
        if gap {
            self.connect();
        }
    }

    /// Keeps a snapshot page as it comes: shown at once, and saved in its own transaction (the
    /// first page also forgets the saved scope, so that a snapshot cut short is sent again).
    /// After the last page the records it did not hold go, in one transaction with the new
    /// cursor; the outbox stays, and what the snapshot already holds comes back as duplicates.
    fn snapshot_page(self, engine: &Rc<RefCell<Engine>>, page: Vec<SnapshotRecord>, head: u64, total: Option<u64>, last: bool) {
        let (commit, touched, received) = {
            let mut e = engine.borrow_mut();
            let e = &mut *e;
            let mut batch = Batch::default();
            let keys = e.snapshot.get_or_insert_with(|| {
                saved::forget_scope(&mut batch);
                BTreeSet::new()
            });
            let mut touched = Vec::with_capacity(page.len());
            for SnapshotRecord { key, record } in page {
                saved::save_record(&key, Some(&record), &mut batch);
                keys.insert(key.clone());
                e.replica.confirmed.insert(key.clone(), record);
                touched.push(key);
            }
            let received = keys.len() as u64;
            if last {
                let keys = e.snapshot.take().unwrap_or_default();
                let gone: Vec<RecordKey> = e.replica.confirmed.keys().filter(|k| !keys.contains(k)).cloned().collect();
                for key in &gone {
                    saved::save_record(key, None, &mut batch);
                    e.replica.confirmed.remove(key);
                }
                touched.extend(gone);
                let before = saved::keys(&e.replica);
                let records = std::mem::take(&mut e.replica.confirmed);
                e.replica.reset(records, head);
                e.head = e.head.max(head);
                e.applied.clear();
                e.saved_scope = e.receiving_scope.clone();
                saved::save_position(head, e.saved_scope.as_deref(), now(), &mut batch);
                saved::save_changes(&before, &e.replica, now(), &mut batch);
            }
            (e.db.commit(batch), touched, received)
        };
        spawn_local(async move {
            if let Err(e) = commit.await {
                web_sys::console::error_1(&format!("cannot save the snapshot: {}", e.0).into());
            }
        });
        let total = total.or_else(|| self.receiving.get_untracked().map(|r| r.total)).unwrap_or(received);
        self.receiving.set((!last).then_some(Progress { done: received, total: total.max(received) }));
        // The first screen shows what has arrived while the rest comes.
        if self.data.get_untracked() == LocalData::NeverSynced {
            self.data.set(LocalData::Ready);
        }
        self.publish(touched);
        if last {
            if engine.borrow().replica.cursor >= engine.borrow().head {
                self.synced(engine);
            }
            self.push();
        }
    }

    fn synced(self, engine: &Rc<RefCell<Engine>>) {
        let at = now();
        let mut batch = Batch::default();
        saved::save_last_synced(at, &mut batch);
        let commit = engine.borrow().db.commit(batch);
        spawn_local(async move {
            let _ = commit.await;
        });
        self.last_synced.set(Some(at));
        if !self.caught_up.get_untracked() {
            self.caught_up.set(true);
        }
        if self.data.get_untracked() != LocalData::Ready {
            self.data.set(LocalData::Ready);
        }
    }

    /// Sends the next mutations of the outbox, one push at a time.
    fn push(self) {
        let Some(engine) = self.engine() else { return };
        let mut e = engine.borrow_mut();
        if !e.welcomed || e.in_flight.is_some() {
            return;
        }
        let batch = decisions::next_push(&e.replica.outbox, &e.applied, &e.stuck, MAX_PUSH);
        if batch.is_empty() {
            return;
        }
        let ids = batch.iter().map(|m| (m.client.clone(), m.seq)).collect();
        let sent = e.socket.as_ref().is_some_and(|s| s.send(&ClientMessage::Push { mutations: batch }));
        if sent {
            e.in_flight = Some(ids);
        }
    }
}
