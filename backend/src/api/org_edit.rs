//! Changing the organisation by hand: a class's counselor and class advisor (admins, or the
//! college's leader), and a student's own data (admins, the college's leader, the student's
//! counselor; a class advisor only reads). Changes to sensitive fields go to the audit log.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::org::edit;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::org::Class;
use shared::org_edit::{ClassStaff, StudentUpdate};
use shared::{ClassId, StudentId};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_class_staff)).routes(routes!(update_student))
}

/// Sets a class's counselor and class advisor (either may be empty).
#[utoipa::path(put, path = "/api/classes/{id}/staff", tag = "organisation", request_body = ClassStaff,
    params(("id" = i64, Path, description = "Class id")),
    responses((status = 200, body = Class), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn set_class_staff(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<ClassId>,
    Json(body): Json<ClassStaff>,
) -> Result<Json<Class>> {
    Ok(Json(edit::set_class_staff(&state, &user, id, body).await?))
}

/// Changes a student's name, class, studies and home; 422 with a message per wrong field.
#[utoipa::path(put, path = "/api/students/{id}", tag = "organisation", request_body = StudentUpdate,
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 204), (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn update_student(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<StudentId>,
    Json(body): Json<StudentUpdate>,
) -> Result<StatusCode> {
    edit::update_student(&state, &user, id, body).await?;
    Ok(StatusCode::NO_CONTENT)
}
