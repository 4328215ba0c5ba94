//! A synced record: its fields as JSON, and for each field the sequence number of the change
//! that last set it (its revision).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A typed record's fields as sync holds them: its serde form, as a JSON object (empty for a
/// type that does not serialize to one, which no record type does).
pub fn fields_of<T: Serialize>(typed: &T) -> Map<String, Value> {
    match serde_json::to_value(typed) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Initiative,
    Project,
    /// A consultation of a region's Member States.
    Consultation,
    /// A Member State's draft answers to a consultation (one per state).
    Contribution,
    /// A Member State's submitted versions, stamped by the server (one record per state).
    Submission,
    /// An experience report on a project.
    Report,
}

impl Kind {
    pub const ALL: [Kind; 6] = [Kind::Initiative, Kind::Project, Kind::Consultation, Kind::Contribution, Kind::Submission, Kind::Report];

    /// The kind's name in the protocol, the store and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Initiative => "initiative",
            Kind::Project => "project",
            Kind::Consultation => "consultation",
            Kind::Contribution => "contribution",
            Kind::Submission => "submission",
            Kind::Report => "report",
        }
    }

    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordKey {
    pub kind: Kind,
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SyncedRecord {
    pub fields: Map<String, Value>,
    /// Revision of each field; a field never set has revision 0.
    pub revs: BTreeMap<String, u64>,
}

impl SyncedRecord {
    pub fn rev(&self, field: &str) -> u64 {
        self.revs.get(field).copied().unwrap_or(0)
    }

    pub fn get(&self, field: &str) -> &Value {
        self.fields.get(field).unwrap_or(&Value::Null)
    }

    /// A new record whose every field has revision `at`.
    pub fn created(fields: Map<String, Value>, at: u64) -> SyncedRecord {
        let revs = fields.keys().map(|k| (k.clone(), at)).collect();
        SyncedRecord { fields, revs }
    }
}
