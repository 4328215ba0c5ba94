//! The sync model: mutations clients make offline, how the server orders and merges them,
//! and how a client replica converges on the server's state.
//!
//! Records travel as JSON objects of fields so one merge rule serves every record type;
//! typed validation (`InitiativeFields::validate` …) runs on the merged result.
//!
//! The modules depend on each other one way, from the bottom up:
//!
//! - [`record`]: a synced record with a revision per field, and its kind and key.
//! - [`mutation`]: what a client sends: `{client, seq, op}`.
//! - [`merge`]: applying an edit to a record, keeping every overwritten value as a conflict.
//! - [`audience`]: who may read a record's changes, and how much of them.
//! - [`change`]: one entry of the change log, and what of it each reader gets.
//! - [`outcome`]: what became of a mutation, and why one was refused.
//! - [`rules`], [`consultation_rules`], [`report_rules`]: the permission and typed validation a
//!   write must pass, per kind.
//! - [`sequencer`]: the server's side as a pure state machine: dedup by (client, seq),
//!   order into a change log. The real server runs the same steps in one transaction.
//! - [`write_check`]: one write's whole check (plan, validate, parent region, authorize),
//!   which the server runs in its transaction and the device before queueing.
//! - [`replica`]: a client's copy: server changes applied in order, pending edits on top.
//! - [`decisions`]: what a device pushes next, what a push's results settle, how long it waits
//!   to reconnect, and when a hello gets a snapshot.
//! - [`working_set`]: what a device keeps in full, and the summaries of the rest.
//! - [`wire`]: what travels: the socket's messages, the HTTP bodies, the protocol's limits.

pub mod audience;
pub mod change;
pub mod consultation_rules;
pub mod decisions;
pub mod merge;
pub mod mutation;
pub mod outcome;
pub mod record;
pub mod replica;
pub mod report_rules;
pub mod rules;
pub mod sequencer;
pub mod wire;
pub mod working_set;
pub mod write_check;
