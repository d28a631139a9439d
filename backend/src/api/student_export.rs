//! `GET /api/students/export.xlsx`: the students the caller may see, filtered like the student
//! list, as a roster file that imports back unchanged (`crate::org::student_export`).

use axum::extract::State;
use axum::response::Response;
use shared::imports::StudentExportQuery;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Query, Result};
use crate::org::student_export;
use crate::AppState;

use super::{xlsx_download, XLSX};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export_students))
}

/// The students as an xlsx file under the roster template's headers (docs/roster-template.md).
#[utoipa::path(get, path = "/api/students/export.xlsx", tag = "organisation", params(StudentExportQuery),
    responses((status = 200, description = "The xlsx file", content_type = XLSX, body = Vec<u8>),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 422, body = shared::ApiError), (status = 429, body = shared::ApiError)))]
async fn export_students(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<StudentExportQuery>,
) -> Result<Response> {
    let bytes = student_export::export_students(&state, &user, query).await?;
    let filename = format!("students-{}.xlsx", chrono::Utc::now().format("%Y%m%d"));
    Ok(xlsx_download(&filename, bytes))
}
