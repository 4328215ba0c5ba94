//! Named queries on the `project` table.

use rihub_domain::project::Project;
use rihub_domain::region::Region;
use serde::Deserialize;
use serde_json::json;

use super::{Db, DbResult};

const FIELDS: &str = "record::id(id) AS id, initiative, rev, title, summary, countries, partners, status, \
                      start, end, budget, indicators, outcomes, replicated_from";

/// A project with the region it belongs to (its initiative's), for scope checks.
#[derive(Debug, Deserialize)]
pub struct ScopedProject {
    pub region: Region,
    #[serde(flatten)]
    pub project: Project,
}

pub async fn of_initiative(db: &Db, initiative: &str) -> DbResult<Vec<Project>> {
    db.rows(&format!("SELECT {FIELDS} FROM project WHERE initiative = $initiative ORDER BY start, id"), json!({"initiative": initiative}))
        .await
}

pub async fn get(db: &Db, id: &str) -> DbResult<Option<ScopedProject>> {
    db.row(&format!("SELECT region, {FIELDS} FROM type::record('project', $id)"), json!({"id": id})).await
}
