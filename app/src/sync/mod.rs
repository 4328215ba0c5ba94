//! Sync in the browser: the replica of the records kept in IndexedDB, every edit queued in its
//! outbox before it is shown, and one WebSocket to the server (see docs/sync-protocol.md).
//!
//! - [`engine`]: `SyncContext`, the signals pages read and the actions they call.
//! - [`client`]: the socket.
//! - [`precheck`]: the server's checks, run first on this device.
//! - [`settled`]: what waits until the first screen has its records.

pub mod client;
pub mod engine;
pub mod precheck;
pub mod settled;

pub use engine::{Connection, LocalData, provide_sync, use_sync};
