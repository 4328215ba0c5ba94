//! HTTP handlers, one module per resource.

pub mod admin;
pub mod auth;
pub mod health;
pub mod initiatives;
pub mod invites;
pub mod projects;
pub mod search;
pub mod sync;
pub mod sync_socket;
