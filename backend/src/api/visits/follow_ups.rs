//! Follow-up actions agreed on visits: each owner's list with due dates (overdue ones flagged),
//! marking one done or open again, adding one to a visit later, closing one with an outcome,
//! reopening and reassigning it, the reminders, and a service department's referrals. The
//! rules are `crate::visits::follow_ups`.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use shared::follow_ups::{
    DueCount, DueFollowUps, FollowUpAssignment, FollowUpClose, FollowUpInput, Referral, ReferralQuery,
};
use shared::visits::{FollowUp, FollowUpStatus, FollowUpUpdate};
use shared::Department;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Path, Query, Result};
use crate::visits::follow_ups;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_follow_ups))
        .routes(routes!(update_follow_up, assign_follow_up))
        .routes(routes!(add_follow_up))
        .routes(routes!(close_follow_up))
        .routes(routes!(reopen_follow_up))
        .routes(routes!(due_follow_ups))
        .routes(routes!(due_count))
        .routes(routes!(referred))
        .routes(routes!(departments))
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

/// Reassigns a follow-up (owner, service department) and sets its due date: its owner, the
/// visit's author, or whoever's own scope holds the student.
#[utoipa::path(put, path = "/api/follow-ups/{id}", tag = "visits",
    params(("id" = i64, Path, description = "Follow-up id")), request_body = FollowUpAssignment,
    responses((status = 200, body = FollowUp), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn assign_follow_up(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(body): Json<FollowUpAssignment>,
) -> Result<Json<FollowUp>> {
    Ok(Json(follow_ups::assign(&state, &user, id, &body).await?))
}

/// Adds a follow-up to a visit logged before: whoever may see the visit.
#[utoipa::path(post, path = "/api/visits/{id}/follow-ups", tag = "visits",
    params(("id" = i64, Path, description = "Visit id")), request_body = FollowUpInput,
    responses((status = 200, body = FollowUp), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn add_follow_up(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<shared::VisitId>,
    Json(body): Json<FollowUpInput>,
) -> Result<Json<FollowUp>> {
    Ok(Json(follow_ups::add(&state, &user, id, &body).await?))
}

/// Closes a follow-up with what came of it: its owner, the visit's author, or the staff of the
/// department it is referred to. 409 if it is closed already.
#[utoipa::path(post, path = "/api/follow-ups/{id}/close", tag = "visits",
    params(("id" = i64, Path, description = "Follow-up id")), request_body = FollowUpClose,
    responses((status = 204), (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 409, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn close_follow_up(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(body): Json<FollowUpClose>,
) -> Result<StatusCode> {
    follow_ups::close(&state, &user, id, &body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Opens a closed follow-up again: as closing. 409 if it is open.
#[utoipa::path(post, path = "/api/follow-ups/{id}/reopen", tag = "visits",
    params(("id" = i64, Path, description = "Follow-up id")),
    responses((status = 204), (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 409, body = shared::ApiError)))]
async fn reopen_follow_up(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<StatusCode> {
    follow_ups::reopen(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The reminders: the caller's open follow-ups due this week or overdue, and the overdue ones
/// they oversee (college leaders their college's, admins the school's).
#[utoipa::path(get, path = "/api/follow-ups/due", tag = "visits",
    responses((status = 200, body = DueFollowUps), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError)))]
async fn due_follow_ups(State(state): State<AppState>, user: StaffUser) -> Result<Json<DueFollowUps>> {
    Ok(Json(follow_ups::due(&state, &user).await?))
}

/// The navigation's badge: how many of the caller's open follow-ups (service staff: their
/// department's) are due this week, and how many are overdue.
#[utoipa::path(get, path = "/api/follow-ups/due/count", tag = "visits",
    responses((status = 200, body = DueCount), (status = 401, body = shared::ApiError)))]
async fn due_count(State(state): State<AppState>, user: StaffUser) -> Result<Json<DueCount>> {
    Ok(Json(follow_ups::due_count(&state, &user).await?))
}

/// The follow-ups referred to the caller's service department (service staff only), soonest due
/// first: the student's name and class and the follow-up, nothing else of the record.
#[utoipa::path(get, path = "/api/follow-ups/referred", tag = "visits", params(ReferralQuery),
    responses((status = 200, body = Vec<Referral>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError)))]
async fn referred(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<ReferralQuery>,
) -> Result<Json<Vec<Referral>>> {
    Ok(Json(follow_ups::referred(&state, &user, q.status.unwrap_or(FollowUpStatus::Open)).await?))
}

/// The school services a follow-up can be referred to.
#[utoipa::path(get, path = "/api/departments", tag = "visits",
    responses((status = 200, body = Vec<Department>), (status = 401, body = shared::ApiError)))]
async fn departments(_user: StaffUser) -> Json<Vec<Department>> {
    Json(Department::ALL.to_vec())
}
