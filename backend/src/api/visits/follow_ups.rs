//! Follow-up actions agreed on visits: each owner's list with due dates (overdue ones flagged),
//! and marking one done or open again.

use axum::extract::State;
use serde::Deserialize;
use shared::visits::{FollowUp, FollowUpStatus, FollowUpUpdate};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Path, Query, Result};
use crate::visits::follow_ups;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_follow_ups)).routes(routes!(update_follow_up))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct FollowUpQuery {
    /// `open` (default) or `done`.
    status: Option<FollowUpStatus>,
}

/// The caller's follow-ups, soonest due first.
#[utoipa::path(get, path = "/api/follow-ups", tag = "visits", params(FollowUpQuery),
    responses((status = 200, body = Vec<FollowUp>), (status = 401, body = shared::ApiError)))]
async fn list_follow_ups(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<FollowUpQuery>,
) -> Result<Json<Vec<FollowUp>>> {
    Ok(Json(follow_ups::of_owner(&state, user.id, q.status.unwrap_or(FollowUpStatus::Open)).await?))
}

/// Marks a follow-up done or open again: its owner or the visit's author.
#[utoipa::path(post, path = "/api/follow-ups/{id}", tag = "visits",
    params(("id" = i64, Path, description = "Follow-up id")), request_body = FollowUpUpdate,
    responses((status = 200, body = FollowUp), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn update_follow_up(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(body): Json<FollowUpUpdate>,
) -> Result<Json<FollowUp>> {
    Ok(Json(follow_ups::set_status(&state, &user, id, body.status).await?))
}
