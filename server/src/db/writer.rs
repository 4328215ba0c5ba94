//! The writer of this process: every write of a synced record goes through it. Writes that
//! arrive while a transaction commits wait, and are then applied together, in arrival order,
//! in one transaction (group commit). A transaction's fixed cost is shared by all of them,
//! and this process's writes never conflict with each other on the change counter; a
//! transaction that conflicts with another process's is retried. The changes of each
//! committed transaction are announced to this process's change feed, which sends them on
//! without reading them back from the log.

use std::sync::Arc;

use rihub_domain::role::Role;
use rihub_domain::sync::change::Change;
use rihub_domain::sync::mutation::Mutation;
use rihub_domain::sync::outcome::{Outcome, Refusal};
use rihub_domain::sync::record::RecordKey;
use rihub_domain::sync::rules::check_mutation;
use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use tokio::sync::{broadcast, mpsc, oneshot};

use super::sync::{Group, Write, apply_push, decide};
use super::{DbError, DbResult, RETRIES, Tx, is_retryable, retry_pause};
use crate::clock::Clock;

/// Most mutations committed in one transaction; more waiting writes go in the next.
const MAX_GROUP: usize = 1000;
/// Writes that may wait for the writer before callers wait to queue.
const QUEUE: usize = 4096;
/// Committed transactions a slow listener may fall behind by before it must read the log.
const ANNOUNCED: usize = 256;

/// The changes of one committed transaction, in order.
pub type Committed = Arc<[Change]>;

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    committed: broadcast::Sender<Committed>,
}

type Reply<T> = oneshot::Sender<DbResult<T>>;

struct Job {
    user: String,
    roles: Vec<Role>,
    work: Work,
}

/// What a job writes, where its answer goes, and that answer once applied.
enum Work {
    Push { mutations: Vec<Mutation>, outcomes: Vec<Outcome>, reply: Reply<Vec<Outcome>> },
    Request { write: Write, decided: Option<Result<u64, Refusal>>, reply: Reply<Result<u64, Refusal>> },
}

impl Writer {
    /// Starts the writer; it stops when every handle to it is gone.
    pub fn start(surreal: Surreal<Any>, clock: Clock) -> Writer {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let committed = broadcast::channel(ANNOUNCED).0;
        tokio::spawn(run(surreal, clock, queue, committed.clone()));
        Writer { jobs, committed }
    }

    /// The changes of every transaction committed from now on.
    pub fn committed(&self) -> broadcast::Receiver<Committed> {
        self.committed.subscribe()
    }

    /// Applies a push's mutations in order, stopping after a gap, all in one transaction.
    pub async fn push(&self, user: &str, roles: &[Role], mutations: Vec<Mutation>) -> DbResult<Vec<Outcome>> {
        let (reply, answer) = oneshot::channel();
        self.queue(user, roles, Work::Push { mutations, outcomes: Vec::new(), reply }).await?;
        answer.await.map_err(|_| DbError::WriterStopped)?
    }

    /// Applies one write of the HTTP API; a refusal writes nothing.
    pub async fn request(&self, user: &str, roles: &[Role], write: Write) -> DbResult<Result<u64, Refusal>> {
        let (reply, answer) = oneshot::channel();
        self.queue(user, roles, Work::Request { write, decided: None, reply }).await?;
        answer.await.map_err(|_| DbError::WriterStopped)?
    }

    async fn queue(&self, user: &str, roles: &[Role], work: Work) -> DbResult<()> {
        let job = Job { user: user.to_string(), roles: roles.to_vec(), work };
        self.jobs.send(job).await.map_err(|_| DbError::WriterStopped)
    }
}

async fn run(surreal: Surreal<Any>, clock: Clock, mut queue: mpsc::Receiver<Job>, committed: broadcast::Sender<Committed>) {
    while let Some(first) = queue.recv().await {
        let mut size = first.size();
        let mut group = vec![first];
        while size < MAX_GROUP {
            let Ok(job) = queue.try_recv() else { break };
            size += job.size();
            group.push(job);
        }
        commit(&surreal, &clock, group, &committed).await;
    }
}

/// Commits a group and answers every job in it. If the group fails, each job is committed
/// on its own, so that one job's failure is only that job's.
async fn commit(surreal: &Surreal<Any>, clock: &Clock, mut group: Vec<Job>, committed: &broadcast::Sender<Committed>) {
    match with_retries(surreal, clock, &mut group).await {
        Ok(changes) => {
            announce(committed, changes);
            group.into_iter().for_each(Job::answer);
        }
        Err(e) if group.len() == 1 => group.into_iter().for_each(|job| job.fail(e.to_string())),
        Err(_) => {
            for job in group {
                let mut alone = [job];
                match with_retries(surreal, clock, &mut alone).await {
                    Ok(changes) => {
                        announce(committed, changes);
                        alone.into_iter().for_each(Job::answer);
                    }
                    Err(e) => alone.into_iter().for_each(|job| job.fail(e.to_string())),
                }
            }
        }
    }
}

/// Hands a transaction's changes to whoever listens (no one, until the feed starts).
fn announce(committed: &broadcast::Sender<Committed>, changes: Vec<Change>) {
    if !changes.is_empty() {
        let _ = committed.send(changes.into());
    }
}

/// Runs the group's transaction again, after a short growing pause, when a concurrent one (of
/// another process) got there first.
async fn with_retries(surreal: &Surreal<Any>, clock: &Clock, group: &mut [Job]) -> DbResult<Vec<Change>> {
    let mut attempt = 0;
    loop {
        match commit_once(surreal, clock.now(), group).await {
            Err(DbError::Surreal(e)) if attempt < RETRIES && is_retryable(&e) => {
                attempt += 1;
                tokio::time::sleep(retry_pause(attempt)).await;
            }
            other => return other,
        }
    }
}

/// One attempt at committing `jobs`, at time `now` (seconds since the epoch).
async fn commit_once(surreal: &Surreal<Any>, now: i64, jobs: &mut [Job]) -> DbResult<Vec<Change>> {
    let started = std::time::Instant::now();
    let tx = Tx::begin(surreal).await?;
    let mut group = Group::new(now);
    // What every write of the group reads, read at once.
    let clients: Vec<&str> = jobs.iter().flat_map(Job::clients).collect();
    let keys: Vec<&RecordKey> = jobs.iter().flat_map(Job::keys).collect();
    group.read(&tx, &clients, &keys).await?;
    for job in jobs.iter_mut() {
        job.apply(&tx, &mut group).await?;
    }
    let changes = group.finish(&tx).await?;
    tx.commit().await?;
    let mutations: usize = jobs.iter().map(Job::size).sum();
    tracing::debug!(jobs = jobs.len(), mutations, micros = started.elapsed().as_micros() as u64, "group committed");
    Ok(changes)
}

impl Job {
    fn size(&self) -> usize {
        match &self.work {
            Work::Push { mutations, .. } => mutations.len(),
            Work::Request { .. } => 1,
        }
    }

    fn clients(&self) -> Vec<&str> {
        match &self.work {
            Work::Push { mutations, .. } => mutations.iter().filter(|m| check_mutation(m).is_ok()).map(|m| m.client.as_str()).collect(),
            Work::Request { .. } => Vec::new(),
        }
    }

    fn keys(&self) -> Vec<&RecordKey> {
        match &self.work {
            Work::Push { mutations, .. } => mutations.iter().filter(|m| check_mutation(m).is_ok()).map(|m| m.op.key()).collect(),
            Work::Request { write: Write::Op(op), .. } => vec![op.key()],
            Work::Request { write: Write::Replace { key, .. }, .. } => vec![key],
        }
    }

    async fn apply(&mut self, tx: &Tx, group: &mut Group) -> DbResult<()> {
        match &mut self.work {
            Work::Push { mutations, outcomes, .. } => *outcomes = apply_push(tx, group, &self.user, &self.roles, mutations).await?,
            Work::Request { write, decided, .. } => {
                // Only a submission can leave nothing to write, and the HTTP API has none.
                let result = decide(tx, group, &self.user, &self.roles, write, None).await?;
                *decided = Some(result.and_then(|seq| seq.ok_or_else(|| Refusal::Refused("nothing to write".into()))));
            }
        }
        Ok(())
    }

    /// Sends the committed answer. A caller that stopped waiting has nothing to receive.
    fn answer(self) {
        match self.work {
            Work::Push { outcomes, reply, .. } => drop(reply.send(Ok(outcomes))),
            Work::Request { decided: Some(decided), reply, .. } => drop(reply.send(Ok(decided))),
            // Never applied: dropping the reply tells the caller the writer did not answer.
            Work::Request { decided: None, .. } => {}
        }
    }

    fn fail(self, error: String) {
        let error = || DbError::WriteFailed(error);
        match self.work {
            Work::Push { reply, .. } => drop(reply.send(Err(error()))),
            Work::Request { reply, .. } => drop(reply.send(Err(error()))),
        }
    }
}
