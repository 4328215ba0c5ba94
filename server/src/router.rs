//! Every route in one list.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post, put};

use crate::local_admin;
use crate::routes::{admin, auth, health, initiatives, invites, projects};
use crate::search::routes as search;
use crate::state::AppState;
use crate::sync::{routes as sync, socket as sync_socket};

/// Largest request body accepted. Records are text; a megabyte is far beyond any real edit.
pub const BODY_LIMIT: usize = 1024 * 1024;

pub fn api(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/api/auth/login", post(auth::login))
        .route("/api/auth/logout", post(auth::logout))
        .route("/api/me", get(auth::me))
        .route("/api/me/lang", put(auth::set_lang))
        .route("/api/initiatives", get(initiatives::list_initiatives).post(initiatives::create_initiative))
        .route(
            "/api/initiatives/{id}",
            get(initiatives::get_initiative).put(initiatives::update_initiative).delete(initiatives::delete_initiative),
        )
        .route("/api/projects", post(projects::create_project))
        .route("/api/projects/{id}", get(projects::get_project).put(projects::update_project).delete(projects::delete_project))
        .route("/api/search", get(search::search))
        .route("/api/similar/{kind}/{id}", get(search::similar))
        .route("/api/duplicates", get(search::duplicates))
        .route("/api/admin/users", get(admin::list_users))
        .route("/api/admin/users/{id}/roles", put(admin::set_roles))
        .route("/api/admin/users/{id}/disabled", put(admin::set_disabled))
        .route("/api/admin/invites", post(admin::create_invite))
        .route("/api/admin/local/user", post(local_admin::user_command))
        .route("/api/admin/local/backup", get(local_admin::backup))
        .route("/api/sync/push", post(sync::push_mutations))
        .route("/api/sync/pull", get(sync::pull_changes))
        .route("/api/sync/snapshot", get(sync::get_snapshot))
        .route("/api/sync/socket", get(sync_socket::sync_socket))
        .route("/api/invites/{token}", get(invites::show_invite).post(invites::accept_invite))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(state)
}

async fn api_not_found() -> crate::error::AppError {
    crate::error::AppError::NotFound("this API route")
}
