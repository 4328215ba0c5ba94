//! A client's copy of the records: what the server confirmed, applied strictly in change-log
//! order, with the client's unconfirmed mutations (the outbox) applied on top for display.
//!
//! The outbox may hold mutations of several client ids of one user: a browser numbers the
//! mutations of each page load under a fresh id, and a later load still sends the earlier
//! loads' unsent mutations under their own ids (the server de-duplicates by id and number).

use std::collections::BTreeMap;

use serde_json::Value;

use super::change::Change;
use super::merge::Conflict;
use super::mutation::{ClientId, Mutation, Op};
use super::outcome::Refusal;
use super::record::{RecordKey, SyncedRecord};

#[derive(Debug, Clone)]
pub struct Replica {
    pub client: ClientId,
    /// Records as of change `cursor`.
    pub confirmed: BTreeMap<RecordKey, SyncedRecord>,
    pub cursor: u64,
    /// Mutations not yet acknowledged, in the order they were made.
    pub outbox: Vec<Mutation>,
    /// Mutations the server refused, with the reason: shown to the person, never dropped.
    pub rejected: Vec<(Mutation, Refusal)>,
    /// Values overwritten by a concurrent edit, while the winning value is still current.
    pub conflicts: Vec<Conflict>,
    next_seq: u64,
}

/// A change arrived before the ones preceding it; pull from `cursor` first.
#[derive(Debug, PartialEq)]
pub struct Gap {
    pub cursor: u64,
}

impl Replica {
    pub fn new(client: impl Into<ClientId>) -> Replica {
        Replica {
            client: client.into(),
            confirmed: BTreeMap::new(),
            cursor: 0,
            outbox: Vec::new(),
            rejected: Vec::new(),
            conflicts: Vec::new(),
            next_seq: 1,
        }
    }

    /// Records a user action in the outbox and returns the mutation to send.
    pub fn mutate(&mut self, op: Op) -> Mutation {
        let m = Mutation { client: self.client.clone(), seq: self.next_seq, op };
        self.next_seq += 1;
        self.outbox.push(m.clone());
        m
    }

    /// Applies a change from the log. Changes already seen are ignored; a change past the next
    /// expected one is refused so the client pulls what it missed (sequence numbers, not the
    /// delivery channel, guarantee nothing is skipped).
    pub fn receive(&mut self, change: &Change) -> Result<(), Gap> {
        if change.seq <= self.cursor {
            return Ok(());
        }
        if change.seq != self.cursor + 1 {
            return Err(Gap { cursor: self.cursor });
        }
        match &change.record {
            Some(set) if change.partial => self.confirmed.entry(change.key.clone()).or_default().merge(set),
            Some(r) => {
                self.confirmed.insert(change.key.clone(), r.clone());
            }
            None => {
                self.confirmed.remove(&change.key);
            }
        }
        self.cursor = change.seq;
        self.outbox.retain(|m| !(m.client == change.client && m.seq <= change.client_seq));
        self.conflicts.extend(change.conflicts.iter().cloned());
        let confirmed = &self.confirmed;
        // A conflict is settled once anyone sets the field again (a restore, a new edit).
        self.conflicts.retain(|c| confirmed.get(&c.key).is_some_and(|r| r.rev(&c.field) == c.won_rev));
        Ok(())
    }

    /// Replaces the records with a snapshot taken at change `head`. The outbox stays: what the
    /// snapshot already holds comes back as duplicates when it is sent again.
    pub fn reset(&mut self, records: BTreeMap<RecordKey, SyncedRecord>, head: u64) {
        self.confirmed = records;
        self.cursor = head;
        let confirmed = &self.confirmed;
        self.conflicts.retain(|c| confirmed.get(&c.key).is_some_and(|r| r.rev(&c.field) == c.won_rev));
    }

    /// The whole of record `key`, asked for when it was opened (see `working_set`): it replaces
    /// the summary held. The server reads it after every change it has sent this device, so it
    /// is never older than what is held.
    pub fn opened(&mut self, key: RecordKey, record: SyncedRecord) {
        self.confirmed.insert(key, record);
    }

    /// The server refused mutation `seq` of `client`: it leaves the outbox for the visible
    /// "not accepted" list, with its reason. Calling it again for the same mutation does nothing.
    pub fn refused(&mut self, client: &str, seq: u64, refusal: Refusal) {
        if let Some(pos) = self.outbox.iter().position(|m| m.client == client && m.seq == seq) {
            let m = self.outbox.remove(pos);
            self.rejected.push((m, refusal));
        }
    }

    /// The server had already applied mutation `seq` of `client` (a retry): it leaves the
    /// outbox; the change it made arrives, or arrived, through the log.
    pub fn settled(&mut self, client: &str, seq: u64) {
        self.outbox.retain(|m| !(m.client == client && m.seq == seq));
    }

    /// What the person sees: confirmed records with pending mutations applied in order.
    pub fn view(&self) -> BTreeMap<RecordKey, SyncedRecord> {
        let mut view = self.confirmed.clone();
        for m in &self.outbox {
            let key = m.op.key();
            let seen = pending(view.remove(key), &m.op);
            if let Some(record) = seen {
                view.insert(key.clone(), record);
            }
        }
        view
    }

    /// What the person sees of one record: `view()` for that key alone, without copying the
    /// others.
    pub fn view_of(&self, key: &RecordKey) -> Option<SyncedRecord> {
        let confirmed = self.confirmed.get(key).cloned();
        self.outbox.iter().filter(|m| m.op.key() == key).fold(confirmed, |seen, m| pending(seen, &m.op))
    }
}

/// A record as seen with pending operation `op` (on it) applied over `seen`.
fn pending(seen: Option<SyncedRecord>, op: &Op) -> Option<SyncedRecord> {
    match op {
        Op::Create { fields, .. } => Some(seen.unwrap_or_else(|| SyncedRecord::created(fields.clone(), 0))),
        Op::Edit { changes, .. } => seen.map(|mut r| {
            for c in changes {
                match &c.value {
                    Value::Null => r.fields.remove(&c.field),
                    v => r.fields.insert(c.field.clone(), v.clone()),
                };
            }
            r
        }),
        Op::Delete { .. } => None,
        // Stamped by the server: it shows as waiting until the version arrives.
        Op::Submit { .. } => seen,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::merge::apply_changes;
    use crate::sync::mutation::FieldChange;
    use crate::sync::record::Kind;
    use serde_json::json;

    fn key() -> RecordKey {
        RecordKey { kind: Kind::Initiative, id: "wtdc25_afr1".into() }
    }

    fn change(seq: u64, record: SyncedRecord, conflicts: Vec<Conflict>, client: &str, client_seq: u64) -> Change {
        Change {
            seq,
            key: key(),
            record: Some(record),
            partial: false,
            conflicts,
            client: client.into(),
            client_seq,
            audience: Default::default(),
            region: None,
        }
    }

    #[test]
    fn a_change_settles_only_the_mutations_of_its_own_client() {
        let mut earlier = Replica::new("load-1");
        earlier.mutate(Op::Delete { key: key() });
        let mut r = Replica::new("load-2");
        r.outbox = earlier.outbox.clone();
        r.mutate(Op::Delete { key: key() });
        let created = SyncedRecord::created(json!({"title": "A"}).as_object().cloned().unwrap_or_default(), 1);
        r.receive(&change(1, created, vec![], "load-2", 1)).unwrap();
        assert_eq!(r.outbox.iter().map(|m| m.client.as_str()).collect::<Vec<_>>(), ["load-1"]);
    }

    #[test]
    fn a_snapshot_replaces_the_records_and_keeps_the_outbox() {
        let mut r = Replica::new("c");
        let old = SyncedRecord::created(json!({"title": "old"}).as_object().cloned().unwrap_or_default(), 1);
        r.receive(&change(1, old, vec![], "x", 1)).unwrap();
        r.mutate(Op::Delete { key: key() });
        let other = RecordKey { kind: Kind::Project, id: "p".into() };
        let now = SyncedRecord::created(json!({"title": "new"}).as_object().cloned().unwrap_or_default(), 90);
        r.reset([(other.clone(), now)].into_iter().collect(), 100);
        assert_eq!((r.cursor, r.confirmed.keys().cloned().collect::<Vec<_>>()), (100, vec![other]));
        assert_eq!(r.outbox.len(), 1);
    }

    #[test]
    fn a_partial_change_merges_and_a_replay_after_a_snapshot_changes_nothing() {
        let mut r = Replica::new("c");
        let mut record = SyncedRecord::created(json!({"title": "A", "objective": "O"}).as_object().cloned().unwrap_or_default(), 1);
        r.receive(&change(1, record.clone(), vec![], "x", 1).compacted()).unwrap();
        apply_changes(&key(), &mut record, &[FieldChange { field: "title".into(), value: json!("B"), base: 1 }], 2);
        let second = change(2, record.clone(), vec![], "x", 2).compacted();
        assert_eq!(second.record.as_ref().map(|s| s.fields.len()), Some(1), "only the title travels");
        r.receive(&second).unwrap();
        assert_eq!(r.confirmed.get(&key()), Some(&record));
        // A snapshot taken after change 3 (a newer title), then change 2 replayed.
        apply_changes(&key(), &mut record, &[FieldChange { field: "title".into(), value: json!("C"), base: 2 }], 3);
        r.reset([(key(), record.clone())].into_iter().collect(), 1);
        r.receive(&second).unwrap();
        assert_eq!(r.confirmed.get(&key()), Some(&record), "the older title does not come back");
    }

    #[test]
    fn one_record_is_seen_as_in_the_whole_view() {
        let mut r = Replica::new("c");
        let fields = |title: &str| json!({"title": title}).as_object().cloned().unwrap_or_default();
        r.receive(&change(1, SyncedRecord::created(fields("A"), 1), vec![], "x", 1)).unwrap();
        let created = RecordKey { kind: Kind::Project, id: "p".into() };
        let gone = RecordKey { kind: Kind::Project, id: "q".into() };
        r.mutate(Op::Edit { key: key(), changes: vec![FieldChange { field: "title".into(), value: json!("B"), base: 1 }] });
        r.mutate(Op::Create { key: created.clone(), fields: fields("new") });
        r.mutate(Op::Edit { key: created.clone(), changes: vec![FieldChange { field: "title".into(), value: json!("newer"), base: 0 }] });
        r.mutate(Op::Create { key: gone.clone(), fields: fields("soon deleted") });
        r.mutate(Op::Delete { key: gone.clone() });
        let view = r.view();
        for k in [key(), created, gone, RecordKey { kind: Kind::Report, id: "none".into() }] {
            assert_eq!(r.view_of(&k).as_ref(), view.get(&k), "{k:?}");
        }
        assert_eq!(view.len(), 2);
    }

    #[test]
    fn a_conflict_is_shown_until_the_field_is_set_again() {
        let mut r = Replica::new("c");
        let mut record = SyncedRecord::created(json!({"title": "A"}).as_object().cloned().unwrap_or_default(), 1);
        r.receive(&change(1, record.clone(), vec![], "x", 1)).unwrap();
        apply_changes(&key(), &mut record, &[FieldChange { field: "title".into(), value: json!("B"), base: 1 }], 2);
        r.receive(&change(2, record.clone(), vec![], "x", 2)).unwrap();
        let conflicts = apply_changes(&key(), &mut record, &[FieldChange { field: "title".into(), value: json!("C"), base: 1 }], 3);
        r.receive(&change(3, record.clone(), conflicts, "y", 1)).unwrap();
        assert_eq!(r.conflicts.len(), 1);
        apply_changes(&key(), &mut record, &[FieldChange { field: "title".into(), value: json!("B"), base: 3 }], 4);
        r.receive(&change(4, record, vec![], "x", 3)).unwrap();
        assert!(r.conflicts.is_empty(), "restoring the lost value settles the conflict");
    }
}
