//! Named queries on the `project` table.

use rihub_domain::project::{Project, ProjectFields};
use rihub_domain::region::Region;
use serde::Deserialize;
use serde_json::{Value, json};

use super::initiatives::Update;
use super::{Db, DbResult, now, random_id};

const FIELDS: &str = "record::id(id) AS id, initiative, rev, title, summary, countries, partners, status, \
                      start, end, budget, indicators, outcomes";

/// A project with the region it belongs to (its initiative's), for scope checks.
#[derive(Debug, Deserialize)]
pub struct ScopedProject {
    pub region: Region,
    #[serde(flatten)]
    pub project: Project,
}

pub async fn of_initiative(db: &Db, initiative: &str) -> DbResult<Vec<Project>> {
    db.rows(
        &format!("SELECT {FIELDS} FROM project WHERE initiative = $initiative ORDER BY start, id"),
        json!({"initiative": initiative}),
    )
    .await
}

pub async fn get(db: &Db, id: &str) -> DbResult<Option<ScopedProject>> {
    db.row(&format!("SELECT region, {FIELDS} FROM type::record('project', $id)"), json!({"id": id})).await
}

fn content(initiative: &str, region: Region, fields: &ProjectFields, rev: u64, user: Option<&str>) -> DbResult<Value> {
    let mut data = serde_json::to_value(fields)?;
    data["initiative"] = initiative.into();
    data["region"] = serde_json::to_value(region)?;
    data["rev"] = rev.into();
    data["updated_at"] = now().into();
    data["updated_by"] = user.into();
    Ok(data)
}

pub async fn create(db: &Db, initiative: &str, region: Region, fields: &ProjectFields, user: Option<&str>) -> DbResult<Project> {
    let created: Option<Project> = db
        .row(
            &format!("CREATE type::record('project', $id) CONTENT $data RETURN {FIELDS}"),
            json!({"id": random_id(), "data": content(initiative, region, fields, 1, user)?}),
        )
        .await?;
    created.ok_or(super::DbError::Duplicate)
}

/// Replaces the project's fields (and possibly its initiative) if still at `base_rev`.
pub async fn update(
    db: &Db,
    id: &str,
    base_rev: u64,
    initiative: &str,
    region: Region,
    fields: &ProjectFields,
    user: &str,
) -> DbResult<Update<Project>> {
    let saved: Option<Project> = db
        .row(
            &format!("UPDATE type::record('project', $id) CONTENT $data WHERE rev = $base RETURN {FIELDS}"),
            json!({"id": id, "base": base_rev, "data": content(initiative, region, fields, base_rev + 1, Some(user))?}),
        )
        .await?;
    Ok(match saved {
        Some(p) => Update::Saved(p),
        None => match get(db, id).await? {
            Some(current) => Update::Stale(current.project),
            None => Update::NotFound,
        },
    })
}

pub async fn delete(db: &Db, id: &str) -> DbResult<()> {
    db.run("DELETE type::record('project', $id)", json!({"id": id})).await?;
    Ok(())
}
