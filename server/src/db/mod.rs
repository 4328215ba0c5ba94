//! SurrealDB access: connecting by URL, migrations, and one module of named queries per table.
//!
//! Records cross the boundary as JSON: domain types are serialized with serde, bound as
//! query variables, and read back the same way. Nulls are dropped before writing because a
//! SCHEMAFULL `option<T>` field accepts NONE (absent) but not NULL.

pub mod initiatives;
pub mod invites;
pub mod migrate;
pub mod projects;
pub mod search;
pub mod sessions;
pub mod sync;
pub mod users;
mod writer;

pub use writer::Committed;

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_json::Value;
use surrealdb::Surreal;
use surrealdb::method::Transaction;
use surrealdb::engine::any::{self, Any};
use surrealdb::opt::auth::Root;

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
}

/// Credentials for a remote SurrealDB server (`ws://`); embedded engines need none.
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl Db {
    /// Connects to `url` (`mem://`, `surrealkv://path`, `ws://host:port`) and selects rihub's
    /// namespace and database.
    pub async fn connect(url: &str, credentials: Option<Credentials>) -> DbResult<Db> {
        let db = any::connect(url).await?;
        if let Some(c) = credentials {
            db.signin(Root { username: c.username, password: c.password }).await?;
        }
        db.use_ns("rihub").use_db("main").await?;
        Ok(Db { writer: writer::Writer::start(db.clone()), surreal: Arc::new(db) })
    }

    /// The changes of every transaction this process's writer commits from now on.
    pub fn committed(&self) -> tokio::sync::broadcast::Receiver<Committed> {
        self.writer.committed()
    }

    /// Runs `sql` with `vars` (a JSON object) and returns each statement's result as JSON.
    pub async fn run(&self, sql: &str, vars: Value) -> DbResult<Vec<Value>> {
        results(self.surreal.query(sql).bind(strip_nulls(vars)).await?)
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
    for i in 0..count {
        match response.take::<surrealdb::types::Value>(i) {
            Ok(v) => results.push(v.into_json_value()),
            Err(e) if is_unique_violation(&e) => return Err(DbError::Duplicate),
            Err(e) => return Err(e.into()),
        }
    }
    Ok(results)
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

fn is_unique_violation(e: &surrealdb::Error) -> bool {
    let text = e.to_string();
    text.contains("already contains") || text.contains("already exists")
}

/// Removes object members whose value is null, at every depth.
pub fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

/// Seconds since the Unix epoch; the unit of every timestamp rihub stores.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// A random id of 16 hex characters for records that have no natural key.
pub fn random_id() -> String {
    use rand::Rng;
    hex::encode(rand::thread_rng().r#gen::<[u8; 8]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_nulls_drops_nulls_at_every_depth() {
        let v = serde_json::json!({"a": null, "b": {"c": null, "d": 1}, "e": [{"f": null}]});
        assert_eq!(strip_nulls(v), serde_json::json!({"b": {"d": 1}, "e": [{}]}));
    }
}
