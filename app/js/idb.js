// IndexedDB for rihub: one database per signed-in user, values stored as JSON text.
// Every write is one transaction that commits durably or not at all.

const STORES = ["records", "outbox", "rejected", "conflicts", "meta"];

function settled(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function openDb(name) {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    for (const store of STORES) {
      if (!request.result.objectStoreNames.contains(store)) request.result.createObjectStore(store);
    }
  };
  return settled(request);
}

// What a page load reads first, as JSON: every entry of the small stores
// ({"outbox": [[key, value], ...], ...}) and how many records are saved.
export async function loadQueue(db) {
  const small = STORES.filter((name) => name !== "records");
  const tx = db.transaction(STORES, "readonly");
  const entries = await Promise.all(small.map(async (name) => {
    const store = tx.objectStore(name);
    const [keys, values] = await Promise.all([settled(store.getAllKeys()), settled(store.getAll())]);
    return [name, keys.map((key, i) => [key, values[i]])];
  }));
  const count = await settled(tx.objectStore("records").count());
  return JSON.stringify({ ...Object.fromEntries(entries), count });
}

// At most `count` saved records of `kind` whose ids come after `after` ("" for the first),
// in key order, as one JSON array of their values (each the JSON text of [key, record]):
// joined, not re-encoded, so the app parses each record once.
export async function loadRecords(db, kind, after, count) {
  const range = IDBKeyRange.bound(`${kind}/${after}`, `${kind}/\uffff`, after !== "", false);
  const values = await settled(db.transaction("records", "readonly").objectStore("records").getAll(range, count));
  return `[${values.join(",")}]`;
}

// writes: JSON [{"store", "key", "value"}]; a null value deletes the key.
export function commit(db, writes) {
  const tx = db.transaction(STORES, "readwrite", { durability: "strict" });
  for (const w of JSON.parse(writes)) {
    const store = tx.objectStore(w.store);
    if (w.value === null) store.delete(w.key);
    else store.put(w.value, w.key);
  }
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}
