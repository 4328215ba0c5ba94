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

/// `value` without the object members that are null, at every depth: the store keeps an
/// absent value as no member at all.
pub fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, without_nulls(v))).collect()),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
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
    /// Only the fields of a summary (see `working_set`): the device fetches the rest when the
    /// record is opened.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub summary: bool,
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
        SyncedRecord { fields, revs, summary: false }
    }

    /// Replaces the fields with `canonical` (the same record as its typed form writes it, an
    /// absent value as no value at all, as it is stored): each field whose value that changes,
    /// appears or goes takes revision `at`.
    pub fn canonical(&mut self, canonical: Map<String, Value>, at: u64) {
        let Value::Object(canonical) = without_nulls(Value::Object(canonical)) else { return };
        let names: std::collections::BTreeSet<String> = self.fields.keys().chain(canonical.keys()).cloned().collect();
        for name in names {
            if self.fields.get(&name) != canonical.get(&name) {
                self.revs.insert(name, at);
            }
        }
        self.fields = canonical;
    }

    /// Only the fields change `at` set, with their revisions. A field it removed keeps its
    /// revision and has no value.
    pub fn set_by(mut self, at: u64) -> SyncedRecord {
        self.revs.retain(|_, rev| *rev == at);
        let revs = &self.revs;
        self.fields.retain(|field, _| revs.contains_key(field));
        self
    }

    /// Takes the fields of `set` (a change's, see `set_by`) whose revision is not older than
    /// the one held: applying a change twice, or after a snapshot that already holds a later
    /// one, changes nothing. A summary's change makes the record a summary: what it did to the
    /// other fields is not known here.
    pub fn merge(&mut self, set: &SyncedRecord) {
        self.summary |= set.summary;
        for (field, &rev) in &set.revs {
            if rev < self.rev(field) {
                continue;
            }
            match set.fields.get(field) {
                Some(value) => self.fields.insert(field.clone(), value.clone()),
                None => self.fields.remove(field),
            };
            self.revs.insert(field.clone(), rev);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(fields: Value, revs: &[(&str, u64)]) -> SyncedRecord {
        SyncedRecord {
            fields: fields.as_object().cloned().unwrap_or_default(),
            revs: revs.iter().map(|(f, r)| (f.to_string(), *r)).collect(),
            summary: false,
        }
    }

    #[test]
    fn nulls_are_dropped_at_every_depth() {
        let v = json!({"a": null, "b": {"c": null, "d": 1}, "e": [{"f": null}]});
        assert_eq!(without_nulls(v), json!({"b": {"d": 1}, "e": [{}]}));
    }

    #[test]
    fn a_change_carries_only_what_it_set_including_removals() {
        let after = record(json!({"title": "T", "objective": "new"}), &[("title", 3), ("objective", 9), ("end", 9)]);
        assert_eq!(after.set_by(9), record(json!({"objective": "new"}), &[("objective", 9), ("end", 9)]));
    }

    #[test]
    fn merging_takes_newer_fields_removes_removed_ones_and_skips_older_ones() {
        let mut held = record(
            json!({"title": "T", "objective": "old", "end": "2027", "status": "done"}),
            &[("title", 3), ("objective", 4), ("end", 4), ("status", 12)],
        );
        held.merge(&record(json!({"objective": "new", "status": "planned"}), &[("objective", 9), ("end", 9), ("status", 9)]));
        assert_eq!(
            held,
            record(
                json!({"title": "T", "objective": "new", "status": "done"}),
                &[("title", 3), ("objective", 9), ("end", 9), ("status", 12)]
            )
        );
        let again = held.clone();
        held.merge(&record(json!({"objective": "new"}), &[("objective", 9)]));
        assert_eq!(held, again, "applying a change twice changes nothing");
    }
}
