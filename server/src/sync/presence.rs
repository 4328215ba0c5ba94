//! Who is looking at which record, for the "also viewing" line. Kept in memory per process:
//! presence is momentary and losing it on restart is harmless. (Several processes each know
//! their own sockets' viewers; sharing them is future work.)

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use rihub_domain::sync::record::RecordKey;
use rihub_domain::sync::wire::Viewer;
use tokio::sync::broadcast;

/// Identifies one open socket.
pub type SocketId = u64;

#[derive(Clone)]
pub struct Presence {
    inner: Arc<Mutex<Inner>>,
    /// A record whose viewers changed.
    pub changed: broadcast::Sender<RecordKey>,
}

#[derive(Default)]
struct Inner {
    next_socket: SocketId,
    viewing: HashMap<SocketId, (RecordKey, Viewer)>,
}

impl Default for Presence {
    fn default() -> Presence {
        Presence { inner: Arc::default(), changed: broadcast::channel(256).0 }
    }
}

impl Presence {
    pub fn new_socket(&self) -> SocketId {
        let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.next_socket += 1;
        inner.next_socket
    }

    /// Sets (or with `None`, clears) what a socket views, announcing both affected records.
    pub fn set(&self, socket: SocketId, key: Option<RecordKey>, viewer: Viewer) {
        let previous = {
            let mut inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
            let previous = inner.viewing.remove(&socket).map(|(k, _)| k);
            if let Some(k) = &key {
                inner.viewing.insert(socket, (k.clone(), viewer));
            }
            previous
        };
        for k in [previous, key].into_iter().flatten() {
            let _ = self.changed.send(k);
        }
    }

    /// The distinct people viewing `key`, sorted by name.
    pub fn viewers(&self, key: &RecordKey) -> Vec<Viewer> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let set: BTreeSet<(String, String)> =
            inner.viewing.values().filter(|(k, _)| k == key).map(|(_, v)| (v.name.clone(), v.user.clone())).collect();
        set.into_iter().map(|(name, user)| Viewer { user, name }).collect()
    }

    /// What a socket views, if anything.
    pub fn viewing(&self, socket: SocketId) -> Option<RecordKey> {
        let inner = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inner.viewing.get(&socket).map(|(k, _)| k.clone())
    }
}
