//! The audit log viewer: admins search who read, exported or changed which sensitive fields of
//! which student. Reading the log is itself not logged (it holds no sensitive values).

use crate::audit::search;
use crate::auth::StaffUser;
use crate::error::{Json, Query, Result};
use crate::AppState;
use axum::extract::State;
use shared::audit::{AuditEntry, AuditQuery};
use shared::Page;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search_audit))
}

/// Audit log entries, newest first, filtered by student, user, action and time (admins only).
#[utoipa::path(get, path = "/api/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn search_audit(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Page<AuditEntry>>> {
    Ok(Json(search::search_audit(&state, &user, query).await?))
}
