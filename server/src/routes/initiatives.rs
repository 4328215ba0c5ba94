//! Initiatives: list with filters, read one with its projects, create, edit, delete.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rihub_domain::api::{InitiativeDetail, InitiativeListItem, UpdateInitiative};
use rihub_domain::error_code::ErrorCode;
use rihub_domain::initiative::{Initiative, InitiativeFields};
use rihub_domain::permissions::{Action, Scope};
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::fields_of;
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::validation::{FieldError, Problem};
use serde::Deserialize;

use crate::auth::current_user::CurrentUser;
use crate::db::initiatives::{self, Filter};
use crate::db::projects;
use crate::db::sync::{self, Write};
use crate::error::{ApiJson, ApiPath, ApiQuery, AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(flatten)]
    filter: Filter,
    /// Text to find in the title, objective or expected results, in any language.
    #[serde(default)]
    q: Option<String>,
}

pub async fn list_initiatives(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> AppResult<Json<Vec<InitiativeListItem>>> {
    user.require(Action::Read, Scope::Global)?;
    let counts = initiatives::project_counts(&state.db).await?;
    let needle = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let items = initiatives::list(&state.db, &query.filter)
        .await?
        .into_iter()
        .filter(|i| needle.is_none_or(|q| i.fields.matches_text(q)))
        .map(|i| InitiativeListItem { project_count: counts.get(&i.id).copied().unwrap_or(0), initiative: i })
        .collect();
    Ok(Json(items))
}

pub async fn get_initiative(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> AppResult<Json<InitiativeDetail>> {
    let initiative = initiatives::get(&state.db, &id).await?.ok_or(AppError::NotFound("initiative"))?;
    user.require(Action::Read, Scope::Region(initiative.fields.region))?;
    let projects = projects::of_initiative(&state.db, &id).await?;
    Ok(Json(InitiativeDetail { initiative, projects }))
}

pub async fn create_initiative(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(fields): ApiJson<InitiativeFields>,
) -> AppResult<(StatusCode, Json<Initiative>)> {
    user.require(Action::CreateInitiative, Scope::Region(fields.region))?;
    fields.validate().map_err(AppError::Invalid)?;
    let key = RecordKey { kind: Kind::Initiative, id: fields.id() };
    let op = Op::Create { key: key.clone(), fields: fields_of(&fields) };
    sync::apply_request(&state.db, &user.id, &user.roles, Write::Op(op)).await??;
    let created = initiatives::get(&state.db, &key.id).await?.ok_or(AppError::NotFound("initiative"))?;
    tracing::info!(id = %created.id, user = %user.id, "initiative created");
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn update_initiative(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(edit): ApiJson<UpdateInitiative>,
) -> AppResult<Json<Initiative>> {
    let current = initiatives::get(&state.db, &id).await?.ok_or(AppError::NotFound("initiative"))?;
    let from = Scope::Region(current.fields.region);
    let to = Scope::Region(edit.fields.region);
    user.require(Action::EditInitiative, from)?;
    user.require(Action::EditInitiative, to)?;
    let mut problems = edit.fields.validate().err().unwrap_or_default();
    for (field, changed) in [("cycle", edit.fields.cycle != current.fields.cycle), ("code", edit.fields.code != current.fields.code)] {
        if changed {
            problems.push(FieldError { field: field.into(), problem: Problem::Immutable });
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let key = RecordKey { kind: Kind::Initiative, id: id.clone() };
    let write = Write::Replace { key, fields: fields_of(&edit.fields), expected_rev: edit.rev };
    match sync::apply_request(&state.db, &user.id, &user.roles, write).await? {
        Ok(_) => {
            let saved = initiatives::get(&state.db, &id).await?.ok_or(AppError::NotFound("initiative"))?;
            tracing::info!(%id, rev = saved.rev, user = %user.id, "initiative edited");
            Ok(Json(saved))
        }
        Err(Refusal::Stale) => Err(stale(&initiatives::get(&state.db, &id).await?)),
        Err(refusal) => Err(refusal.into()),
    }
}

/// The edit started from an old revision: refuse it and send what is current, so the
/// person can compare and re-apply their change (nothing they typed is dropped).
pub fn stale<T: serde::Serialize>(current: &T) -> AppError {
    AppError::Conflict {
        code: ErrorCode::StaleRevision,
        message: "someone saved a newer version; review it and save again".into(),
        current: serde_json::to_value(current).ok(),
    }
}

pub async fn delete_initiative(State(state): State<AppState>, user: CurrentUser, ApiPath(id): ApiPath<String>) -> AppResult<StatusCode> {
    let current = initiatives::get(&state.db, &id).await?.ok_or(AppError::NotFound("initiative"))?;
    user.require(Action::DeleteInitiative, Scope::Region(current.fields.region))?;
    if initiatives::has_projects(&state.db, &id).await? {
        return Err(AppError::Conflict {
            code: ErrorCode::HasProjects,
            message: "this initiative still has projects; move or delete them first".into(),
            current: None,
        });
    }
    let op = Op::Delete { key: RecordKey { kind: Kind::Initiative, id: id.clone() } };
    sync::apply_request(&state.db, &user.id, &user.roles, Write::Op(op)).await??;
    tracing::info!(%id, user = %user.id, "initiative deleted");
    Ok(StatusCode::NO_CONTENT)
}
