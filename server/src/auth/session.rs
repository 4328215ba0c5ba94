//! Sessions: the cookie, the sliding expiry, and the middleware that resolves the current user.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::current_user::CurrentUser;
use super::resolved::Resolved;
use super::token;
use crate::config::SessionPolicy;
use crate::db::{self, Db, sessions, users};
use crate::error::AppError;

pub const COOKIE: &str = "rihub_session";
/// A session's last use is written at most once an hour, so reads do not all become writes.
const TOUCH_AFTER_SECS: i64 = 3600;

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

/// What checking a request's session needs, from the state of the server that holds it.
pub trait SessionState: Clone + Send + Sync + 'static {
    /// The public origin (scheme://host[:port]) requests must come from.
    fn origin(&self) -> &str;
    fn sessions(&self) -> Sessions<'_>;
}

/// Where sessions are read: the database, the ones this process resolved a moment ago, and how
/// long sessions live.
#[derive(Clone, Copy)]
pub struct Sessions<'a> {
    pub db: &'a Db,
    pub resolved: &'a Resolved,
    pub policy: SessionPolicy,
}

/// Resolves the session cookie (if any) into a `CurrentUser` extension, and refuses
/// state-changing requests whose Origin is another site.
pub async fn middleware<S: SessionState>(State(state): State<S>, mut request: Request, next: Next) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let origin = request.headers().get(header::ORIGIN).and_then(|o| o.to_str().ok());
        if origin.is_some_and(|o| o != state.origin()) {
            return AppError::BadOrigin.into_response();
        }
    }
    if let Some(token) = session_token(request.headers()) {
        match resolve(state.sessions(), &token).await {
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
pub async fn resolve(state: Sessions<'_>, token: &str) -> Result<Option<CurrentUser>, db::DbError> {
    let hash = token::hash(token);
    let now = state.db.now();
    if let Some(user) = state.resolved.fresh(&hash, now) {
        return Ok(Some(user));
    }
    let Some(session) = sessions::get(state.db, &hash).await? else {
        return Ok(None);
    };
    if state.policy.expires_at(session.created_at, session.last_used_at) <= now {
        sessions::delete(state.db, &hash).await?;
        return Ok(None);
    }
    let Some(user) = users::by_id(state.db, &session.user).await?.filter(|u| !u.disabled) else {
        return Ok(None);
    };
    let mut last_used_at = session.last_used_at;
    let mut expires_at = state.policy.expires_at(session.created_at, last_used_at);
    if now - last_used_at >= TOUCH_AFTER_SECS {
        last_used_at = now;
        expires_at = state.policy.expires_at(session.created_at, now);
        sessions::touch(state.db, &hash, expires_at).await?;
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
    state.resolved.keep(hash, user.clone(), expires_at.min(last_used_at + TOUCH_AFTER_SECS));
    Ok(Some(user))
}
