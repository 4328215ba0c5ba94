//! Search, similar records and possible duplicates.

use axum::Json;
use axum::extract::State;
use rihub_domain::search::{Filters, Found, Pair, may_review_duplicates};
use rihub_domain::sync::record::{Kind, RecordKey};
use rihub_domain::validation::{FieldError, Problem, limits};
use serde::Deserialize;

use crate::auth::current_user::CurrentUser;
use crate::error::{ApiPath, ApiQuery, AppError, AppResult};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(flatten)]
    filters: Filters,
}

/// `GET /api/search?q=…&region=…&cycle=…&priority=…&status=…&kind=…`
pub async fn search(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> AppResult<Json<Vec<Found>>> {
    if query.q.chars().count() > limits::TITLE {
        return Err(AppError::Invalid(vec![FieldError { field: "q".into(), problem: Problem::TooLong }]));
    }
    Ok(Json(crate::search::documents::search(&state.db, &user.roles, &query.q, &query.filters).await?))
}

/// `GET /api/similar/{kind}/{id}`: the closest records of other regions.
pub async fn similar(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath((kind, id)): ApiPath<(String, String)>,
) -> AppResult<Json<Vec<Found>>> {
    let kind = Kind::from_code(&kind).ok_or(AppError::NotFound("record kind"))?;
    Ok(Json(state.search.similar(&RecordKey { kind, id }, &user.roles)))
}

/// `GET /api/duplicates`: initiatives whose texts overlap, for admins and coordinators.
pub async fn duplicates(State(state): State<AppState>, user: CurrentUser) -> AppResult<Json<Vec<Pair>>> {
    if !may_review_duplicates(&user.roles) {
        return Err(AppError::Forbidden);
    }
    Ok(Json(state.search.duplicates()))
}
