//! Sessions: the cookie, the sliding expiry, and the middleware that resolves the current user.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::role::Role;

use super::token;
use crate::db::{self, sessions, users};
use crate::error::AppError;
use crate::state::AppState;

pub const COOKIE: &str = "rihub_session";
/// Thirty days: long enough for a conference trip without signing in again.
pub const TTL_SECS: i64 = 30 * 24 * 3600;
/// The expiry is pushed forward at most once an hour, so reads do not all become writes.
const SLIDE_AFTER_SECS: i64 = 3600;

/// The signed-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub lang: Option<String>,
}

impl CurrentUser {
    /// Refuses unless the permission table allows `action` in `scope`.
    pub fn require(&self, action: Action, scope: Scope) -> Result<(), AppError> {
        if permissions::allows(&self.roles, action, scope) { Ok(()) } else { Err(AppError::Forbidden) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<CurrentUser>().cloned().ok_or(AppError::Unauthenticated)
    }
}

/// The `Set-Cookie` value that stores `token` for the session's lifetime.
pub fn cookie(token: &str, secure: bool) -> String {
    set_cookie(token, TTL_SECS, secure)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn removal_cookie(secure: bool) -> String {
    set_cookie("", 0, secure)
}

fn set_cookie(value: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

/// The session token of a request's cookie, if it has a well-formed one.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|t| token::looks_valid(t))
}

/// Resolves the session cookie (if any) into a `CurrentUser` extension, slides its expiry, and
/// refuses state-changing requests whose Origin is another site.
pub async fn middleware(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let origin = request.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if origin.is_some_and(|o| o != &*state.origin) {
            return AppError::BadOrigin.into_response();
        }
    }
    let mut refreshed = None;
    if let Some(token) = session_token(request.headers()) {
        match resolve(&state, &token).await {
            Ok(Some((user, slid))) => {
                request.extensions_mut().insert(user);
                if slid {
                    refreshed = Some(token);
                }
            }
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    let mut response = next.run(request).await;
    if let Some(token) = refreshed {
        let already_set = response.headers().contains_key(header::SET_COOKIE);
        if let (false, Ok(v)) = (already_set, HeaderValue::from_str(&cookie(&token, state.secure_cookies))) {
            response.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    response
}

/// The user of a session token, if the session is live and the account enabled; and whether
/// its expiry was pushed forward. A session resolved a moment ago is not read again
/// (`super::resolved`).
pub async fn resolve(state: &AppState, token: &str) -> Result<Option<(CurrentUser, bool)>, db::DbError> {
    let hash = token::hash(token);
    let now = db::now();
    if let Some(user) = state.sessions.fresh(&hash, now) {
        return Ok(Some((user, false)));
    }
    let Some(session) = sessions::get(&state.db, &hash).await? else {
        return Ok(None);
    };
    if session.expires_at <= now {
        sessions::delete(&state.db, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::by_id(&state.db, &session.user).await?.filter(|u| !u.disabled) else {
        return Ok(None);
    };
    let slide = now + TTL_SECS - session.expires_at > SLIDE_AFTER_SECS;
    let expires_at = if slide { now + TTL_SECS } else { session.expires_at };
    if slide {
        sessions::extend(&state.db, &hash, expires_at).await?;
    }
    let user = CurrentUser { id: user.id, email: user.email, name: user.name, roles: user.roles, lang: user.lang };
    state.sessions.keep(hash, user.clone(), expires_at);
    Ok(Some((user, slide)))
}
