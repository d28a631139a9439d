//! The counselor's view of a meeting over HTTP: every family and its answer, the waitlist,
//! concerns by topic, and attendance taken at the meeting (`crate::meetings::signups`).

use axum::extract::State;
use shared::meetings::{AttendanceMark, ConcernGroup, Signups};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::meetings::{self, signups as families};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(signups)).routes(routes!(concerns)).routes(routes!(mark_attendance))
}

/// Every family of the class with its answer; the waitlist in order of arrival.
#[utoipa::path(get, path = "/api/meetings/{id}/signups", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Signups), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn signups(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Json<Signups>> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    Ok(Json(families::signups(&state.db, &meeting).await?))
}

/// Concerns families raised, grouped by topic. Mental health and family finances are sensitive:
/// only for callers whose scope holds the class (the class's counselor and advisor, the college
/// leader, admins), and each read of them is written to the audit log.
#[utoipa::path(get, path = "/api/meetings/{id}/concerns", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Vec<ConcernGroup>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn concerns(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ConcernGroup>>> {
    // 403 for anyone whose scope does not hold the class: the sensitive topics never leave here
    // for them, and neither do the others.
    meetings::visible(&state.db, &user, id).await?;
    Ok(Json(families::concerns(&state.db, &user, id).await?))
}

/// Marks a family present or absent at the meeting (tapping names on the tablet).
#[utoipa::path(post, path = "/api/meetings/{id}/attendance", tag = "meetings", request_body = AttendanceMark,
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Signups), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn mark_attendance(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(mark): Json<AttendanceMark>,
) -> Result<Json<Signups>> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    families::mark_attendance(&state.db, &user, &meeting, &mark).await?;
    let meeting = meetings::visible(&state.db, &user, id).await?;
    Ok(Json(families::signups(&state.db, &meeting).await?))
}
