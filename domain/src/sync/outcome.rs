//! What became of a mutation: applied, a duplicate, a gap, or refused and why.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::record::SyncedRecord;
use crate::error_code::ErrorCode;
use crate::validation::{FieldError, Problem};

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

impl Refusal {
    /// The stable code a refusal is told with over HTTP (a push says the refusal itself).
    pub fn code(&self) -> ErrorCode {
        match self {
            Refusal::NotFound => ErrorCode::NotFound,
            Refusal::Exists => ErrorCode::Exists,
            Refusal::Forbidden => ErrorCode::Forbidden,
            Refusal::Invalid(_) => ErrorCode::Invalid,
            Refusal::Stale => ErrorCode::StaleRevision,
            Refusal::Refused(_) => ErrorCode::Refused,
            Refusal::NotOpen => ErrorCode::NotOpen,
            Refusal::NotClosed => ErrorCode::NotClosed,
            Refusal::Closed => ErrorCode::Closed,
        }
    }
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

/// A refusal of one field for one problem.
pub fn invalid(field: &str, problem: Problem) -> Refusal {
    Refusal::Invalid(vec![FieldError { field: field.into(), problem }])
}

/// The record as its type, or a refusal of its format.
pub fn typed<T: serde::de::DeserializeOwned>(record: &SyncedRecord) -> Result<T, Refusal> {
    serde_json::from_value(Value::Object(record.fields.clone())).map_err(|_| invalid("record", Problem::BadFormat))
}
