//! User administration: list accounts, change roles, disable, invite. Admins only.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use rihub_domain::api::{InviteCreated, NewInvite, SetDisabled, SetRoles, UserSummary};
use rihub_domain::error_code::ErrorCode;
use rihub_domain::permissions::{Action, Scope};
use rihub_domain::role::Role;
use rihub_domain::validation::{Errors, FieldError, Problem, limits};

use crate::auth::current_user::CurrentUser;
use crate::auth::token;
use crate::db::{invites, users};
use crate::error::{ApiJson, ApiPath, AppError, AppResult};
use crate::state::AppState;

/// An invitation link works for seven days.
const INVITE_TTL_SECS: i64 = 7 * 24 * 3600;

fn summary(u: users::UserView) -> UserSummary {
    UserSummary { id: u.id, email: u.email, name: u.name, disabled: u.disabled, roles: u.roles }
}

pub async fn list_users(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Vec<UserSummary>>> {
    user.require(Action::ManageUsers, Scope::Global)?;
    Ok(Json(users::list(&state.db).await?.into_iter().map(summary).collect()))
}

/// Checks and normalizes roles given by an admin; errors name the offending role.
pub fn validate_roles(roles: Vec<Role>) -> AppResult<Vec<Role>> {
    let mut out: Vec<Role> = Vec::with_capacity(roles.len());
    let mut problems = Vec::new();
    for (i, role) in roles.into_iter().enumerate() {
        match role.validated() {
            Ok(r) if out.contains(&r) => problems.push(FieldError { field: format!("roles.{i}"), problem: Problem::Duplicate }),
            Ok(r) => out.push(r),
            Err(_) => problems.push(FieldError { field: format!("roles.{i}"), problem: Problem::UnknownCode }),
        }
    }
    if out.len() > 20 {
        problems.push(FieldError { field: "roles".into(), problem: Problem::TooMany });
    }
    if problems.is_empty() { Ok(out) } else { Err(AppError::Invalid(problems)) }
}

pub async fn set_roles(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<SetRoles>,
) -> AppResult<StatusCode> {
    user.require(Action::ManageUsers, Scope::Global)?;
    let roles = validate_roles(body.roles)?;
    // An admin removing their own admin role could leave nobody able to manage users.
    if id == user.id && !roles.contains(&Role::Admin) {
        return Err(AppError::Conflict {
            code: ErrorCode::LastAdmin,
            message: "you cannot remove your own admin role".into(),
            current: None,
        });
    }
    if !users::set_roles(&state.db, &id, &roles).await? {
        return Err(AppError::NotFound("user"));
    }
    state.sessions.forget_user(&id);
    state.revocations.nudge();
    tracing::info!(target_user = %id, by = %user.id, "roles changed");
    Ok(StatusCode::NO_CONTENT)
}

pub async fn set_disabled(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<SetDisabled>,
) -> AppResult<StatusCode> {
    user.require(Action::ManageUsers, Scope::Global)?;
    if id == user.id && body.disabled {
        return Err(AppError::Conflict {
            code: ErrorCode::SelfDisable,
            message: "you cannot disable your own account".into(),
            current: None,
        });
    }
    if !users::set_disabled(&state.db, &id, body.disabled).await? {
        return Err(AppError::NotFound("user"));
    }
    state.sessions.forget_user(&id);
    state.revocations.nudge();
    tracing::info!(target_user = %id, by = %user.id, disabled = body.disabled, "account status changed");
    Ok(StatusCode::NO_CONTENT)
}

pub async fn create_invite(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<NewInvite>,
) -> AppResult<(StatusCode, Json<InviteCreated>)> {
    user.require(Action::ManageUsers, Scope::Global)?;
    let email = users::normalize_email(&body.email);
    let mut problems = Vec::new();
    if !looks_like_email(&email) {
        problems.push(FieldError { field: "email".into(), problem: Problem::BadFormat });
    }
    let mut errors = Errors::default();
    errors.required_line("name", &body.name, limits::NAME);
    problems.extend(errors.finish().err().unwrap_or_default());
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let roles = validate_roles(body.roles)?;
    if users::by_email(&state.db, &email).await?.is_some() {
        return Err(AppError::Invalid(vec![FieldError { field: "email".into(), problem: Problem::Duplicate }]));
    }
    let token = token::new_token();
    let expires_at = state.db.now() + INVITE_TTL_SECS;
    invites::create(
        &state.db,
        invites::NewInvite {
            token_hash: &token::hash(&token),
            email: &email,
            name: body.name.trim(),
            roles: &roles,
            invited_by: &user.id,
            expires_at,
        },
    )
    .await?;
    tracing::info!(by = %user.id, "invitation created");
    let link = format!("{}/invite/{token}", state.origin);
    Ok((StatusCode::CREATED, Json(InviteCreated { link, expires_at })))
}

/// A plausible address: something@something.something, no spaces, not absurdly long.
pub fn looks_like_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.contains(char::is_whitespace)
        && !domain.contains('@')
}
