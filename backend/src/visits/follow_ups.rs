//! Follow-up actions agreed on visits: an owner's list, and marking one done or open again
//! (with the dashboard's tallies, which count open and done follow-ups).

use shared::visits::{FollowUp, FollowUpStatus};
use shared::UserId;

use super::read::{follow_up_select, follow_ups};
use super::store;
use crate::auth::StaffUser;
use crate::error::{Error, Result};
use crate::AppState;

/// The owner's follow-ups in `status`, soonest due first.
pub async fn of_owner(state: &AppState, owner_id: UserId, status: FollowUpStatus) -> Result<Vec<FollowUp>> {
    let status = if status == FollowUpStatus::Done { "done" } else { "open" };
    let mut sql = follow_up_select();
    sql.push(" AND f.owner_id = ").bind(owner_id).push(" AND f.status = ").bind(status);
    sql.push(" ORDER BY f.due_on, f.id LIMIT 1000");
    follow_ups(state, &sql).await
}

/// Marks a follow-up done or open again: its owner or the visit's author (else 403).
pub async fn set_status(state: &AppState, user: &StaffUser, id: i64, status: FollowUpStatus) -> Result<FollowUp> {
    let row: Option<(UserId, UserId)> = sqlx::query_as(
        "SELECT f.owner_id, v.author_id FROM follow_ups f JOIN visits v ON v.id = f.visit_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.read)
    .await?;
    let (owner, author) = row.ok_or(Error::NotFound)?;
    if owner != user.id && author != user.id {
        return Err(Error::Forbidden);
    }
    let mut tx = state.db.write.begin().await?;
    store::set_follow_up_status(&mut tx, id, status).await?;
    tx.commit().await?;
    let mut sql = follow_up_select();
    sql.push(" AND f.id = ").bind(id);
    follow_ups(state, &sql).await?.pop().ok_or(Error::NotFound)
}
