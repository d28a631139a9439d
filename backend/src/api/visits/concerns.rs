//! `GET /api/visits/concerns`: the open concerns of a campaign's parents' meetings, for the plan
//! list, the plan form and the visit form (`crate::visits::concerns`).

use axum::extract::State;
use shared::concerns::{ConcernQuery, OpenConcern};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Query, Result};
use crate::visits::concerns;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(open_concerns))
}

/// Concerns families raised at the campaign's parents' meetings that no visit has addressed yet,
/// for the students the caller can visit (one student's with `student_id`). Mental health and
/// family finances only for staff whose own scope holds the student (each read audited).
#[utoipa::path(get, path = "/api/visits/concerns", tag = "visits", params(ConcernQuery),
    responses((status = 200, body = Vec<OpenConcern>), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn open_concerns(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<ConcernQuery>,
) -> Result<Json<Vec<OpenConcern>>> {
    Ok(Json(concerns::open(&state, &user, &q).await?))
}
