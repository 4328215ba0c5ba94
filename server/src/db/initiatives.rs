//! Named queries on the `initiative` table.

use rihub_domain::cycle::Cycle;
use rihub_domain::initiative::{Initiative, InitiativeFields, InitiativeStatus, Priority};
use rihub_domain::region::Region;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Db, DbError, DbResult, now};

const FIELDS: &str = "record::id(id) AS id, rev, cycle, code, region, title, objective, expected_results, \
                      priorities, level, sectors, status, verified, continues";

/// Filters of the initiatives list; text search is applied by the caller over every language.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    pub region: Option<Region>,
    pub cycle: Option<Cycle>,
    pub status: Option<InitiativeStatus>,
    pub priority: Option<Priority>,
}

pub async fn list(db: &Db, filter: &Filter) -> DbResult<Vec<Initiative>> {
    let mut conditions = Vec::new();
    for (field, present) in [
        ("region = $region", filter.region.is_some()),
        ("cycle = $cycle", filter.cycle.is_some()),
        ("status = $status", filter.status.is_some()),
        ("priorities CONTAINS $priority", filter.priority.is_some()),
    ] {
        if present {
            conditions.push(field);
        }
    }
    let where_clause = if conditions.is_empty() { String::new() } else { format!("WHERE {}", conditions.join(" AND ")) };
    db.rows(
        &format!("SELECT {FIELDS} FROM initiative {where_clause} ORDER BY cycle DESC, region, code"),
        json!({"region": filter.region, "cycle": filter.cycle, "status": filter.status, "priority": filter.priority}),
    )
    .await
    .map(sort_codes_numerically)
}

/// SurrealDB orders "AFR10" before "AFR2"; people expect 1, 2 … 10.
fn sort_codes_numerically(mut items: Vec<Initiative>) -> Vec<Initiative> {
    items.sort_by_key(|i| {
        let number: u32 = i.fields.code.get(3..).and_then(|n| n.parse().ok()).unwrap_or(0);
        (std::cmp::Reverse(i.fields.cycle), i.fields.region, number)
    });
    items
}

pub async fn get(db: &Db, id: &str) -> DbResult<Option<Initiative>> {
    db.row(&format!("SELECT {FIELDS} FROM type::record('initiative', $id)"), json!({"id": id})).await
}

fn content(fields: &InitiativeFields, rev: u64, user: Option<&str>) -> DbResult<Value> {
    let mut data = serde_json::to_value(fields)?;
    data["rev"] = rev.into();
    data["updated_at"] = now().into();
    data["updated_by"] = user.into();
    Ok(data)
}

/// Creates an initiative; `DbError::Duplicate` when its (cycle, code) is taken.
pub async fn create(db: &Db, fields: &InitiativeFields, user: Option<&str>) -> DbResult<Initiative> {
    let id = fields.id();
    let created: Option<Initiative> = db
        .row(
            &format!("CREATE type::record('initiative', $id) CONTENT $data RETURN {FIELDS}"),
            json!({"id": id, "data": content(fields, 1, user)?}),
        )
        .await?;
    created.ok_or(DbError::Duplicate)
}

/// The outcome of an edit that names the revision it started from.
pub enum Update<T> {
    Saved(T),
    /// Someone saved first; here is what they saved.
    Stale(T),
    NotFound,
}

/// Replaces the initiative's fields if it is still at `base_rev`, atomically.
pub async fn update(db: &Db, id: &str, base_rev: u64, fields: &InitiativeFields, user: &str) -> DbResult<Update<Initiative>> {
    let saved: Option<Initiative> = db
        .row(
            &format!("UPDATE type::record('initiative', $id) CONTENT $data WHERE rev = $base RETURN {FIELDS}"),
            json!({"id": id, "base": base_rev, "data": content(fields, base_rev + 1, Some(user))?}),
        )
        .await?;
    Ok(match saved {
        Some(i) => Update::Saved(i),
        None => match get(db, id).await? {
            Some(current) => Update::Stale(current),
            None => Update::NotFound,
        },
    })
}

/// Deletes an initiative that has no projects; returns false if it still has some.
pub async fn delete_if_empty(db: &Db, id: &str) -> DbResult<bool> {
    let results = db
        .run(
            "BEGIN TRANSACTION;
             LET $n = count(SELECT id FROM project WHERE initiative = $id);
             IF $n > 0 { RETURN false } ELSE { DELETE type::record('initiative', $id); RETURN true };
             COMMIT TRANSACTION;",
            json!({"id": id}),
        )
        .await?;
    Ok(results.iter().any(|v| v == &Value::Bool(true)))
}

/// Number of projects of each initiative, by initiative id.
pub async fn project_counts(db: &Db) -> DbResult<std::collections::HashMap<String, u64>> {
    #[derive(Deserialize)]
    struct Count {
        initiative: String,
        n: u64,
    }
    let rows: Vec<Count> = db.rows("SELECT initiative, count() AS n FROM project GROUP BY initiative", json!({})).await?;
    Ok(rows.into_iter().map(|c| (c.initiative, c.n)).collect())
}
