//! Retention and a family's rights (issue 19 items 3 and 4): a campaign's periods with the dry
//! run (`crate::retention`), and the export, correction and erasure of one student's data
//! (`crate::privacy::rights`).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use shared::retention::{CampaignRetention, RetentionPeriods, RightsDone, RightsRequest};
use shared::{CampaignId, StudentId};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::privacy::rights;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_retention, put_retention))
        .routes(routes!(export_student))
        .routes(routes!(correct_student))
        .routes(routes!(erase_student))
}

/// The campaign's retention periods and the dry run: when each kind expires and what the next
/// run would remove (admins).
#[utoipa::path(get, path = "/api/campaigns/{id}/retention", tag = "privacy",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignRetention), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_retention(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
) -> Result<Json<CampaignRetention>> {
    Ok(Json(crate::retention::dry_run(&state.db, &user, id).await?))
}

/// Sets the campaign's retention periods, in days after it closes (admins; 0–3650, 422 per field).
#[utoipa::path(put, path = "/api/campaigns/{id}/retention", tag = "privacy", request_body = RetentionPeriods,
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignRetention), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn put_retention(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
    Json(periods): Json<RetentionPeriods>,
) -> Result<Json<CampaignRetention>> {
    Ok(Json(crate::retention::save_periods(&state.db, &user, id, periods).await?))
}

/// Everything held about the student and their guardians, as one JSON file, every table that
/// mentions them (admins; a college's leader for their college). The reason is required (422).
#[utoipa::path(post, path = "/api/students/{id}/rights/export", tag = "privacy", request_body = RightsRequest,
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, description = "The JSON file", content_type = "application/json", body = Object),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn export_student(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<StudentId>,
    Json(request): Json<RightsRequest>,
) -> Result<Response> {
    let data = rights::export(&state, &user, id, request).await?;
    let disposition = format!("attachment; filename=\"student-{id}-data.json\"");
    let body = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(([(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, disposition)], body)
        .into_response())
}

/// Records a family's request to correct the student's or guardians' data, with the reason;
/// the changes are then made with the edit routes (each audited).
#[utoipa::path(post, path = "/api/students/{id}/rights/correction", tag = "privacy", request_body = RightsRequest,
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, body = RightsDone), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn correct_student(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<StudentId>,
    Json(request): Json<RightsRequest>,
) -> Result<Json<RightsDone>> {
    Ok(Json(rights::correction(&state, &user, id, request).await?))
}

/// Erases the student's and guardians' personal data, keeping the figures and the audit log.
#[utoipa::path(post, path = "/api/students/{id}/rights/erase", tag = "privacy", request_body = RightsRequest,
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, body = RightsDone), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn erase_student(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<StudentId>,
    Json(request): Json<RightsRequest>,
) -> Result<Json<RightsDone>> {
    Ok(Json(rights::erase(&state, &user, id, request).await?))
}
