//! Revocations as this process learns them: sign-outs, disabled accounts and changed roles,
//! whichever process (or command line) made them. Read from the database's revocation log
//! (`crate::db::revocations`), the one source every process shares: each is forgotten from the
//! sessions this process trusts for a moment, then handed to the open sockets, which close or
//! re-scope themselves.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, broadcast};

use super::resolved::Resolved;
use super::throttle;
use crate::db::revocations::{self, Revocation};
use crate::db::{Db, sessions};

/// How often the log is read. With the trust window of `Resolved`, a revocation made by another
/// process takes effect within a fraction of a second.
const POLL: Duration = Duration::from_millis(200);
/// How often expired sessions, old revocations and sign-in counts are swept out.
const SWEEP_EVERY_SECS: i64 = 3600;
/// Revocations kept in the log; a process reads them a few hundred milliseconds after they are
/// written, or starts after them.
const KEEP_SECS: i64 = 24 * 3600;

#[derive(Clone)]
pub struct Revocations {
    sender: broadcast::Sender<Revocation>,
    wake: Arc<Notify>,
}

impl Revocations {
    /// Starts following the log from its newest entry; stops when every holder is gone.
    pub fn start(db: Db, resolved: Arc<Resolved>) -> Revocations {
        let revocations = Revocations { sender: broadcast::channel(1024).0, wake: Arc::default() };
        tokio::spawn(follow(db, resolved, revocations.sender.downgrade(), revocations.wake.clone()));
        revocations
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Revocation> {
        self.sender.subscribe()
    }

    /// Reads the log now: this process has just written to it.
    pub fn nudge(&self) {
        self.wake.notify_one();
    }
}

async fn follow(db: Db, resolved: Arc<Resolved>, sender: broadcast::WeakSender<Revocation>, wake: Arc<Notify>) {
    let mut seen = revocations::head(&db).await.unwrap_or(0);
    let mut swept: Option<i64> = None;
    loop {
        tokio::select! {
            _ = tokio::time::sleep(POLL) => {}
            _ = wake.notified() => {}
        }
        let Some(sender) = sender.upgrade() else { return };
        match read_new(&db, seen).await {
            Ok(new) => {
                for revocation in new {
                    seen = seen.max(revocation.seq);
                    match &revocation.session {
                        Some(session) => resolved.forget(session),
                        None => resolved.forget_user(&revocation.user),
                    }
                    let _ = sender.send(revocation);
                }
            }
            Err(e) => tracing::warn!(error = %e, "cannot read the revocation log"),
        }
        let now = db.now();
        if swept.is_none_or(|at| now - at >= SWEEP_EVERY_SECS) {
            swept = Some(now);
            let swept = async {
                sessions::delete_expired(&db).await?;
                throttle::prune(&db).await?;
                revocations::prune(&db, now - KEEP_SECS).await
            };
            if let Err(e) = swept.await {
                tracing::warn!(error = %e, "cannot sweep expired sessions");
            }
        }
    }
}

async fn read_new(db: &Db, seen: u64) -> crate::db::DbResult<Vec<Revocation>> {
    if revocations::head(db).await? <= seen {
        return Ok(Vec::new());
    }
    revocations::after(db, seen).await
}
