//! rihub's shared rules: record types, validation and permissions.
//!
//! Both the browser (wasm32) and the server compile this crate, so a rule written here
//! is the same rule at both ends. Nothing here does I/O: no clock, no network, no storage.
//!
//! # Layout
//! - [`lang`] and [`text`]: the six official languages and text stored per language.
//! - [`region`], [`member_state`], [`cycle`], [`organization`]: reference data.
//! - [`initiative`], [`project`]: the records users plan and edit, with their validation.
//! - [`role`], [`permissions`]: who may do what, where.
//! - [`api`]: request and response bodies of the HTTP API.
//! - [`validation`]: the field-level error type every validator returns.

pub mod api;
pub mod consultation;
pub mod csv;
pub mod cycle;
pub mod error_code;
pub mod experience;
pub mod initiative;
pub mod lang;
pub mod member_state;
pub mod organization;
pub mod permissions;
pub mod project;
pub mod region;
pub mod role;
pub mod search;
#[cfg(feature = "similarity")]
pub mod similarity;
pub mod sync;
pub mod text;
pub mod translation;
pub mod validation;
