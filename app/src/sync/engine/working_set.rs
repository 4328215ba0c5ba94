//! The device's working set (`rihub_domain::sync::working_set`): the records the person opened
//! or wrote and the regions they follow are kept whole; of the rest the device holds summaries
//! and fetches a record whole when it is opened. Saved with the records, said in every hello.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use rihub_domain::region::Region;
use rihub_domain::sync::record::{RecordKey, SyncedRecord};
use rihub_domain::sync::wire::ClientMessage;
use rihub_domain::sync::working_set::{MAX_PINS, summarized};

use super::{Engine, SyncContext};
use crate::store::db::Batch;
use crate::store::saved;

impl SyncContext {
    /// The person opened record `key`: it is pinned (kept whole on this device from now on)
    /// and, when this device holds only its summary or has just pinned it, asked for whole.
    pub fn open(self, key: RecordKey) {
        if !summarized(key.kind) {
            return;
        }
        let Some(engine) = self.engine() else { return };
        let mut e = engine.borrow_mut();
        let pinned = pin(&mut e.pins, &key);
        if pinned {
            save(&e);
        }
        let whole = e.replica.confirmed.get(&key).is_some_and(|r| !r.summary);
        if (pinned || !whole) && e.welcomed {
            ask(&mut e, key);
        }
    }

    /// Keeps the records of `regions` whole on this device from now on, besides the person's
    /// own region: a new snapshot brings them.
    pub fn follow(self, regions: Vec<Region>) {
        let Some(engine) = self.engine() else { return };
        {
            let mut e = engine.borrow_mut();
            e.follow = regions.clone();
            save(&e);
            e.socket = None;
        }
        self.follow.set(regions);
        self.connect();
    }

    /// After a welcome: asks for the pinned records held only as summaries (pinned offline,
    /// or changed as summaries since).
    pub(super) fn open_summaries(self, engine: &Rc<RefCell<Engine>>) {
        let mut e = engine.borrow_mut();
        let summaries: Vec<RecordKey> = e.pins.iter().filter(|k| e.replica.confirmed.get(k).is_none_or(|r| r.summary)).cloned().collect();
        for key in summaries {
            ask(&mut e, key);
        }
    }

    /// The server's answer to an open: the record whole replaces the summary held.
    pub(super) fn opened(self, engine: &Rc<RefCell<Engine>>, key: RecordKey, record: Option<SyncedRecord>) {
        engine.borrow_mut().asked.remove(&key);
        let Some(record) = record else { return };
        let commit = {
            let mut e = engine.borrow_mut();
            let mut batch = Batch::default();
            saved::save_record(&key, Some(&record), &mut batch);
            e.replica.opened(key.clone(), record);
            e.db.commit(batch)
        };
        spawn_local(async move {
            if let Err(e) = commit.await {
                web_sys::console::error_1(&format!("cannot save an opened record: {}", e.0).into());
            }
        });
        self.publish([key]);
    }
}

/// Pins `key` (the first pinned go past `MAX_PINS`); whether it was not pinned before.
fn pin(pins: &mut Vec<RecordKey>, key: &RecordKey) -> bool {
    if pins.contains(key) {
        return false;
    }
    pins.push(key.clone());
    let over = pins.len().saturating_sub(MAX_PINS);
    pins.drain(..over);
    true
}

/// Asks the server for record `key` whole, once per connection.
fn ask(e: &mut Engine, key: RecordKey) {
    if e.asked.insert(key.clone())
        && let Some(socket) = &e.socket
    {
        socket.send(&ClientMessage::Open { key });
    }
}

fn save(e: &Engine) {
    let mut batch = Batch::default();
    saved::save_working_set(&e.pins, &e.follow, &mut batch);
    let commit = e.db.commit(batch);
    spawn_local(async move {
        let _ = commit.await;
    });
}
