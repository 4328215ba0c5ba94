//! SurrealDB access: connecting by URL, migrations, and one module of named queries per table.
//!
//! Records cross the boundary as JSON: domain types are serialized with serde, bound as
//! query variables, and read back the same way. Nulls are dropped before writing because a
//! SCHEMAFULL `option<T>` field accepts NONE (absent) but not NULL.

mod backup;
pub mod initiatives;
pub mod invites;
pub mod migrate;
pub mod projects;
pub mod revocations;
pub mod sessions;
pub mod sync;
pub mod users;
mod writer;

pub use writer::Committed;

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;
use surrealdb::Surreal;
use surrealdb::engine::any::{self, Any};
use surrealdb::method::Transaction;
use surrealdb::opt::auth::Root;

use crate::clock::Clock;

/// Failures of the store. Unique-index violations are told apart so callers can say "exists".
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Surreal(#[from] surrealdb::Error),
    #[error("a record with the same unique key already exists")]
    Duplicate,
    #[error("stored record does not match its type: {0}")]
    Decode(#[from] serde_json::Error),
    #[error("the write failed: {0}")]
    WriteFailed(String),
    #[error("the database writer stopped before answering")]
    WriterStopped,
    #[error("schema migration {version} failed, and the database is as it was before it: {detail}")]
    Migration { version: u32, detail: String },
    #[error("the database's schema is at version {found}, newer than this server knows ({known}): run a newer rihub-server")]
    SchemaTooNew { found: u32, known: u32 },
}

pub type DbResult<T> = Result<T, DbError>;

/// A handle to the database, cheap to clone.
#[derive(Clone)]
pub struct Db {
    /// Shared, not cloned: cloning a `Surreal` opens another session in the database, which
    /// every request's and every socket task's copy of the state would then hold.
    surreal: Arc<Surreal<Any>>,
    /// Commits this process's writes of synced records, in groups.
    pub(crate) writer: writer::Writer,
    clock: Clock,
}

/// Credentials for a remote SurrealDB server (`ws://`); embedded engines need none.
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl Db {
    /// Connects to `url` (`mem://`, `surrealkv://path`, `ws://host:port`) and selects rihub's
    /// namespace and database. What is written is stamped with `clock`'s time.
    pub async fn connect(url: &str, credentials: Option<Credentials>, clock: Clock) -> DbResult<Db> {
        let db = any::connect(url).await?;
        if let Some(c) = credentials {
            db.signin(Root { username: c.username, password: c.password }).await?;
        }
        db.use_ns("rihub").use_db("main").await?;
        Ok(Db { writer: writer::Writer::start(db.clone(), clock.clone()), surreal: Arc::new(db), clock })
    }

    /// Seconds since the Unix epoch by the server's clock: the unit of every timestamp stored.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Starts an interactive transaction (see `Tx`).
    pub async fn transaction(&self) -> DbResult<Tx> {
        Tx::begin(&self.surreal).await
    }

    /// The changes of every transaction this process's writer commits from now on.
    pub fn committed(&self) -> tokio::sync::broadcast::Receiver<Committed> {
        self.writer.committed()
    }

    /// Runs `sql` with `vars` (a JSON object) and returns each statement's result as JSON.
    pub async fn run(&self, sql: &str, vars: Value) -> DbResult<Vec<Value>> {
        results(self.surreal.query(sql).bind(strip_nulls(vars)).await?)
    }

    /// Runs `sql` (a transaction) again, after a short growing pause, when a concurrent
    /// transaction wrote what it read first.
    pub async fn run_retrying(&self, sql: &str, vars: Value) -> DbResult<Vec<Value>> {
        let mut attempt = 0;
        loop {
            match self.run(sql, vars.clone()).await {
                Err(DbError::Surreal(e)) if attempt < RETRIES && is_retryable(&e) => {
                    attempt += 1;
                    tokio::time::sleep(retry_pause(attempt)).await;
                }
                other => return other,
            }
        }
    }

    /// Starts an interactive transaction (reads, decisions in Rust, writes; all or nothing).
    pub(crate) async fn begin(&self) -> DbResult<Tx> {
        Tx::begin(&self.surreal).await
    }

    /// Runs `sql` and decodes the rows of its last statement.
    pub async fn rows<T: DeserializeOwned>(&self, sql: &str, vars: Value) -> DbResult<Vec<T>> {
        decode_rows(self.run(sql, vars).await?)
    }

    /// Runs `sql` and decodes the first row of its last statement, if any.
    pub async fn row<T: DeserializeOwned>(&self, sql: &str, vars: Value) -> DbResult<Option<T>> {
        Ok(self.rows(sql, vars).await?.into_iter().next())
    }
}

/// An open transaction; dropped without `commit`, it is cancelled by the database.
pub struct Tx(Transaction<Any>);

impl Tx {
    /// Starts an interactive transaction: reads, decisions in Rust, then writes, all or nothing.
    async fn begin(surreal: &Surreal<Any>) -> DbResult<Tx> {
        Ok(Tx(surreal.clone().begin().await?))
    }

    pub async fn run(&self, sql: &str, vars: Value) -> DbResult<Vec<Value>> {
        results(self.0.query(sql).bind(strip_nulls(vars)).await?)
    }

    pub async fn rows<T: DeserializeOwned>(&self, sql: &str, vars: Value) -> DbResult<Vec<T>> {
        decode_rows(self.run(sql, vars).await?)
    }

    pub async fn row<T: DeserializeOwned>(&self, sql: &str, vars: Value) -> DbResult<Option<T>> {
        Ok(self.rows(sql, vars).await?.into_iter().next())
    }

    pub async fn commit(self) -> DbResult<()> {
        self.0.commit().await?;
        Ok(())
    }
}

fn results(mut response: surrealdb::IndexedResults) -> DbResult<Vec<Value>> {
    let count = response.num_statements();
    let mut results = Vec::with_capacity(count);
    let mut failed: Option<surrealdb::Error> = None;
    for i in 0..count {
        match response.take::<surrealdb::types::Value>(i) {
            Ok(v) => results.push(v.into_json_value()),
            // In a failed transaction every statement fails: the one that says why is kept.
            Err(e) => {
                if failed.as_ref().is_none_or(|f| is_consequence(f) && !is_consequence(&e)) {
                    failed = Some(e);
                }
            }
        }
    }
    match failed {
        None => Ok(results),
        Some(e) if is_unique_violation(&e) => Err(DbError::Duplicate),
        Some(e) => Err(e.into()),
    }
}

/// Whether a statement failed only because another statement of its transaction did.
fn is_consequence(e: &surrealdb::Error) -> bool {
    let text = e.to_string();
    text.contains("not executed due to a failed transaction")
        || text.contains("not executed due to a cancelled transaction")
        || text.contains("Cannot COMMIT")
}

/// The rows of the last statement's result, decoded.
fn decode_rows<T: DeserializeOwned>(mut results: Vec<Value>) -> DbResult<Vec<T>> {
    let rows = match results.pop().unwrap_or(Value::Null) {
        Value::Array(rows) => rows,
        Value::Null => Vec::new(),
        one => vec![one],
    };
    rows.into_iter().map(|r| serde_json::from_value(r).map_err(DbError::from)).collect()
}

/// How many times a transaction that lost a race is tried again.
pub(crate) const RETRIES: u32 = 8;

/// The pause before attempt `attempt` (1, 2, …) of a transaction that lost a race.
pub(crate) fn retry_pause(attempt: u32) -> std::time::Duration {
    std::time::Duration::from_millis(2 << attempt.min(10))
}

/// Whether a transaction failed only because a concurrent one got there first.
pub(crate) fn is_retryable(e: &surrealdb::Error) -> bool {
    let text = e.to_string().to_lowercase();
    text.contains("conflict") || text.contains("retry")
}

fn is_unique_violation(e: &surrealdb::Error) -> bool {
    let text = e.to_string();
    text.contains("already contains") || text.contains("already exists")
}

/// Removes object members whose value is null, at every depth (a SCHEMAFULL `option<T>` field
/// takes NONE, not NULL).
pub use rihub_domain::sync::record::without_nulls as strip_nulls;

/// A random id of 16 hex characters for records that have no natural key.
pub fn random_id() -> String {
    use rand::Rng;
    hex::encode(rand::thread_rng().r#gen::<[u8; 8]>())
}
