//! IndexedDB, through `js/idb.js`: one database per signed-in user (so another person on the
//! same browser never sees or sends someone else's queue), values as JSON text, and every
//! batch of writes in one durable transaction.

use std::collections::HashMap;

use rihub_domain::sync::record::{Kind, RecordKey, SyncedRecord};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = openDb, catch)]
    async fn open_db(name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = loadQueue, catch)]
    async fn load_queue(db: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = loadRecords, catch)]
    async fn load_records(db: &JsValue, kind: &str, after: &str, count: u32) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_name = commit, catch)]
    fn commit_writes(db: &JsValue, writes: String) -> Result<js_sys::Promise, JsValue>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Store {
    Records,
    Outbox,
    Rejected,
    Conflicts,
    Meta,
}

/// The browser refused to open, read or write the database (private mode, quota, corruption).
#[derive(Debug, Clone, PartialEq)]
pub struct StoreError(pub String);

impl From<JsValue> for StoreError {
    fn from(e: JsValue) -> StoreError {
        let text = js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()).or_else(|| e.as_string());
        StoreError(text.unwrap_or_else(|| "the browser's database failed".into()))
    }
}

#[derive(Serialize)]
struct Write {
    store: Store,
    key: String,
    value: Option<String>,
}

/// Writes that commit together or not at all.
#[derive(Default)]
pub struct Batch {
    writes: Vec<Write>,
    /// A value that could not be written: the whole batch fails to commit, saying why.
    unwritable: Option<String>,
}

impl Batch {
    pub fn put<T: Serialize>(&mut self, store: Store, key: String, value: &T) {
        match serde_json::to_string(value) {
            Ok(text) => self.writes.push(Write { store, key, value: Some(text) }),
            Err(e) => self.unwritable = Some(format!("cannot save {key}: {e}")),
        }
    }

    pub fn delete(&mut self, store: Store, key: String) {
        self.writes.push(Write { store, key, value: None });
    }
}

/// The small stores' entries (outbox, refusals, conflicts, meta) as (key, JSON text).
pub type Loaded = HashMap<String, Vec<(String, String)>>;

/// What a page load reads first: the small stores, and how many records are saved.
#[derive(Deserialize)]
pub struct Queue {
    #[serde(flatten)]
    pub stores: Loaded,
    pub count: u64,
}

#[derive(Clone)]
pub struct LocalDb(JsValue);

impl LocalDb {
    pub async fn open(user: &str) -> Result<LocalDb, StoreError> {
        Ok(LocalDb(open_db(&format!("rihub-{user}")).await?))
    }

    pub async fn load_queue(&self) -> Result<Queue, StoreError> {
        let text = load_queue(&self.0).await?.as_string().unwrap_or_default();
        serde_json::from_str(&text).map_err(|e| StoreError(e.to_string()))
    }

    /// At most `count` saved records of `kind` with ids after `after` ("" from the first), in
    /// id order. A record this build cannot read (saved by a newer one) is left out.
    pub async fn load_records(&self, kind: Kind, after: &str, count: u32) -> Result<Vec<(RecordKey, SyncedRecord)>, StoreError> {
        let text = load_records(&self.0, kind.code(), after, count).await?.as_string().unwrap_or_default();
        // One parse of the page; only if some record does not read, one by one.
        serde_json::from_str(&text).or_else(|_| {
            let values: Vec<serde_json::Value> = serde_json::from_str(&text).map_err(|e| StoreError(e.to_string()))?;
            Ok(values.into_iter().filter_map(|v| serde_json::from_value(v).ok()).collect())
        })
    }

    /// Starts the transaction now (so batches commit in the order they were made) and
    /// finishes when it is durable. A batch holding a value that could not be written commits
    /// nothing.
    pub fn commit(&self, batch: Batch) -> impl Future<Output = Result<(), StoreError>> + use<> {
        let started = if let Some(problem) = batch.unwritable {
            Err(StoreError(problem))
        } else if batch.writes.is_empty() {
            Ok(None)
        } else {
            serde_json::to_string(&batch.writes)
                .map_err(|e| StoreError(e.to_string()))
                .and_then(|writes| commit_writes(&self.0, writes).map(Some).map_err(StoreError::from))
        };
        async move {
            if let Some(promise) = started? {
                wasm_bindgen_futures::JsFuture::from(promise).await?;
            }
            Ok(())
        }
    }
}
