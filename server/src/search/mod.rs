//! Search in the six languages and "similar in other regions".
//!
//! - [`documents`]: the search documents, written from the change log exactly once across
//!   processes, and SurrealDB's full-text search over them.
//! - [`similar`]: this process's similarity index over the same documents (similar records,
//!   possible duplicates).
//! - [`routes`]: the HTTP handlers.

pub mod documents;
pub mod routes;
mod similar;

pub use similar::Search;
