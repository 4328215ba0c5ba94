//! Mutations: a client's intent, queued offline and sent in order.
//! Sent by clients since sync v1: add variants and optional fields only; do not rename.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::{RecordKey, SyncedRecord};

/// A random id a browser chooses once per signed-in user; its mutations are numbered 1, 2, 3 …
pub type ClientId = String;

/// One user action, as the outbox holds it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mutation {
    pub client: ClientId,
    /// 1 for the client's first mutation, then +1 each; the server applies them in this order
    /// and exactly once.
    pub seq: u64,
    pub op: Op,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Create a record with the given fields (the client picks the id).
    Create {
        key: RecordKey,
        fields: Map<String, Value>,
    },
    /// Set some fields, each naming the revision of that field the client last saw.
    Edit {
        key: RecordKey,
        changes: Vec<FieldChange>,
    },
    Delete {
        key: RecordKey,
    },
    /// Submit a Member State's answers to a consultation as they are in `content` (a
    /// `ContributionFields`); `key` is the state's submission record. The server checks the
    /// time and the answers, and adds a version unless this content is already the current one.
    Submit {
        key: RecordKey,
        content: Value,
    },
}

impl Op {
    /// The edit that turns `base` into `fields`: one change per field that differs, each based
    /// on that field's revision in `base` (what the person saw when they started editing).
    pub fn edit_from(key: &RecordKey, base: &SyncedRecord, fields: &Map<String, Value>) -> Op {
        let names: std::collections::BTreeSet<&String> = base.fields.keys().chain(fields.keys()).collect();
        let changes = names
            .into_iter()
            .filter_map(|name| {
                let value = fields.get(name).cloned().unwrap_or(Value::Null);
                (base.get(name) != &value).then(|| FieldChange { field: name.clone(), value, base: base.rev(name) })
            })
            .collect();
        Op::Edit { key: key.clone(), changes }
    }

    pub fn key(&self) -> &RecordKey {
        match self {
            Op::Create { key, .. } | Op::Edit { key, .. } | Op::Delete { key } | Op::Submit { key, .. } => key,
        }
    }
}

/// A new value for one top-level field, and the field's revision it was based on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub value: Value,
    pub base: u64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::record::Kind;
    use serde_json::json;

    #[test]
    fn an_edit_names_only_the_changed_fields_with_their_revisions() {
        let key = RecordKey { kind: Kind::Project, id: "p".into() };
        let mut base = SyncedRecord::created(
            json!({"title": "A", "status": "planned", "end": "2027-01-01"}).as_object().cloned().unwrap_or_default(),
            3,
        );
        base.revs.insert("status".into(), 7);
        let fields = json!({"title": "A", "status": "ongoing", "budget": 5}).as_object().cloned().unwrap_or_default();
        let Op::Edit { changes, .. } = Op::edit_from(&key, &base, &fields) else { panic!("an edit") };
        let summary: Vec<(&str, &Value, u64)> = changes.iter().map(|c| (c.field.as_str(), &c.value, c.base)).collect();
        assert_eq!(summary, [("budget", &json!(5), 0), ("end", &Value::Null, 3), ("status", &json!("ongoing"), 7)]);
    }
}
