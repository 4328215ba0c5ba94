//! What one transaction of the writer keeps beside the database, so that each mutation costs
//! as few round trips as can be: the change counter, read once and then counted on in memory;
//! each client's last processed sequence number, read once; and the records read or written
//! so far. The counter and the clients' numbers are written once, by `finish`, however many
//! mutations the transaction holds. Every write of a synced record goes through `wrote`, so
//! what is kept is what the transaction would read.

use std::collections::HashMap;

use rihub_domain::sync::record::RecordKey;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{Stored, stored, table};
use crate::db::{DbResult, Tx};

#[derive(Default)]
pub(in crate::db) struct Group {
    /// The newest change number, once read.
    last: Option<u64>,
    /// Whether a change was written, so the counter must be.
    advanced: bool,
    clients: HashMap<String, Client>,
    /// Stored rows by key; None for a record that does not exist.
    records: HashMap<RecordKey, Option<Map<String, Value>>>,
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
    /// Reads, in one round trip, whatever of the counter, `client` and the record at `key` is
    /// not known yet.
    pub(super) async fn read(&mut self, tx: &Tx, client: Option<&str>, key: &RecordKey) -> DbResult<()> {
        let counter = self.last.is_none();
        let client = client.filter(|c| !self.clients.contains_key(*c));
        let record = !self.records.contains_key(key);
        let mut sql = String::new();
        if counter {
            sql.push_str("RETURN (SELECT VALUE value FROM ONLY counter:log) ?? 0;");
        }
        if client.is_some() {
            sql.push_str("SELECT user, processed FROM type::record('sync_client', $client);");
        }
        if record {
            sql.push_str("SELECT * FROM type::record($table, $id);");
        }
        if sql.is_empty() {
            return Ok(());
        }
        let vars = json!({"client": client, "table": table(key.kind), "id": key.id});
        let mut results = tx.run(&sql, vars).await?.into_iter();
        if counter {
            self.last = Some(results.next().and_then(|v| v.as_u64()).unwrap_or(0));
        }
        if let Some(id) = client {
            let row = first(results.next()).map(serde_json::from_value).transpose()?;
            self.clients.insert(id.to_string(), Client { row, changed: false });
        }
        if record {
            let row = first(results.next()).and_then(|v| match v {
                Value::Object(row) => Some(row),
                _ => None,
            });
            self.records.insert(key.clone(), row);
        }
        Ok(())
    }

    /// The number the next change written gets.
    pub(super) async fn next(&mut self, tx: &Tx) -> DbResult<u64> {
        if self.last.is_none() {
            let last = tx.row::<u64>("RETURN (SELECT VALUE value FROM ONLY counter:log) ?? 0", json!({})).await?;
            self.last = Some(last.unwrap_or(0));
        }
        Ok(self.last.unwrap_or(0) + 1)
    }

    /// The record at `key` as stored (as this transaction has left it).
    pub(super) async fn record(&mut self, tx: &Tx, key: &RecordKey) -> DbResult<Option<Stored>> {
        self.read(tx, None, key).await?;
        let row = self.records.get(key).cloned().flatten();
        row.map(|row| stored(key.kind, row)).transpose()
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

    /// Remembers that change `at` left the record at `key` as `row` (None: deleted).
    pub(super) fn wrote(&mut self, at: u64, key: &RecordKey, row: Option<Value>) {
        self.last = Some(at);
        self.advanced = true;
        let row = row.and_then(|v| match v {
            Value::Object(row) => Some(row),
            _ => None,
        });
        self.records.insert(key.clone(), row);
    }

    /// Writes the counter and the clients' numbers, in one round trip.
    pub(in crate::db) async fn finish(self, tx: &Tx) -> DbResult<()> {
        let clients: Vec<Value> = (self.clients.iter())
            .filter(|(_, c)| c.changed)
            .filter_map(|(id, c)| c.row.as_ref().map(|r| json!({"id": id, "user": r.user, "processed": r.processed})))
            .collect();
        if !self.advanced && clients.is_empty() {
            return Ok(());
        }
        let mut sql = String::new();
        if self.advanced {
            sql.push_str("UPSERT counter:log SET value = $at;");
        }
        sql.push_str("FOR $c IN $clients { UPSERT type::record('sync_client', $c.id) SET user = $c.user, processed = $c.processed; };");
        tx.run(&sql, json!({"at": self.last, "clients": clients})).await?;
        Ok(())
    }
}

/// The first row of a statement's result.
fn first(result: Option<Value>) -> Option<Value> {
    match result? {
        Value::Array(rows) => rows.into_iter().next(),
        Value::Null => None,
        one => Some(one),
    }
}
