//! How a replica is saved in the browser's stores and restored from them. Every operation on
//! the replica saves what it changed in one transaction: [`keys`] before, [`save_changes`] after.

use std::collections::BTreeSet;

use rihub_domain::region::Region;
use rihub_domain::sync::merge::Conflict;
use rihub_domain::sync::mutation::Mutation;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::{RecordKey, SyncedRecord};
use rihub_domain::sync::replica::Replica;
use serde::{Deserialize, Serialize};

use super::db::{Batch, Loaded, Store};

/// An outbox entry: the mutation and when it was made (the outbox is sent in that order).
#[derive(Serialize, Deserialize)]
struct Pending {
    mutation: Mutation,
    made_at: f64,
}

#[derive(Serialize, Deserialize)]
struct NotAccepted {
    mutation: Mutation,
    refusal: Refusal,
}

const CURSOR: &str = "cursor";
const LAST_SYNCED: &str = "last_synced";
/// The scope (`scope_of` the roles) the saved records were read with.
const SCOPE: &str = "scope";
/// The device's working set: the records it pinned (first pinned first) and the regions it
/// follows.
const PINS: &str = "pins";
const FOLLOW: &str = "follow";

/// A record's key in the store: its kind, then its id, so that each kind is one range of
/// keys (`LocalDb::load_records`).
pub fn record_key(key: &RecordKey) -> String {
    format!("{}/{}", key.kind.code(), key.id)
}

fn mutation_key(m: &Mutation) -> String {
    format!("{}/{:012}", m.client, m.seq)
}

fn conflict_key(c: &Conflict) -> String {
    format!("{}/{}/{}", record_key(&c.key), c.field, c.won_rev)
}

/// The saved keys of a replica's outbox, refusals and conflicts.
pub struct Keys {
    outbox: BTreeSet<String>,
    rejected: BTreeSet<String>,
    conflicts: BTreeSet<String>,
}

pub fn keys(r: &Replica) -> Keys {
    Keys {
        outbox: r.outbox.iter().map(mutation_key).collect(),
        rejected: r.rejected.iter().map(|(m, _)| mutation_key(m)).collect(),
        conflicts: r.conflicts.iter().map(conflict_key).collect(),
    }
}

/// Adds the writes that take the saved outbox, refusals and conflicts from `before` to `after`
/// (new outbox entries are stamped `now`).
pub fn save_changes(before: &Keys, after: &Replica, now: f64, batch: &mut Batch) {
    let now_keys = keys(after);
    for m in &after.outbox {
        let key = mutation_key(m);
        if !before.outbox.contains(&key) {
            batch.put(Store::Outbox, key, &Pending { mutation: m.clone(), made_at: now });
        }
    }
    for (m, refusal) in &after.rejected {
        let key = mutation_key(m);
        if !before.rejected.contains(&key) {
            batch.put(Store::Rejected, key, &NotAccepted { mutation: m.clone(), refusal: refusal.clone() });
        }
    }
    for c in &after.conflicts {
        let key = conflict_key(c);
        if !before.conflicts.contains(&key) {
            batch.put(Store::Conflicts, key, c);
        }
    }
    let gone = |old: &BTreeSet<String>, new: &BTreeSet<String>| old.difference(new).cloned().collect::<Vec<_>>();
    for (store, old, new) in [
        (Store::Outbox, &before.outbox, &now_keys.outbox),
        (Store::Rejected, &before.rejected, &now_keys.rejected),
        (Store::Conflicts, &before.conflicts, &now_keys.conflicts),
    ] {
        for key in gone(old, new) {
            batch.delete(store, key);
        }
    }
}

/// Saves records as received (`None`: deleted), the cursor, the scope they were read with and
/// the time of this sync.
pub fn save_received(records: &[(RecordKey, Option<SyncedRecord>)], cursor: u64, scope: Option<&str>, now: f64, batch: &mut Batch) {
    for (key, record) in records {
        save_record(key, record.as_ref(), batch);
    }
    save_position(cursor, scope, now, batch);
}

/// Saves one record as received (`None`: deleted).
pub fn save_record(key: &RecordKey, record: Option<&SyncedRecord>, batch: &mut Batch) {
    match record {
        Some(r) => batch.put(Store::Records, record_key(key), &(key, r)),
        None => batch.delete(Store::Records, record_key(key)),
    }
}

/// Saves the cursor the records are at, the scope they were read with and the time of this
/// sync.
pub fn save_position(cursor: u64, scope: Option<&str>, now: f64, batch: &mut Batch) {
    batch.put(Store::Meta, CURSOR.into(), &cursor);
    if let Some(scope) = scope {
        batch.put(Store::Meta, SCOPE.into(), &scope);
    }
    batch.put(Store::Meta, LAST_SYNCED.into(), &now);
}

/// Forgets which scope the saved records were read with: they are being replaced, and until
/// that is done the device says none, which gets it a whole snapshot again.
pub fn forget_scope(batch: &mut Batch) {
    batch.delete(Store::Meta, SCOPE.into());
}

/// Saves the device's working set.
pub fn save_working_set(pins: &[RecordKey], follow: &[Region], batch: &mut Batch) {
    batch.put(Store::Meta, PINS.into(), &pins);
    batch.put(Store::Meta, FOLLOW.into(), &follow);
}

pub fn save_last_synced(now: f64, batch: &mut Batch) {
    batch.put(Store::Meta, LAST_SYNCED.into(), &now);
}

/// What a page load finds saved.
pub struct Restored {
    pub replica: Replica,
    /// When the device last synced (ms since the epoch).
    pub last_synced: Option<f64>,
    /// The scope its records were read with.
    pub scope: Option<String>,
    pub pins: Vec<RecordKey>,
    pub follow: Vec<Region>,
}

/// A replica as it was saved, for a new page load with client id `client`: its queue, refusals,
/// conflicts and cursor; the engine reads the records after (`LocalDb::load_records`).
pub fn restore(loaded: &Loaded, client: String) -> Restored {
    fn values<'a, T: Deserialize<'a>>(loaded: &'a Loaded, store: &str) -> impl Iterator<Item = T> + 'a {
        loaded.get(store).into_iter().flatten().filter_map(|(_, v)| serde_json::from_str(v).ok())
    }
    let mut r = Replica::new(client);
    let mut pending: Vec<Pending> = values(loaded, "outbox").collect();
    pending.sort_by(|a, b| a.made_at.total_cmp(&b.made_at).then(a.mutation.seq.cmp(&b.mutation.seq)));
    r.outbox = pending.into_iter().map(|p| p.mutation).collect();
    r.rejected = values::<NotAccepted>(loaded, "rejected").map(|n| (n.mutation, n.refusal)).collect();
    r.conflicts = values(loaded, "conflicts").collect();
    let meta = |name: &str| loaded.get("meta").into_iter().flatten().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    r.cursor = meta(CURSOR).and_then(|v| v.parse().ok()).unwrap_or(0);
    let last_synced = meta(LAST_SYNCED).and_then(|v| v.parse().ok());
    let scope = meta(SCOPE).and_then(|v| serde_json::from_str(v).ok());
    let pins = meta(PINS).and_then(|v| serde_json::from_str(v).ok()).unwrap_or_default();
    let follow = meta(FOLLOW).and_then(|v| serde_json::from_str(v).ok()).unwrap_or_default();
    Restored { replica: r, last_synced, scope, pins, follow }
}
