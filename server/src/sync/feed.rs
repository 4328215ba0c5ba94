//! The change feed of this process: new changes are serialized once and handed to every open
//! socket, instead of each socket querying the log for itself.
//!
//! The changes this process commits come straight from its writer; the log's head is polled
//! for writes of other processes, and the log is read whenever what arrives does not continue
//! what was sent. Sockets apply a batch only when it continues their cursor; anything else (a
//! lagging socket, a batch that overlaps) falls back to reading the log, so correctness never
//! depends on the feed.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use rihub_domain::sync::change::Change;
use rihub_domain::sync::wire::ServerMessage;
use rihub_domain::sync::working_set::summarized;
use tokio::sync::broadcast::{self, error::RecvError};

use crate::db::{self, Committed, Db};
use rihub_domain::sync::wire::MAX_PULL;

/// How often the log's head is checked for writes made by other processes.
const HEAD_POLL: Duration = Duration::from_millis(100);

/// Changes `first ..= last`, as the `changes` message every socket sends.
pub struct Batch {
    pub first: u64,
    pub last: u64,
    pub head: u64,
    pub content: Content,
}

/// What the sockets send of a batch. Only one form is kept: a batch waits in memory until the
/// slowest socket has sent it.
pub enum Content {
    /// The message, serialized once and shared by every socket: every reader may read every
    /// change in it (as `Change::compacted`), and every device keeps it whole (no change of a
    /// kind kept as a summary).
    Shared(Utf8Bytes),
    /// Every reader may read every change, some of a kind kept as a summary outside working
    /// sets: a device whose working set holds every record changed sends `whole`, one that
    /// holds none `summaries`, any other its own.
    Public { whole: Utf8Bytes, summaries: Utf8Bytes, changes: Vec<Change> },
    /// The changes, when some are for some readers only (consultation drafts and submissions):
    /// each socket filters them for its user.
    PerReader(Vec<Change>),
}

impl Batch {
    /// A batch of `changes` (in order), the log's head being `head`; None if there are none.
    fn new(changes: Vec<Change>, head: u64) -> serde_json::Result<Option<Batch>> {
        let (Some(first), Some(last)) = (changes.first().map(|c| c.seq), changes.last().map(|c| c.seq)) else { return Ok(None) };
        let encode = |changes: Vec<Change>| serde_json::to_string(&ServerMessage::Changes { changes, head }).map(Utf8Bytes::from);
        let content = match changes.iter().all(Change::is_public) {
            false => Content::PerReader(changes),
            true => {
                let changes: Vec<Change> = changes.into_iter().map(Change::compacted).collect();
                match changes.iter().any(|c| summarized(c.key.kind)) {
                    false => Content::Shared(encode(changes)?),
                    true => {
                        let summaries = changes.iter().cloned().map(Change::summarized).collect();
                        Content::Public { whole: encode(changes.clone())?, summaries: encode(summaries)?, changes }
                    }
                }
            }
        };
        Ok(Some(Batch { first, last, head, content }))
    }
}

#[derive(Clone)]
pub struct Feed {
    batches: broadcast::Sender<Arc<Batch>>,
}

impl Feed {
    /// Starts the feed; it stops when every holder of the feed is gone.
    pub fn start(db: Db) -> Feed {
        let feed = Feed { batches: broadcast::channel(256).0 };
        tokio::spawn(run(db.committed(), db, feed.batches.downgrade()));
        feed
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Batch>> {
        self.batches.subscribe()
    }
}

async fn run(mut committed: broadcast::Receiver<Committed>, db: Db, batches: broadcast::WeakSender<Arc<Batch>>) {
    // Starts at the current head: sockets catch up on older changes from the log themselves.
    let mut sent = db::sync::head(&db).await.unwrap_or(0);
    loop {
        let arrived = tokio::time::timeout(HEAD_POLL, committed.recv()).await;
        let Some(batches) = batches.upgrade() else { break };
        let pages = match arrived {
            // The usual case: what this process just committed, right after what was sent.
            Ok(Ok(changes)) if changes.first().is_some_and(|c| c.seq == sent + 1) => {
                let last = changes.last().map_or(sent, |c| c.seq);
                Batch::new(changes.to_vec(), last).map(|b| b.into_iter().collect()).map_err(db::DbError::from)
            }
            Ok(Ok(changes)) if changes.last().is_some_and(|c| c.seq <= sent) => continue,
            // The feed holds the database, so its writer outlives it: this is the end.
            Ok(Err(RecvError::Closed)) => break,
            // Another process's changes came first, or announcements were missed, or it is
            // time to look at the head: the log has all of them.
            _ => read_new(&db, sent).await,
        };
        match pages {
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
        let Some(batch) = Batch::new(db::sync::changes_after(db, sent, MAX_PULL).await?, head)? else { break };
        sent = batch.last;
        pages.push(batch);
    }
    Ok(pages)
}
