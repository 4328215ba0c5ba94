//! The change feed of this process: new changes are read from the log once, serialized once,
//! and handed to every open socket, instead of each socket querying the log for itself.
//!
//! The feed is woken at once by pushes made through this process, and polls the log's head
//! for writes of other processes. Sockets apply a batch only when it continues their cursor;
//! anything else (a lagging socket, a batch that overlaps) falls back to reading the log, so
//! correctness never depends on the feed.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use rihub_domain::sync::message::ServerMessage;
use rihub_domain::sync::sequencer::Change;
use tokio::sync::{Notify, broadcast};

use crate::db::{self, Db};
use crate::routes::sync::MAX_PULL;

/// How often the log's head is checked for writes made by other processes.
const HEAD_POLL: Duration = Duration::from_millis(100);

/// Changes `first ..= last`, as the `changes` message every socket sends.
pub struct Batch {
    pub first: u64,
    pub last: u64,
    pub head: u64,
    /// The message, serialized once and shared by every socket, when every reader may read
    /// every change in it; None when some changes are for some readers only (consultation
    /// drafts and submissions), which each socket then filters for its user.
    pub text: Option<Utf8Bytes>,
    pub changes: Vec<Change>,
}

#[derive(Clone)]
pub struct Feed {
    batches: broadcast::Sender<Arc<Batch>>,
    wake: Arc<Notify>,
}

impl Feed {
    /// Starts the feed; it stops when every holder of the feed is gone.
    pub fn start(db: Db) -> Feed {
        let feed = Feed { batches: broadcast::channel(256).0, wake: Arc::new(Notify::new()) };
        tokio::spawn(run(db, feed.batches.downgrade(), feed.wake.clone()));
        feed
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Batch>> {
        self.batches.subscribe()
    }

    /// Something was written through this process: read the log now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }
}

async fn run(db: Db, batches: broadcast::WeakSender<Arc<Batch>>, wake: Arc<Notify>) {
    // Starts at the current head: sockets catch up on older changes from the log themselves.
    let mut sent = db::sync::head(&db).await.unwrap_or(0);
    loop {
        let _ = tokio::time::timeout(HEAD_POLL, wake.notified()).await;
        let Some(batches) = batches.upgrade() else { break };
        match read_new(&db, sent).await {
            Ok(pages) => {
                for batch in pages {
                    sent = batch.last;
                    let _ = batches.send(Arc::new(batch));
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the change log"),
        }
    }
}

/// The changes after `sent`, in pages, each serialized once.
async fn read_new(db: &Db, mut sent: u64) -> db::DbResult<Vec<Batch>> {
    let head = db::sync::head(db).await?;
    let mut pages = Vec::new();
    while sent < head {
        let changes = db::sync::changes_after(db, sent, MAX_PULL).await?;
        let (Some(first), Some(last)) = (changes.first().map(|c| c.seq), changes.last().map(|c| c.seq)) else { break };
        let text = match changes.iter().all(Change::is_public) {
            true => Some(Utf8Bytes::from(serde_json::to_string(&ServerMessage::Changes { changes: changes.clone(), head })?)),
            false => None,
        };
        pages.push(Batch { first, last, head, text, changes });
        sent = last;
    }
    Ok(pages)
}
