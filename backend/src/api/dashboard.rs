//! The campaign dashboard over HTTP: `GET /api/campaigns/{id}/summary` (the figures, charts and
//! tables, live), `GET /api/campaigns/{id}/participants` (the report's staff line) and
//! `GET /api/campaigns/{id}/export.xlsx`. The figures are `crate::dashboard`'s.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::aid::PriorityList;
use shared::dashboard::{CampaignSummary, SummaryQuery};
use shared::participants::RoleParticipation;
use shared::{CampaignId, StudentId};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::dashboard::{self, export, live, Filter};
use crate::error::{Error, Json, Path, Query, Result};
use crate::{audit, AppState};

const XLSX: &str = export::XLSX;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_summary))
        .routes(routes!(get_participants))
        .routes(routes!(export_xlsx))
        .routes(routes!(get_priority))
        .routes(routes!(get_report))
}

/// The campaign's figures within the caller's scope and the filters, beside the previous campaign's.
/// Live: the answer carries an `ETag` made from the tallies' change counters; the dashboard asks
/// again every few seconds with `If-None-Match` and gets 304 (nothing computed) until a visit,
/// an answer, attendance or feedback changes what it shows.
#[utoipa::path(get, path = "/api/campaigns/{id}/summary", tag = "dashboard", params(("id" = i64, Path), SummaryQuery),
    responses((status = 200, body = CampaignSummary, headers(("ETag" = String, description = "The figures' change tag"))),
              (status = 304, description = "Unchanged since the ETag given in If-None-Match"),
              (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn get_summary(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
    Query(query): Query<SummaryQuery>,
    headers: HeaderMap,
) -> Result<Response> {
    let tag = live::tag(&state.db, id, &query, user.figures_scope()).await?;
    let seen = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok());
    if seen.is_some_and(|seen| live::matches(seen, &tag)) {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response());
    }
    let summary: CampaignSummary = dashboard::summary(&state.db, id, &query, user.figures_scope()).await?;
    Ok(([(header::ETAG, tag)], Json(summary)).into_response())
}

/// The staff who wrote or joined the campaign's visits, by role (the report's staff line),
/// within the caller's figures scope.
#[utoipa::path(get, path = "/api/campaigns/{id}/participants", tag = "dashboard", params(("id" = i64, Path)),
    responses((status = 200, body = Vec<RoleParticipation>),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn get_participants(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
) -> Result<Json<Vec<RoleParticipation>>> {
    Ok(Json(dashboard::participants(&state.db, id, user.figures_scope()).await?))
}

/// The campaign's tables and visit list as an xlsx file. Address and guardian phone only for
/// callers who may see them and ask (`include_sensitive=true`); such an export is audited, one
/// entry per student.
#[utoipa::path(get, path = "/api/campaigns/{id}/export.xlsx", tag = "dashboard", params(("id" = i64, Path), SummaryQuery),
    responses((status = 200, description = "The xlsx file", content_type = XLSX, body = Vec<u8>),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError),
              (status = 429, body = shared::ApiError)))]
async fn export_xlsx(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
    Query(query): Query<SummaryQuery>,
) -> Result<Response> {
    let sensitive = query.include_sensitive.unwrap_or(false);
    if sensitive && !user.scope().sees_sensitive() {
        return Err(Error::Forbidden);
    }
    let summary = dashboard::summary(&state.db, id, &query, user.scope()).await?;
    let filter = Filter::new(id.get(), &query, user.scope())?;
    crate::auth::limits::spend_export(&state.db, user.id, state.config.export_limit_per_user).await?;
    let visits = export::visit_rows(&state.db, &filter, sensitive).await?;
    let suggestions = dashboard::feedback_suggestions(&state.db, &filter).await?;
    let students: Vec<StudentId> = visits.iter().map(|v| v.student_id.into()).collect();
    let bytes = tokio::task::spawn_blocking(move || export::workbook(&summary, &visits, &suggestions, sensitive))
        .await
        .map_err(|e| anyhow::anyhow!("writing the export: {e}"))??;
    if sensitive && !students.is_empty() {
        let mut ids = students;
        ids.sort_unstable();
        ids.dedup();
        let detail = format!("campaign {id} xlsx export of {} students' visits", ids.len());
        audit::record_students(&state.db, user.id, "export", &ids, &["address", "guardian_phone"], &detail).await?;
    }
    let disposition = format!("attachment; filename=\"campaign-{id}.xlsx\"");
    Ok(([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

/// The campaign's rule for priority families (students at hardship level 特别困难 visited in
/// person) and, per counselor, those not yet visited in person — within the caller's scope
/// (counselors their students, college leaders their college, admins all). Hardship is
/// sensitive: callers who may not see it get 403, and every answer is audited.
#[utoipa::path(get, path = "/api/campaigns/{id}/priority", tag = "dashboard", params(("id" = i64, Path)),
    responses((status = 200, body = PriorityList), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_priority(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
) -> Result<Json<PriorityList>> {
    Ok(Json(dashboard::priority::list(&state.db, id, &user).await?))
}

/// The printable year-end report as an HTML `<article>` (inline SVG charts; its print styles
/// are the app's `report.css`): figures within the caller's figures scope, typical cases within
/// their own scope.
#[utoipa::path(get, path = "/api/campaigns/{id}/report", tag = "dashboard", params(("id" = i64, Path)),
    responses((status = 200, description = "The report's article", content_type = "text/html", body = String),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn get_report(State(state): State<AppState>, user: StaffUser, Path(id): Path<CampaignId>) -> Result<Response> {
    let article = dashboard::report::article(&state.db, id, user.figures_scope(), user.scope()).await?;
    Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], article).into_response())
}
