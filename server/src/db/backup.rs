//! The whole database as SurrealQL: SurrealDB's own export (one read transaction, so
//! consistent while the server writes) and import. The embedded engines support both; a
//! SurrealDB server (`ws://`) is exported with its own tool (`docs/operations.md`).

use std::path::Path;

use futures_util::Stream;
use serde_json::json;

use super::{Db, DbResult};

impl Db {
    /// Writes the export to `path`.
    pub async fn export_to(&self, path: &Path) -> DbResult<()> {
        self.surreal.export(path).await?;
        Ok(())
    }

    /// The export as a stream of bytes.
    pub async fn export_stream(&self) -> DbResult<impl Stream<Item = Result<Vec<u8>, surrealdb::Error>> + use<>> {
        Ok(self.surreal.export(()).await?)
    }

    /// Runs the SurrealQL of an export in `path`.
    pub async fn import_from(&self, path: &Path) -> DbResult<()> {
        self.surreal.import(path).await?;
        Ok(())
    }

    /// The tables the database defines.
    pub async fn tables(&self) -> DbResult<Vec<String>> {
        let info = self.run("INFO FOR DB", json!({})).await?;
        let tables =
            info.first().and_then(|i| i.get("tables")).and_then(|t| t.as_object()).map(|t| t.keys().cloned().collect()).unwrap_or_default();
        Ok(tables)
    }
}
