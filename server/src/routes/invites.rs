//! Invitation links: show who is invited, accept (set a password, get signed in).

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use rihub_domain::api::{AcceptInvite, InviteInfo, Me};
use rihub_domain::error_code::ErrorCode;
use rihub_domain::validation::{Errors, FieldError, Problem, limits};

use super::auth::start_session;
use crate::auth::{password, token};
use crate::db::{self, invites};
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::state::AppState;

fn unusable() -> AppError {
    AppError::Conflict {
        code: ErrorCode::InviteUnusable,
        message: "this invitation was already used or has expired; ask for a new one".into(),
        current: None,
    }
}

async fn usable_invite(state: &AppState, token: &str) -> AppResult<invites::InviteRow> {
    if !token::looks_valid(token) {
        return Err(AppError::NotFound("invitation"));
    }
    let invite = invites::get(&state.db, &token::hash(token)).await?.ok_or(AppError::NotFound("invitation"))?;
    if invite.used_at.is_some() || invite.expires_at < state.db.now() {
        return Err(unusable());
    }
    Ok(invite)
}

pub async fn show_invite(State(state): State<AppState>, ApiPath(token): ApiPath<String>) -> AppResult<Json<InviteInfo>> {
    let invite = usable_invite(&state, &token).await?;
    Ok(Json(InviteInfo { email: invite.email, name: invite.name, roles: invite.roles }))
}

pub async fn accept_invite(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    ApiJson(body): ApiJson<AcceptInvite>,
) -> AppResult<Response> {
    let invite = usable_invite(&state, &token).await?;
    let mut problems = Vec::new();
    if !password::acceptable(&body.password) {
        problems.push(FieldError { field: "password".into(), problem: Problem::OutOfRange });
    }
    let name = body.name.trim();
    let mut errors = Errors::default();
    errors.required_line("name", name, limits::NAME);
    problems.extend(errors.finish().err().unwrap_or_default());
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let hash = password::hash_off_workers(&body.password).await.map_err(AppError::Internal)?;
    let user_id = db::random_id();
    let now = state.db.now();
    if !invites::redeem(&state.db, &token::hash(&token), &user_id, &hash, name, now).await? {
        return Err(unusable());
    }
    tracing::info!(user = %user_id, "invitation accepted");
    let me = Me { id: user_id, email: invite.email, name: name.to_string(), roles: invite.roles, lang: None };
    start_session(&state, me).await
}
