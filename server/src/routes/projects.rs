//! Projects: read one, create under an initiative, edit (possibly moving it), delete.
//! Writes go through the sync layer, so they merge and reach syncing clients like any mutation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rihub_domain::api::SaveProject;
use rihub_domain::permissions::{Action, Scope};
use rihub_domain::project::Project;
use rihub_domain::sync::mutation::Op;
use rihub_domain::sync::outcome::Refusal;
use rihub_domain::sync::record::fields_of;
use rihub_domain::sync::record::{Kind, RecordKey};

use super::initiatives::stale;
use crate::auth::current_user::CurrentUser;
use crate::db::sync::{self, Write};
use crate::db::{projects, random_id};
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::state::AppState;

pub async fn get_project(State(state): State<AppState>, user: CurrentUser, ApiPath(id): ApiPath<String>) -> AppResult<Json<Project>> {
    let found = projects::get(&state.db, &id).await?.ok_or(AppError::NotFound("project"))?;
    user.require(Action::Read, Scope::Region(found.region))?;
    Ok(Json(found.project))
}

fn key(id: &str) -> RecordKey {
    RecordKey { kind: Kind::Project, id: id.to_string() }
}

/// The project's fields with the initiative it belongs to, as the sync layer holds them.
fn fields(body: &SaveProject) -> AppResult<serde_json::Map<String, serde_json::Value>> {
    let mut fields = fields_of(&body.fields);
    fields.insert("initiative".into(), body.initiative.clone().into());
    Ok(fields)
}

async fn saved(state: &AppState, id: &str) -> AppResult<Project> {
    Ok(projects::get(&state.db, id).await?.ok_or(AppError::NotFound("project"))?.project)
}

pub async fn create_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<SaveProject>,
) -> AppResult<(StatusCode, Json<Project>)> {
    let id = random_id();
    let op = Op::Create { key: key(&id), fields: fields(&body)? };
    sync::apply_request(&state.db, &user.id, &user.roles, Write::Op(op)).await??;
    tracing::info!(%id, user = %user.id, "project created");
    Ok((StatusCode::CREATED, Json(saved(&state, &id).await?)))
}

pub async fn update_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<SaveProject>,
) -> AppResult<Json<Project>> {
    let write = Write::Replace { key: key(&id), fields: fields(&body)?, expected_rev: body.rev };
    match sync::apply_request(&state.db, &user.id, &user.roles, write).await? {
        Ok(_) => {
            tracing::info!(%id, user = %user.id, "project edited");
            Ok(Json(saved(&state, &id).await?))
        }
        Err(Refusal::Stale) => Err(stale(&saved(&state, &id).await?)),
        Err(refusal) => Err(refusal.into()),
    }
}

pub async fn delete_project(State(state): State<AppState>, user: CurrentUser, ApiPath(id): ApiPath<String>) -> AppResult<StatusCode> {
    sync::apply_request(&state.db, &user.id, &user.roles, Write::Op(Op::Delete { key: key(&id) })).await??;
    tracing::info!(%id, user = %user.id, "project deleted");
    Ok(StatusCode::NO_CONTENT)
}
