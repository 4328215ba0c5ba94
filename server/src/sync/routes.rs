//! Sync over HTTP, for clients and scripts that cannot hold a socket: push mutations, pull the
//! change log by sequence number. See docs/sync-protocol.md.

use axum::Json;
use axum::extract::State;
use rihub_domain::error_code::ErrorCode;
use rihub_domain::permissions::{Action, Scope};
use rihub_domain::sync::mutation::Mutation;
use rihub_domain::sync::wire::{MAX_PULL, MAX_PUSH, PullQuery, PullResponse, PushRequest, PushResponse, PushResult, SnapshotResponse};

use crate::auth::current_user::CurrentUser;
use crate::db::sync;
use crate::error::{ApiJson, ApiQuery, AppError, AppResult};
use crate::limits::Counted;
use crate::state::AppState;

pub async fn push_mutations(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(body): ApiJson<PushRequest>,
) -> AppResult<Json<PushResponse>> {
    Ok(Json(PushResponse { results: push_all(&state, &user, &body.mutations).await? }))
}

/// Applies mutations in order (over HTTP or the socket), stopping after a gap.
pub async fn push_all(state: &AppState, user: &CurrentUser, mutations: &[Mutation]) -> AppResult<Vec<PushResult>> {
    if mutations.len() > MAX_PUSH {
        return Err(AppError::BadRequest {
            code: ErrorCode::TooManyMutations,
            message: format!("send at most {MAX_PUSH} mutations per push"),
        });
    }
    state.limits.count(&user.session, Counted::Push, state.db.clock().now_millis()).map_err(AppError::LimitReached)?;
    let outcomes = sync::apply_all(&state.db, &user.id, &user.roles, mutations).await?;
    Ok(mutations.iter().zip(outcomes).map(|(m, outcome)| PushResult { seq: m.seq, outcome }).collect())
}

pub async fn pull_changes(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> AppResult<Json<PullResponse>> {
    user.require(Action::Read, Scope::Global)?;
    let limit = query.limit.unwrap_or(MAX_PULL).clamp(1, MAX_PULL);
    let changes = sync::for_reader(sync::changes_after(&state.db, query.cursor, limit).await?, &user.roles);
    let head = sync::head(&state.db).await?;
    Ok(Json(PullResponse { changes, head }))
}

/// Every record at once, for a client too far behind to replay the log.
pub async fn get_snapshot(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<SnapshotResponse>> {
    user.require(Action::Read, Scope::Global)?;
    let (head, records) = sync::snapshot(&state.db, &user.roles).await?;
    Ok(Json(SnapshotResponse { head, records }))
}
