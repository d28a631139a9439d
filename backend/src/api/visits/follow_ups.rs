//! Follow-up actions agreed on visits: each owner's list with due dates (overdue ones flagged),
//! and marking one done or open again.

use crate::api::dashboard::tally::{self, Subject};
use axum::extract::State;
use serde::Deserialize;
use shared::visits::{FollowUp, FollowUpStatus, FollowUpUpdate};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::read::{follow_up_select, follow_ups};
use crate::auth::StaffUser;
use crate::db::now;
use crate::error::{Error, Json, Path, Query, Result};
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
    let status = if q.status == Some(FollowUpStatus::Done) { "done" } else { "open" };
    let mut sql = follow_up_select();
    sql.push(" AND f.owner_id = ").bind(user.id).push(" AND f.status = ").bind(status);
    sql.push(" ORDER BY f.due_on, f.id LIMIT 1000");
    Ok(Json(follow_ups(&state, &sql).await?))
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
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT f.owner_id, v.author_id FROM follow_ups f JOIN visits v ON v.id = f.visit_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.read)
    .await?;
    let (owner, author) = row.ok_or(Error::NotFound)?;
    if owner != user.id && author != user.id {
        return Err(Error::Forbidden);
    }
    let (status, done_at) = match body.status {
        FollowUpStatus::Done => ("done", Some(now())),
        FollowUpStatus::Open => ("open", None),
    };
    let mut tx = state.db.write.begin().await?;
    let (campaign_id, student_id): (i64, i64) = sqlx::query_as(
        "SELECT v.campaign_id, v.student_id FROM follow_ups f JOIN visits v ON v.id = f.visit_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let students = [student_id];
    let subject = Subject::Students { campaign: Some(campaign_id), ids: &students };
    tally::apply(&mut tx, subject, -1).await?;
    sqlx::query("UPDATE follow_ups SET status = $1, done_at = $2 WHERE id = $3")
        .bind(status)
        .bind(done_at)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tally::apply(&mut tx, subject, 1).await?;
    tx.commit().await?;
    let mut sql = follow_up_select();
    sql.push(" AND f.id = ").bind(id);
    follow_ups(&state, &sql).await?.pop().map(Json).ok_or(Error::NotFound)
}
