//! Sessions: the cookie, the sliding expiry, and the middleware that resolves the current user.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::role::Role;

use super::token;
use crate::db::{self, sessions, users};
use crate::error::AppError;
use crate::state::AppState;

pub const COOKIE: &str = "rihub_session";
/// A session's last use is written at most once an hour, so reads do not all become writes.
const TOUCH_AFTER_SECS: i64 = 3600;

/// The signed-in user of a request, and the session it came with.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: String,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub lang: Option<String>,
    /// The SHA-256 of the session's token.
    pub session: String,
    /// When the session ends unless it is used again (seconds since the epoch).
    pub expires_at: i64,
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

/// The `Set-Cookie` value that stores `token` for `max_age` seconds (the session's longest
/// life; the server ends it sooner when it is not used).
pub fn cookie(token: &str, max_age: i64, secure: bool) -> String {
    set_cookie(token, max_age, secure)
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

/// Resolves the session cookie (if any) into a `CurrentUser` extension, and refuses
/// state-changing requests whose Origin is another site.
pub async fn middleware(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let origin = request.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if origin.is_some_and(|o| o != &*state.origin) {
            return AppError::BadOrigin.into_response();
        }
    }
    if let Some(token) = session_token(request.headers()) {
        match resolve(&state, &token).await {
            Ok(Some(user)) => {
                request.extensions_mut().insert(user);
            }
            Ok(None) => {}
            Err(e) => return AppError::from(e).into_response(),
        }
    }
    next.run(request).await
}

/// The user of a session token, if the session is live and the account enabled. Records the
/// use (at most once an hour). A session resolved a moment ago is not read again
/// (`super::resolved`).
pub async fn resolve(state: &AppState, token: &str) -> Result<Option<CurrentUser>, db::DbError> {
    let hash = token::hash(token);
    let now = state.db.now();
    if let Some(user) = state.sessions.fresh(&hash, now) {
        return Ok(Some(user));
    }
    let Some(session) = sessions::get(&state.db, &hash).await? else {
        return Ok(None);
    };
    if state.session_policy.expires_at(session.created_at, session.last_used_at) <= now {
        sessions::delete(&state.db, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::by_id(&state.db, &session.user).await?.filter(|u| !u.disabled) else {
        return Ok(None);
    };
    let mut last_used_at = session.last_used_at;
    let mut expires_at = state.session_policy.expires_at(session.created_at, last_used_at);
    if now - last_used_at >= TOUCH_AFTER_SECS {
        last_used_at = now;
        expires_at = state.session_policy.expires_at(session.created_at, now);
        sessions::touch(&state.db, &hash, expires_at).await?;
    }
    let user = CurrentUser {
        id: user.id,
        email: user.email,
        name: user.name,
        roles: user.roles,
        lang: user.lang,
        session: hash.clone(),
        expires_at,
    };
    state.sessions.keep(hash, user.clone(), expires_at.min(last_used_at + TOUCH_AFTER_SECS));
    Ok(Some(user))
}
