//! Server integration tests against a real SurrealDB (in memory and surrealkv on disk).
//! One test binary: each binary links SurrealDB, and linking is slow.

mod support;

mod abuse;
mod admin;
mod auth;
mod backup;
mod bad_input;
mod consultations;
mod crash;
mod experience;
mod initiatives;
mod permissions;
mod process;
mod revocation;
mod sign_in;
mod socket;
mod storage;
mod sync;
mod working_set;
mod ws;
