//! The server's side of sync as a pure state machine. It takes each client's mutations exactly
//! once and in order, merges them, and appends every result to a change log numbered 1, 2, 3 …
//! The server performs these same steps (plus authorization) inside one database transaction.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::consultation_rules::{Audience, Visibility, visibility};
use super::merge::{Conflict, apply_changes};
use super::mutation::{ClientId, Mutation, Op};
use super::record::{Kind, RecordKey, SyncedRecord};
use crate::role::Role;
use crate::validation::FieldError;

/// One entry of the change log: the record as it is after the change (`None`: deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub seq: u64,
    pub key: RecordKey,
    pub record: Option<SyncedRecord>,
    /// `record` holds only the fields this change set (see `compacted`): merge it into the
    /// record held rather than replace it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    pub conflicts: Vec<Conflict>,
    /// The mutation that made it.
    pub client: ClientId,
    pub client_seq: u64,
    /// Who may read it; empty for records every signed-in user reads.
    #[serde(default, skip_serializing_if = "Audience::is_everyone")]
    pub audience: Audience,
}

impl Change {
    /// Whether every reader gets this change whole.
    pub fn is_public(&self) -> bool {
        self.audience.is_everyone()
    }

    /// The change as a reader holding `roles` gets it: all of it (`compacted`); or only that
    /// the record exists; or only its number (a change of an unknown record with no content),
    /// so that the reader's sequence has no gap and nothing about the record is told.
    pub fn for_reader(self, roles: &[Role]) -> Change {
        let blank = |key: RecordKey, record: Option<SyncedRecord>| Change {
            seq: self.seq,
            key,
            record,
            partial: false,
            conflicts: Vec::new(),
            client: ClientId::new(),
            client_seq: 0,
            audience: Audience::default(),
        };
        match visibility(roles, self.key.kind, &self.audience) {
            Visibility::Full => self.compacted(),
            Visibility::Existence => blank(self.key.clone(), self.record.as_ref().map(|_| SyncedRecord::default())),
            Visibility::Hidden => blank(RecordKey { kind: self.key.kind, id: String::new() }, None),
        }
    }

    /// The change as sent to a reader who may read all of it. Initiatives and projects, which
    /// every reader always holds whole, carry only the fields the change set: an edit of a
    /// status is not sent with six languages of objectives. Other kinds come whole, as a
    /// record may become readable (a report published, a role given) with a change that set
    /// only part of it.
    pub fn compacted(mut self) -> Change {
        if matches!(self.key.kind, Kind::Initiative | Kind::Project)
            && let Some(record) = self.record.take()
        {
            self.record = Some(record.set_by(self.seq));
            self.partial = true;
        }
        self
    }
}

/// Why a mutation was refused. Stable codes: the client shows them to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "code", content = "detail")]
pub enum Refusal {
    NotFound,
    Exists,
    /// The user's roles do not allow it (in the record's scope, or the scope it moves to).
    Forbidden,
    /// The record after the mutation breaks a validation rule.
    Invalid(Vec<FieldError>),
    /// A whole-record edit (the HTTP API's) started from a revision that is no longer current.
    Stale,
    /// Validation or permission refused it; the detail says which rule.
    Refused(String),
    /// The consultation is not open yet (a submission before its opening).
    NotOpen,
    /// The consultation has not closed yet (a publication of its results before the close).
    NotClosed,
    /// The consultation has closed: no more drafts, submissions or amendments.
    Closed,
}

/// What became of a received mutation. Sent to clients since sync v1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Applied as change number `seq` of the log.
    Applied(u64),
    /// Seen before (a retry): acknowledged again, not re-applied.
    Duplicate,
    /// An earlier mutation of this client has not arrived; send from `expected` on.
    Gap {
        expected: u64,
    },
    Refused(Refusal),
}

/// Whether mutation `seq` of a client is the next after the `last` one processed; if not, the
/// answer: a retry is acknowledged as a duplicate, a mutation past a missing one is a gap.
pub fn out_of_order(last: u64, seq: u64) -> Option<Outcome> {
    if seq <= last {
        Some(Outcome::Duplicate)
    } else if seq != last + 1 {
        Some(Outcome::Gap { expected: last + 1 })
    } else {
        None
    }
}

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
