//! Signing in and out, and who am I.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rihub_domain::lang::Lang;
use rihub_domain::api::{LoginRequest, Me};
use serde::Deserialize;

use crate::auth::session::{self, CurrentUser, TTL_SECS};
use crate::auth::{password, token};
use crate::db::{self, sessions, users};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;

impl From<&CurrentUser> for Me {
    fn from(u: &CurrentUser) -> Me {
        Me { id: u.id.clone(), email: u.email.clone(), name: u.name.clone(), roles: u.roles.clone(), lang: u.lang.clone() }
    }
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    let email = users::normalize_email(&body.email);
    let address = peer.ip().to_string();
    state.login_limiter.check(&email, &address).map_err(|retry_after| AppError::RateLimited { retry_after })?;
    let user = users::by_email(&state.db, &email).await?;
    let candidate = body.password.get(..password::MAX_LENGTH * 4).unwrap_or(&body.password);
    // Verify against a dummy hash when there is no such account, so both cases cost the same.
    let stored = user.as_ref().map(|u| u.password_hash.as_str()).unwrap_or(password::dummy_hash());
    let matches = password::verify(candidate, stored);
    let user = match user {
        Some(u) if matches && !u.disabled => u,
        _ => {
            state.login_limiter.record_failure(&email, &address);
            tracing::info!(%address, "failed login");
            return Err(AppError::BadCredentials);
        }
    };
    state.login_limiter.record_success(&email);
    tracing::info!(user = %user.id, "signed in");
    let me = Me { id: user.id, email: user.email, name: user.name, roles: user.roles, lang: user.lang };
    start_session(&state, me).await
}

/// Opens a session for `me` and answers with `me` and the session cookie.
pub async fn start_session(state: &AppState, me: Me) -> AppResult<Response> {
    let token = token::new_token();
    let now = db::now();
    sessions::create(&state.db, &token::hash(&token), &me.id, now, now + TTL_SECS).await?;
    with_cookie(Json(me), &session::cookie(&token, state.secure_cookies))
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    let token = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().strip_prefix(session::COOKIE).and_then(|r| r.strip_prefix('=')))
        .find(|t| token::looks_valid(t));
    if let Some(token) = token {
        let hash = token::hash(token);
        sessions::delete(&state.db, &hash).await?;
        state.sessions.forget(&hash);
    }
    with_cookie(axum::http::StatusCode::NO_CONTENT, &session::removal_cookie(state.secure_cookies))
}

fn with_cookie(body: impl IntoResponse, cookie: &str) -> AppResult<Response> {
    let mut response = body.into_response();
    let value = HeaderValue::from_str(cookie).map_err(|e| AppError::Internal(e.to_string()))?;
    response.headers_mut().insert(header::SET_COOKIE, value);
    Ok(response)
}

pub async fn me(user: CurrentUser) -> Json<Me> {
    Json(Me::from(&user))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangRequest {
    pub lang: Lang,
}

/// Remembers the user's interface language on their account.
pub async fn set_lang(State(state): State<AppState>, user: CurrentUser, ApiJson(body): ApiJson<LangRequest>) -> AppResult<axum::http::StatusCode> {
    users::set_lang(&state.db, &user.id, body.lang.code()).await?;
    state.sessions.forget_user(&user.id);
    Ok(axum::http::StatusCode::NO_CONTENT)
}
