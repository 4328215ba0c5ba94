//! One entry of the change log, and what of it each reader gets.

use serde::{Deserialize, Serialize};

use super::audience::{Audience, Visibility, visibility};
use super::merge::Conflict;
use super::mutation::ClientId;
use super::record::{Kind, RecordKey, SyncedRecord};
use super::working_set::WorkingSet;
use crate::region::Region;
use crate::role::Role;

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
    /// The region the record is kept under (a project's is its initiative's), for working
    /// sets; the log has it since it began, older servers sent it to no one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
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
            region: None,
        };
        match visibility(roles, self.key.kind, &self.audience) {
            Visibility::Full => self.compacted(),
            Visibility::Existence => blank(self.key.clone(), self.record.as_ref().map(|_| SyncedRecord::default())),
            Visibility::Hidden => blank(RecordKey { kind: self.key.kind, id: String::new() }, None),
        }
    }

    /// The change as a device of a holder of `roles` with working set `set` gets it: as
    /// `for_reader`, and only a summary's fields of a record outside the working set.
    pub fn for_device(self, roles: &[Role], set: &WorkingSet) -> Change {
        let change = self.for_reader(roles);
        match set.holds(&change.key, change.region) {
            true => change,
            false => change.summarized(),
        }
    }

    /// The change with only a summary's fields of its record (see `working_set`).
    pub fn summarized(mut self) -> Change {
        self.record = self.record.map(|r| r.summary(self.key.kind));
        self
    }

    /// Whether a device with working set `set` gets this change whole (when it may read it).
    pub fn is_held_by(&self, set: &WorkingSet) -> bool {
        set.holds(&self.key, self.region)
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
