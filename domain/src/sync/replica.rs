//! A client's copy of the records: what the server confirmed, applied strictly in change-log
//! order, with the client's unconfirmed mutations (the outbox) applied on top for display.

use std::collections::BTreeMap;

use serde_json::Value;

use super::mutation::{ClientId, Mutation, Op};
use super::record::{RecordKey, SyncedRecord};
use super::sequencer::{Change, Refusal};

#[derive(Debug, Clone)]
pub struct Replica {
    pub client: ClientId,
    /// Records as of change `cursor`.
    pub confirmed: BTreeMap<RecordKey, SyncedRecord>,
    pub cursor: u64,
    /// Mutations not yet acknowledged, in order.
    pub outbox: Vec<Mutation>,
    /// Mutations the server refused, with the reason: shown to the person, never dropped.
    pub rejected: Vec<(Mutation, Refusal)>,
    next_seq: u64,
}

/// A change arrived before the ones preceding it; pull from `cursor` first.
#[derive(Debug, PartialEq)]
pub struct Gap {
    pub cursor: u64,
}

impl Replica {
    pub fn new(client: impl Into<ClientId>) -> Replica {
        Replica { client: client.into(), confirmed: BTreeMap::new(), cursor: 0, outbox: Vec::new(), rejected: Vec::new(), next_seq: 1 }
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
            Some(r) => self.confirmed.insert(change.key.clone(), r.clone()),
            None => self.confirmed.remove(&change.key),
        };
        self.cursor = change.seq;
        if change.client == self.client {
            self.outbox.retain(|m| m.seq > change.client_seq);
        }
        Ok(())
    }

    /// The server refused mutation `seq`: it leaves the outbox for the visible "not accepted"
    /// list, with its reason. Calling it again for the same mutation does nothing.
    pub fn refused(&mut self, seq: u64, refusal: Refusal) {
        if let Some(pos) = self.outbox.iter().position(|m| m.seq == seq) {
            let m = self.outbox.remove(pos);
            self.rejected.push((m, refusal));
        }
    }

    /// What the person sees: confirmed records with pending mutations applied in order.
    pub fn view(&self) -> BTreeMap<RecordKey, SyncedRecord> {
        let mut view = self.confirmed.clone();
        for m in &self.outbox {
            match &m.op {
                Op::Create { key, fields } => {
                    view.entry(key.clone()).or_insert_with(|| SyncedRecord::created(fields.clone(), 0));
                }
                Op::Edit { key, changes } => {
                    if let Some(r) = view.get_mut(key) {
                        for c in changes {
                            match &c.value {
                                Value::Null => r.fields.remove(&c.field),
                                v => r.fields.insert(c.field.clone(), v.clone()),
                            };
                        }
                    }
                }
                Op::Delete { key } => {
                    view.remove(key);
                }
            }
        }
        view
    }
}
