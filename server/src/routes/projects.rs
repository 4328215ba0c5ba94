//! Projects: read one, create under an initiative, edit (possibly moving it), delete.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use rihub_domain::api::SaveProject;
use rihub_domain::initiative::Initiative;
use rihub_domain::permissions::{Action, Scope};
use rihub_domain::project::Project;

use super::initiatives::stale;
use crate::auth::session::CurrentUser;
use crate::db::initiatives::{self, Update};
use crate::db::projects;
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;

pub async fn get_project(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Json<Project>> {
    let found = projects::get(&state.db, &id).await?.ok_or(AppError::NotFound("project"))?;
    user.require(Action::Read, Scope::Region(found.region))?;
    Ok(Json(found.project))
}

async fn initiative_of(state: &AppState, id: &str) -> AppResult<Initiative> {
    initiatives::get(&state.db, id).await?.ok_or(AppError::NotFound("initiative"))
}

pub async fn create_project(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<SaveProject>,
) -> AppResult<(StatusCode, Json<Project>)> {
    let parent = initiative_of(&state, &body.initiative).await?;
    let region = parent.fields.region;
    user.require(Action::CreateProject, Scope::Region(region))?;
    body.fields.validate().map_err(AppError::Invalid)?;
    let created = projects::create(&state.db, &parent.id, region, &body.fields, Some(&user.id)).await?;
    tracing::info!(id = %created.id, user = %user.id, "project created");
    Ok((StatusCode::CREATED, Json(created)))
}

pub async fn update_project(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<SaveProject>,
) -> AppResult<Json<Project>> {
    let current = projects::get(&state.db, &id).await?.ok_or(AppError::NotFound("project"))?;
    let target = initiative_of(&state, &body.initiative).await?;
    // Moving a project to another initiative needs the right in both regions.
    user.require(Action::EditProject, Scope::Region(current.region))?;
    user.require(Action::EditProject, Scope::Region(target.fields.region))?;
    body.fields.validate().map_err(AppError::Invalid)?;
    match projects::update(&state.db, &id, body.rev, &target.id, target.fields.region, &body.fields, &user.id).await? {
        Update::Saved(saved) => {
            tracing::info!(%id, rev = saved.rev, user = %user.id, "project edited");
            Ok(Json(saved))
        }
        Update::Stale(current) => Err(stale(&current)),
        Update::NotFound => Err(AppError::NotFound("project")),
    }
}

pub async fn delete_project(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<StatusCode> {
    let current = projects::get(&state.db, &id).await?.ok_or(AppError::NotFound("project"))?;
    user.require(Action::DeleteProject, Scope::Region(current.region))?;
    projects::delete(&state.db, &id).await?;
    tracing::info!(%id, user = %user.id, "project deleted");
    Ok(StatusCode::NO_CONTENT)
}
