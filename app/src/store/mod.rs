//! What the browser keeps: IndexedDB ([`db`]), and the replica's records, outbox, refusals and
//! conflicts as they are saved there ([`saved`]), and typed reads of the records ([`records`]).

pub mod db;
pub mod records;
pub mod saved;
