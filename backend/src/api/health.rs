use axum::extract::State;
use shared::Health;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{Json, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(health))
}

/// Whether the server and its database answer.
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses((status = 200, body = Health), (status = 500, body = shared::ApiError)))]
async fn health(State(state): State<AppState>) -> Result<Json<Health>> {
    state.db.ping().await?;
    Ok(Json(Health { status: "ok".into(), database: state.db.kind.name().into() }))
}
