//! What one transaction of the writer keeps beside the database, so that each mutation costs
//! as few round trips as can be: the change counter, read once and then counted on in memory;
//! each client's last processed sequence number, read once; and the records read or written
//! so far. Every write of a synced record goes through `wrote`, so what is kept is what the
//! transaction would read. The writes themselves wait in memory: records (as each is left),
//! log entries, the counter and the clients' numbers are written together by `finish`, in one
//! round trip however many mutations the transaction holds (a round trip to the database
//! costs more than the write it carries).

use std::collections::HashMap;

use rihub_domain::sync::change::Change;
use rihub_domain::sync::record::RecordKey;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{HEAD, Stored, stored, table};
use crate::db::{DbResult, Tx};

pub(in crate::db) struct Group {
    /// The server's time for every write of the transaction (seconds since the epoch).
    pub(in crate::db) now: i64,
    /// The newest change number, once read.
    last: Option<u64>,
    clients: HashMap<String, Client>,
    /// Stored rows by key; None for a record that does not exist.
    records: HashMap<RecordKey, Option<Map<String, Value>>>,
    /// The changes written, in order.
    changes: Vec<Change>,
    /// Records written and not yet stored (as `records` holds them now).
    unstored: Vec<RecordKey>,
    /// Log entries of `changes` not yet stored.
    unlogged: Vec<Value>,
}

#[derive(Deserialize)]
pub(super) struct ClientRow {
    pub(super) user: String,
    pub(super) processed: u64,
}

/// A sync client as this transaction knows it; `changed` when its number must be written.
struct Client {
    row: Option<ClientRow>,
    changed: bool,
}

impl Group {
    /// A group committed at `now`.
    pub(in crate::db) fn new(now: i64) -> Group {
        Group {
            now,
            last: None,
            clients: HashMap::new(),
            records: HashMap::new(),
            changes: Vec::new(),
            unstored: Vec::new(),
            unlogged: Vec::new(),
        }
    }

    /// Reads, in one round trip, whatever of the counter, `clients` and the records at `keys`
    /// is not known yet. The writer reads what a whole group of writes needs at once.
    pub(in crate::db) async fn read(&mut self, tx: &Tx, clients: &[&str], keys: &[&RecordKey]) -> DbResult<()> {
        let counter = self.last.is_none();
        let mut clients: Vec<&str> = clients.iter().copied().filter(|c| !self.clients.contains_key(*c)).collect();
        let mut keys: Vec<&RecordKey> = keys.iter().copied().filter(|k| !self.records.contains_key(*k)).collect();
        clients.sort_unstable();
        clients.dedup();
        keys.sort_unstable();
        keys.dedup();
        let mut sql = String::new();
        if counter {
            sql.push_str(HEAD);
            sql.push(';');
        }
        if !clients.is_empty() {
            sql.push_str(
                "SELECT record::id(id) AS rid, user, processed FROM array::map($clients, |$c| type::record('sync_client', $c)) WHERE id;",
            );
        }
        if !keys.is_empty() {
            sql.push_str(
                "SELECT *, record::tb(id) AS tb, record::id(id) AS rid FROM array::map($keys, |$k| type::record($k.tb, $k.id)) WHERE id;",
            );
        }
        if sql.is_empty() {
            return Ok(());
        }
        let named: Vec<Value> = keys.iter().map(|k| json!({"tb": table(k.kind), "id": k.id})).collect();
        let mut results = tx.run(&sql, json!({"clients": clients, "keys": named})).await?.into_iter();
        if counter {
            self.last = Some(results.next().and_then(|v| v.as_u64()).unwrap_or(0));
        }
        if !clients.is_empty() {
            let mut found = by_id(results.next(), |row| row.remove("rid")?.as_str().map(str::to_string));
            for id in clients {
                let row = found.remove(id).map(|row| serde_json::from_value(Value::Object(row))).transpose()?;
                self.clients.insert(id.to_string(), Client { row, changed: false });
            }
        }
        if !keys.is_empty() {
            let mut found = by_id(results.next(), |row| {
                let (tb, rid) = (row.remove("tb")?, row.remove("rid")?);
                Some(format!("{}:{}", tb.as_str()?, rid.as_str()?))
            });
            for key in keys {
                let row = found.remove(&format!("{}:{}", table(key.kind), key.id));
                self.records.insert(key.clone(), row);
            }
        }
        Ok(())
    }

    /// The number the next change written gets.
    pub(super) async fn next(&mut self, tx: &Tx) -> DbResult<u64> {
        self.read(tx, &[], &[]).await?;
        Ok(self.last.unwrap_or(0) + 1)
    }

    /// The record at `key` as stored (as this transaction has left it).
    pub(super) async fn record(&mut self, tx: &Tx, key: &RecordKey) -> DbResult<Option<Stored>> {
        self.read(tx, &[], &[key]).await?;
        self.cached(key)
    }

    /// The record at `key` as this transaction has left it, if it has been read (`read` it
    /// first): None also for one not read.
    pub(super) fn cached(&self, key: &RecordKey) -> DbResult<Option<Stored>> {
        self.records.get(key).cloned().flatten().map(|row| stored(key.kind, row)).transpose()
    }

    /// The client `id` as last read or processed; `read` it first.
    pub(super) fn client(&self, id: &str) -> Option<&ClientRow> {
        self.clients.get(id).and_then(|c| c.row.as_ref())
    }

    /// Remembers that `user`'s client `id` has processed its mutation `seq`.
    pub(super) fn processed(&mut self, id: &str, user: &str, seq: u64) {
        let row = Some(ClientRow { user: user.to_string(), processed: seq });
        self.clients.insert(id.to_string(), Client { row, changed: true });
    }

    /// Remembers `change`, which left its record as `row` (None: deleted), and its log entry
    /// `logged`; both are stored by `store` or `finish`.
    pub(super) fn wrote(&mut self, change: Change, row: Option<Value>, logged: Value) {
        self.last = Some(change.seq);
        let row = row.and_then(|v| match v {
            Value::Object(row) => Some(row),
            _ => None,
        });
        self.unstored.push(change.key.clone());
        self.records.insert(change.key.clone(), row);
        self.changes.push(change);
        self.unlogged.push(logged);
    }

    /// Stores the records and log entries written so far, before a query that reads them from
    /// the database.
    pub(super) async fn store(&mut self, tx: &Tx) -> DbResult<()> {
        let mut sql = String::new();
        let vars = self.take_unstored(&mut sql);
        if !sql.is_empty() {
            tx.run(&sql, vars).await?;
        }
        Ok(())
    }

    /// The statements that store what is waiting, appended to `sql`, and their variables.
    fn take_unstored(&mut self, sql: &mut String) -> Value {
        let (mut upserts, mut deletes) = (Vec::new(), Vec::new());
        let mut keys = std::mem::take(&mut self.unstored);
        // Each record once, as last written.
        keys.sort_unstable();
        keys.dedup();
        // Taken, not copied: once stored, the transaction reads them back from the database.
        for key in keys {
            match self.records.remove(&key).flatten() {
                Some(data) => upserts.push(json!({"tb": table(key.kind), "id": key.id, "data": data})),
                None => deletes.push(json!({"tb": table(key.kind), "id": key.id})),
            }
        }
        let changes = std::mem::take(&mut self.unlogged);
        if !upserts.is_empty() {
            sql.push_str("FOR $r IN $upserts { UPSERT type::record($r.tb, $r.id) CONTENT $r.data RETURN NONE; };");
        }
        if !deletes.is_empty() {
            sql.push_str("FOR $r IN $deletes { DELETE type::record($r.tb, $r.id); };");
        }
        if !changes.is_empty() {
            sql.push_str("FOR $c IN $changes { CREATE type::record('change', $c.seq) CONTENT $c RETURN NONE; };");
        }
        json!({"upserts": upserts, "deletes": deletes, "changes": changes})
    }

    /// Writes what is waiting, the counter and the clients' numbers, in one round trip;
    /// returns the changes written, which are the log's once the transaction commits.
    pub(in crate::db) async fn finish(mut self, tx: &Tx) -> DbResult<Vec<Change>> {
        let clients: Vec<Value> = (self.clients.iter())
            .filter(|(_, c)| c.changed)
            .filter_map(|(id, c)| c.row.as_ref().map(|r| json!({"id": id, "user": r.user, "processed": r.processed})))
            .collect();
        let mut sql = String::new();
        let mut vars = self.take_unstored(&mut sql);
        if !self.changes.is_empty() {
            sql.push_str("UPSERT counter:log SET value = $at RETURN NONE;");
        }
        if !clients.is_empty() {
            sql.push_str("FOR $c IN $clients { UPSERT type::record('sync_client', $c.id) SET user = $c.user, processed = $c.processed RETURN NONE; };");
        }
        if !sql.is_empty() {
            vars["at"] = json!(self.last);
            vars["clients"] = Value::Array(clients);
            tx.run(&sql, vars).await?;
        }
        Ok(self.changes)
    }
}

/// The rows of a statement's result by the name `name` takes out of each.
fn by_id(result: Option<Value>, name: impl Fn(&mut Map<String, Value>) -> Option<String>) -> HashMap<String, Map<String, Value>> {
    let rows = match result {
        Some(Value::Array(rows)) => rows,
        _ => Vec::new(),
    };
    (rows.into_iter())
        .filter_map(|row| match row {
            Value::Object(mut row) => Some((name(&mut row)?, row)),
            _ => None,
        })
        .collect()
}
