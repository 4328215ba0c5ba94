//! Signing in and out, and who am I.

use std::net::SocketAddr;

use axum::Json;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use rihub_domain::api::{LoginRequest, Me};
use rihub_domain::lang::Lang;
use serde::Deserialize;

use crate::auth::current_user::CurrentUser;
use crate::auth::session;
use crate::auth::{password, throttle, token};
use crate::db::{sessions, users};
use crate::error::{ApiJson, AppError, AppResult};
use crate::state::AppState;

impl From<&CurrentUser> for Me {
    fn from(u: &CurrentUser) -> Me {
        Me { id: u.id.clone(), email: u.email.clone(), name: u.name.clone(), roles: u.roles.clone(), lang: u.lang.clone() }
    }
}

/// Signs in, throttled per account and address (`crate::auth::throttle`); the password is
/// checked off the async workers.
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> AppResult<Response> {
    let email = users::normalize_email(&body.email);
    // No account has an address or a password this long: nothing to count or check.
    if email.len() > users::MAX_EMAIL || body.password.len() > password::MAX_LENGTH * 4 {
        return Err(AppError::BadCredentials);
    }
    let address = throttle::client_address(peer.ip(), &headers, &state.trusted_proxies);
    let attempt = throttle::begin(&state.db, &email, address, state.limits.ceilings.sign_ins_per_account)
        .await?
        .map_err(|retry_after| AppError::RateLimited { retry_after })?;
    if attempt.slow {
        tokio::time::sleep(throttle::SLOWED).await;
    }
    let user = users::by_email(&state.db, &email).await?;
    let matches = password::verify_off_workers(&body.password, user.as_ref().map(|u| u.password_hash.clone())).await;
    let user = user.filter(|u| matches && !u.disabled);
    throttle::finish(&state.db, &attempt, user.is_some()).await?;
    let Some(user) = user else {
        tracing::info!(%address, "failed sign-in");
        return Err(AppError::BadCredentials);
    };
    tracing::info!(user = %user.id, %address, "signed in");
    let me = Me { id: user.id, email: user.email, name: user.name, roles: user.roles, lang: user.lang };
    start_session(&state, me).await
}

/// Live sessions a person may hold (phones, laptops, browsers); signing in once more ends the
/// oldest.
pub const MAX_SESSIONS_PER_USER: usize = 20;

/// Opens a session for `me` and answers with `me` and the session cookie.
pub async fn start_session(state: &AppState, me: Me) -> AppResult<Response> {
    let token = token::new_token();
    let now = state.db.now();
    let policy = state.session_policy;
    sessions::create(&state.db, &token::hash(&token), &me.id, policy.expires_at(now, now), MAX_SESSIONS_PER_USER).await?;
    state.revocations.nudge();
    let max_age = policy.expires_at(now, i64::MAX / 2).saturating_sub(now);
    with_cookie(Json(me), &session::cookie(&token, max_age, state.secure_cookies))
}

/// Ends the session of the request's cookie, here and in every process (its sockets close).
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> AppResult<Response> {
    if let Some(token) = session::session_token(&headers) {
        let hash = token::hash(&token);
        sessions::delete(&state.db, &hash).await?;
        state.sessions.forget(&hash);
        state.revocations.nudge();
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
pub async fn set_lang(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<LangRequest>,
) -> AppResult<axum::http::StatusCode> {
    users::set_lang(&state.db, &user.id, body.lang.code()).await?;
    state.sessions.forget_user(&user.id);
    Ok(axum::http::StatusCode::NO_CONTENT)
}
