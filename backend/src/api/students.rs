//! Students: a searchable, paged list, a student's page with guardians and their history.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Query, Result};
use crate::org::{history, students};
use crate::AppState;
use axum::extract::State;
use shared::history::StudentHistory;
use shared::org::{StudentDetail, StudentQuery, StudentSummary};
use shared::Page;
use shared::StudentId;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_students)).routes(routes!(get_student)).routes(routes!(student_history))
}

/// Students the caller may see, filtered and paged, by name. Filtering by hardship level is a
/// read of it, written to the audit log (each student listed, the filter and the number found).
#[utoipa::path(get, path = "/api/students", tag = "organisation", params(StudentQuery),
    responses((status = 200, body = Page<StudentSummary>), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn list_students(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<StudentQuery>,
) -> Result<Json<Page<StudentSummary>>> {
    Ok(Json(students::list_students(&state, &user, query).await?))
}

/// A student's page with guardians. Home address, guardian phones and hardship level only for
/// those who may see them; each such read is written to the audit log.
#[utoipa::path(get, path = "/api/students/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, body = StudentDetail), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_student(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<StudentId>,
) -> Result<Json<StudentDetail>> {
    Ok(Json(students::get_student(&state, &user, id).await?))
}

/// A student's history across campaigns: visits (newest first), the family's meeting answers and
/// attendance, concerns, follow-ups and hardship aid received. Each part only as far as the caller
/// may see it there (`meetings` and `aid` are `null` when not); reads of sensitive concerns and of
/// aid are audited. 404 for a student the caller reaches in no campaign.
#[utoipa::path(get, path = "/api/students/{id}/history", tag = "organisation",
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, body = StudentHistory), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn student_history(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<StudentId>,
) -> Result<Json<StudentHistory>> {
    Ok(Json(history::history(&state, &user, id).await?))
}
