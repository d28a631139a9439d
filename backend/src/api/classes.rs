//! Classes, as far as the caller may see them.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::org::classes;
use crate::AppState;
use axum::extract::State;
use shared::org::Class;
use shared::ClassId;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_class))
}

/// One class.
#[utoipa::path(get, path = "/api/classes/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Class id")),
    responses((status = 200, body = Class), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_class(State(state): State<AppState>, user: StaffUser, Path(id): Path<ClassId>) -> Result<Json<Class>> {
    Ok(Json(classes::get_class(&state, &user, id).await?))
}
