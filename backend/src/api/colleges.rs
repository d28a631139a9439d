//! Colleges, as far as the caller may see them.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::org::colleges;
use crate::AppState;
use axum::extract::State;
use shared::org::{Class, College};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_colleges)).routes(routes!(college_classes))
}

/// Colleges with at least one class the caller may see (all of them for admins).
#[utoipa::path(get, path = "/api/colleges", tag = "organisation",
    responses((status = 200, body = Vec<College>), (status = 401, body = shared::ApiError)))]
async fn list_colleges(State(state): State<AppState>, user: StaffUser) -> Result<Json<Vec<College>>> {
    Ok(Json(colleges::list_colleges(&state, &user).await?))
}

/// The classes of one college that the caller may see.
#[utoipa::path(get, path = "/api/colleges/{id}/classes", tag = "organisation",
    params(("id" = i64, Path, description = "College id")),
    responses((status = 200, body = Vec<Class>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn college_classes(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Class>>> {
    Ok(Json(colleges::college_classes(&state, &user, id).await?))
}
