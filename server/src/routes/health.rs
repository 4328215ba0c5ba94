//! `GET /healthz`: the process is up and the database answers.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::error::AppResult;
use crate::state::AppState;

pub async fn healthz(State(state): State<AppState>) -> AppResult<Json<Value>> {
    state.db.run("RETURN 1", json!({})).await?;
    Ok(Json(json!({"status": "ok"})))
}
