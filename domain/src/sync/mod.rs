//! The sync model: mutations clients make offline, how the server orders and merges them,
//! and how a client replica converges on the server's state.
//!
//! Records travel as JSON objects of fields so one merge rule serves every record type;
//! typed validation (`InitiativeFields::validate` …) runs on the merged result.
//!
//! - [`message`]: the WebSocket messages.
//! - [`mutation`]: what a client sends: `{client, seq, op}`.
//! - [`record`]: a synced record with a revision per field.
//! - [`merge`]: applying an edit to a record, keeping every overwritten value as a conflict.
//! - [`sequencer`]: the server's side as a pure state machine: dedup by (client, seq),
//!   order into a change log. The real server runs the same steps in one transaction.
//! - [`rules`]: the permission and typed validation a mutation must pass.
//! - [`consultation_rules`], [`report_rules`]: the checks of the kinds whose readers differ
//!   (drafts, submissions).
//! - [`replica`]: a client's copy: server changes applied in order, pending edits on top.

pub mod consultation_rules;
pub mod merge;
pub mod message;
pub mod mutation;
pub mod record;
pub mod replica;
pub mod report_rules;
pub mod rules;
pub mod sequencer;
