//! Follow-ups that finish: adding one to a visit later, closing with an outcome, reopening,
//! reassigning, the reminders (the navigation's badge, the due list) and a service department's
//! referrals.

use shared::follow_ups::{DueCount, DueFollowUps, FollowUpAssignment, FollowUpClose, FollowUpInput, Referral};
use shared::visits::{FollowUp, FollowUpStatus};
use shared::{ApiError, VisitId};

use super::{get, post, put};

/// `POST /api/visits/{id}/follow-ups`.
pub async fn add(visit_id: VisitId, body: &FollowUpInput) -> Result<FollowUp, ApiError> {
    post(&format!("/api/visits/{visit_id}/follow-ups"), body).await
}

/// `POST /api/follow-ups/{id}/close`.
pub async fn close(id: i64, body: &FollowUpClose) -> Result<(), ApiError> {
    post(&format!("/api/follow-ups/{id}/close"), body).await
}

/// `POST /api/follow-ups/{id}/reopen`.
pub async fn reopen(id: i64) -> Result<(), ApiError> {
    post(&format!("/api/follow-ups/{id}/reopen"), &()).await
}

/// `PUT /api/follow-ups/{id}`: reassign and reschedule.
pub async fn assign(id: i64, body: &FollowUpAssignment) -> Result<FollowUp, ApiError> {
    put(&format!("/api/follow-ups/{id}"), body).await
}

/// `GET /api/follow-ups/due`.
pub async fn due() -> Result<DueFollowUps, ApiError> {
    get("/api/follow-ups/due").await
}

/// `GET /api/follow-ups/due/count`: the badge.
pub async fn due_count() -> Result<DueCount, ApiError> {
    get("/api/follow-ups/due/count").await
}

/// `GET /api/follow-ups/referred?status=…`: a service department's referrals.
pub async fn referred(status: FollowUpStatus) -> Result<Vec<Referral>, ApiError> {
    let status = if status == FollowUpStatus::Done { "done" } else { "open" };
    get(format!("/api/follow-ups/referred?status={status}")).await
}
