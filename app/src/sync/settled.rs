//! Downloads that only prepare for later (every page group's code, the service worker's copy
//! of the whole app) wait until the first screen has its records: on a slow link they would
//! otherwise share it with the first screen's code and the sync socket's catch-up.

use std::cell::Cell;

use leptos::prelude::*;

use super::{Connection, use_sync};

/// Runs `start` once, as soon as this device holds what the server has, or cannot get it now
/// (offline, signed out, outdated).
pub fn once_settled(start: impl FnOnce() + 'static) {
    let sync = use_sync();
    let start = Cell::new(Some(start));
    Effect::new(move |_| {
        let waiting = matches!(sync.connection.get(), Connection::Connecting | Connection::Online) && !sync.caught_up.get();
        if !waiting && let Some(start) = start.take() {
            start();
        }
    });
}
