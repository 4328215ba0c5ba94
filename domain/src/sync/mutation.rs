//! Mutations: a client's intent, queued offline and sent in order.
//! Sent by clients since sync v1: add variants and optional fields only; do not rename.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::record::RecordKey;

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
    Create { key: RecordKey, fields: Map<String, Value> },
    /// Set some fields, each naming the revision of that field the client last saw.
    Edit { key: RecordKey, changes: Vec<FieldChange> },
    Delete { key: RecordKey },
}

impl Op {
    pub fn key(&self) -> &RecordKey {
        match self {
            Op::Create { key, .. } | Op::Edit { key, .. } | Op::Delete { key } => key,
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
