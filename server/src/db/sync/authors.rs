//! Who made the two edits of each conflict a write leaves: the writer, and the author of the
//! change that had set the overwritten value, as the log keeps it. Conflicts are rare, so the
//! few reads this takes cost nothing in the common write.

use std::collections::HashMap;

use rihub_domain::sync::merge::{Author, Conflict};
use serde::Deserialize;
use serde_json::json;

use super::Group;
use crate::db::{DbResult, Tx};

/// Names `won_by` (the writer `user`) and `lost_by` of every conflict in `conflicts`.
pub(super) async fn name(tx: &Tx, group: &mut Group, user: &str, conflicts: &mut [Conflict]) -> DbResult<()> {
    if conflicts.is_empty() {
        return Ok(());
    }
    // The log entries this transaction wrote are read from the database too.
    group.store(tx).await?;
    let mut names = HashMap::new();
    let writer = author(tx, &mut names, user.to_string()).await?;
    for conflict in conflicts {
        conflict.won_by = writer.clone();
        if let Some(id) = change_author(tx, conflict.lost_rev).await? {
            conflict.lost_by = author(tx, &mut names, id).await?;
        }
    }
    Ok(())
}

/// The account that made change `seq`; none for a value set when the record was seeded.
async fn change_author(tx: &Tx, seq: u64) -> DbResult<Option<String>> {
    #[derive(Deserialize)]
    struct Row {
        user: Option<String>,
    }
    let row: Option<Row> = tx.row("SELECT user FROM type::record('change', $seq)", json!({ "seq": seq })).await?;
    Ok(row.and_then(|r| r.user).filter(|u| !u.is_empty()))
}

/// The account `id` with its name now (empty for an account that no longer exists, such as the
/// demo seeder's).
async fn author(tx: &Tx, names: &mut HashMap<String, String>, id: String) -> DbResult<Author> {
    #[derive(Deserialize)]
    struct Row {
        name: String,
    }
    if let Some(name) = names.get(&id) {
        return Ok(Author { id, name: name.clone() });
    }
    let row: Option<Row> = tx.row("SELECT name FROM type::record('user', $id)", json!({ "id": id })).await?;
    let name = row.map(|r| r.name).unwrap_or_default();
    names.insert(id.clone(), name.clone());
    Ok(Author { id, name })
}
