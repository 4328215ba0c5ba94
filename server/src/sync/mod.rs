//! Sync over the network: the HTTP routes (push, pull, snapshot), the socket, the change feed
//! every socket of this process shares, and presence. Writes go through the database's writer
//! (`crate::db::sync`, `crate::db` owns the writer: every write of a record, the HTTP API's
//! too, takes the same path); the rules they pass are the domain's (`rihub_domain::sync`).

pub mod feed;
pub mod presence;
pub mod routes;
pub mod socket;
