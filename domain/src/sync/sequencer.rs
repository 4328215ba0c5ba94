//! The server's side of sync as a pure state machine. It takes each client's mutations exactly
//! once and in order, merges them, and appends every result to a change log numbered 1, 2, 3 …
//! The server performs these same steps (plus authorization) inside one database transaction.

use std::collections::{BTreeMap, HashMap};

use super::audience::Audience;
use super::change::Change;
use super::merge::{Conflict, apply_changes};
use super::mutation::{ClientId, Mutation, Op};
use super::outcome::{Outcome, Refusal, out_of_order};
use super::record::{RecordKey, SyncedRecord};

/// What `op` makes of the record `existing` as change number `at`: the record after it
/// (`None`: deleted) and the conflicts it leaves. The server's transaction calls this too.
pub fn plan(op: &Op, existing: Option<&SyncedRecord>, at: u64) -> Result<(Option<SyncedRecord>, Vec<Conflict>), Refusal> {
    match (op, existing) {
        (Op::Create { .. }, Some(_)) => Err(Refusal::Exists),
        (Op::Create { fields, .. }, None) => Ok((Some(SyncedRecord::created(fields.clone(), at)), Vec::new())),
        (Op::Edit { .. } | Op::Delete { .. }, None) => Err(Refusal::NotFound),
        (Op::Edit { key, changes }, Some(current)) => {
            let mut next = current.clone();
            let conflicts = apply_changes(key, &mut next, changes, at);
            Ok((Some(next), conflicts))
        }
        (Op::Delete { .. }, Some(_)) => Ok((None, Vec::new())),
        // Only the server can stamp a submission; until it has, nothing changes on the device.
        (Op::Submit { .. }, existing) => Ok((existing.cloned(), Vec::new())),
    }
}

#[derive(Debug, Default)]
pub struct Sequencer {
    pub records: BTreeMap<RecordKey, SyncedRecord>,
    pub log: Vec<Change>,
    /// The last mutation number processed (applied or refused) per client.
    pub processed: HashMap<ClientId, u64>,
}

impl Sequencer {
    pub fn last_seq(&self) -> u64 {
        self.log.last().map(|c| c.seq).unwrap_or(0)
    }

    /// Takes one mutation. `check` sees the record as it would be after the mutation and may
    /// refuse it (validation, permissions); a refused mutation changes nothing.
    pub fn receive(&mut self, m: &Mutation, check: impl Fn(&RecordKey, Option<&SyncedRecord>) -> Result<(), Refusal>) -> Outcome {
        let last = self.processed.get(&m.client).copied().unwrap_or(0);
        if let Some(answer) = out_of_order(last, m.seq) {
            return answer;
        }
        self.processed.insert(m.client.clone(), m.seq);
        let at = self.last_seq() + 1;
        let key = m.op.key().clone();
        let (after, conflicts) = match plan(&m.op, self.records.get(&key), at) {
            Ok(planned) => planned,
            Err(refusal) => return Outcome::Refused(refusal),
        };
        if let Err(refusal) = check(&key, after.as_ref()) {
            return Outcome::Refused(refusal);
        }
        match &after {
            Some(r) => self.records.insert(key.clone(), r.clone()),
            None => self.records.remove(&key),
        };
        self.log.push(Change {
            seq: at,
            key,
            record: after,
            partial: false,
            conflicts,
            client: m.client.clone(),
            client_seq: m.seq,
            audience: Audience::default(),
            region: None,
        });
        Outcome::Applied(at)
    }

    /// The changes a client at `cursor` has not seen, at most `limit` of them.
    pub fn changes_after(&self, cursor: u64, limit: usize) -> &[Change] {
        let start = self.log.partition_point(|c| c.seq <= cursor);
        let end = start.saturating_add(limit).min(self.log.len());
        &self.log[start..end]
    }
}
