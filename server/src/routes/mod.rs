//! HTTP handlers of the records and accounts, one module per resource (sync's and search's
//! sit with their features: `crate::sync`, `crate::search`).

pub mod admin;
pub mod auth;
pub mod health;
pub mod initiatives;
pub mod invites;
pub mod projects;
