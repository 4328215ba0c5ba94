//! Named queries on the `initiative` table.

use rihub_domain::cycle::Cycle;
use rihub_domain::initiative::{Initiative, InitiativeStatus, Priority};
use rihub_domain::region::Region;
use serde::Deserialize;
use serde_json::{Value, json};

use super::{Db, DbResult};

const FIELDS: &str = "record::id(id) AS id, rev, cycle, code, region, title, objective, expected_results, \
                      priorities, level, sectors, status, verified, continues, related ?? [] AS related, merged_into";

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
    items.sort_by_key(|i| i.fields.list_order());
    items
}

pub async fn get(db: &Db, id: &str) -> DbResult<Option<Initiative>> {
    db.row(&format!("SELECT {FIELDS} FROM type::record('initiative', $id)"), json!({"id": id})).await
}

/// Whether any project still belongs to the initiative.
pub async fn has_projects(db: &Db, id: &str) -> DbResult<bool> {
    let rows: Vec<Value> = db.rows("SELECT id FROM project WHERE initiative = $id LIMIT 1", json!({"id": id})).await?;
    Ok(!rows.is_empty())
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
