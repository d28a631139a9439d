//! Active staff by role and college, for the pickers of class staff and visit teams: admins
//! any college, a college leader their own.

use crate::auth::StaffUser;
use crate::error::{Json, Query, Result};
use crate::org::staff;
use crate::AppState;
use axum::extract::State;
use shared::users::{StaffQuery, StaffRef};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_staff))
}

/// Active staff, by name, for pickers.
#[utoipa::path(get, path = "/api/staff", tag = "users", params(StaffQuery),
    responses((status = 200, body = Vec<StaffRef>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn list_staff(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<StaffQuery>,
) -> Result<Json<Vec<StaffRef>>> {
    Ok(Json(staff::list_staff(&state, &user, query).await?))
}
