//! The signed-in user of a request, as handlers take it.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rihub_domain::permissions::{self, Action, Scope};
use rihub_domain::role::Role;

use crate::error::AppError;

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
