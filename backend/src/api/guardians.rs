//! A student's parents and guardians by hand: add, change, remove. The same people may do it
//! as may edit the student; a guardian's phone is sensitive, so changes to it are audited.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::org::guardians;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::org::Guardian;
use shared::org_edit::GuardianInput;
use shared::{GuardianId, StudentId};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(add_guardian)).routes(routes!(update_guardian, delete_guardian))
}

/// Adds a parent or guardian to a student.
#[utoipa::path(post, path = "/api/students/{id}/guardians", tag = "organisation", request_body = GuardianInput,
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, body = Guardian), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn add_guardian(
    State(state): State<AppState>,
    user: StaffUser,
    Path(student_id): Path<StudentId>,
    Json(body): Json<GuardianInput>,
) -> Result<Json<Guardian>> {
    Ok(Json(guardians::add_guardian(&state, &user, student_id, body).await?))
}

/// Changes a parent's or guardian's name, relation or phone.
#[utoipa::path(put, path = "/api/guardians/{id}", tag = "organisation", request_body = GuardianInput,
    params(("id" = i64, Path, description = "Guardian id")),
    responses((status = 200, body = Guardian), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn update_guardian(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<GuardianId>,
    Json(body): Json<GuardianInput>,
) -> Result<Json<Guardian>> {
    Ok(Json(guardians::update_guardian(&state, &user, id, body).await?))
}

/// Removes a parent or guardian from a student.
#[utoipa::path(delete, path = "/api/guardians/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Guardian id")),
    responses((status = 204), (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn delete_guardian(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<GuardianId>,
) -> Result<StatusCode> {
    guardians::delete_guardian(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
