//! Parents' meetings, seen by staff: the meetings, their sign-ups, links and texts.

use shared::meetings::{
    AttendanceMark, BulkCreated, ChannelsInfo, ConcernGroup, Links, Meeting, MeetingInput, OutboxMessage, Signups,
};
use shared::{ApiError, MeetingId};

use super::{fetch, get, post};

/// `GET /api/meetings`.
pub async fn list() -> Result<Vec<Meeting>, ApiError> {
    get("/api/meetings").await
}

/// `POST /api/meetings`.
pub async fn create(body: &MeetingInput) -> Result<Meeting, ApiError> {
    post("/api/meetings", body).await
}

/// `POST /api/meetings/bulk`: one meeting per class.
pub async fn create_bulk(body: &MeetingInput) -> Result<BulkCreated, ApiError> {
    post("/api/meetings/bulk", body).await
}

/// `GET /api/meetings/{id}`.
pub async fn get_one(id: MeetingId) -> Result<Meeting, ApiError> {
    get(format!("/api/meetings/{id}")).await
}

/// `GET /api/meetings/{id}/signups`.
pub async fn signups(id: MeetingId) -> Result<Signups, ApiError> {
    get(format!("/api/meetings/{id}/signups")).await
}

/// `GET /api/meetings/{id}/concerns`.
pub async fn concerns(id: MeetingId) -> Result<Vec<ConcernGroup>, ApiError> {
    get(format!("/api/meetings/{id}/concerns")).await
}

/// `GET /api/meetings/{id}/feedback`: the families' ratings and suggestions.
pub async fn feedback(id: MeetingId) -> Result<shared::feedback::MeetingFeedback, ApiError> {
    get(format!("/api/meetings/{id}/feedback")).await
}

/// `POST /api/meetings/{id}/attendance`.
pub async fn mark_attendance(id: MeetingId, body: &AttendanceMark) -> Result<Signups, ApiError> {
    post(&format!("/api/meetings/{id}/attendance"), body).await
}

/// `POST /api/meetings/{id}/held`.
pub async fn mark_held(id: MeetingId) -> Result<Meeting, ApiError> {
    post(&format!("/api/meetings/{id}/held"), &()).await
}

/// `GET /api/meetings/{id}/links`.
pub async fn links(id: MeetingId) -> Result<Links, ApiError> {
    get(format!("/api/meetings/{id}/links")).await
}

/// `POST /api/meetings/{id}/links`: links for the families without one.
pub async fn issue_links(id: MeetingId) -> Result<Links, ApiError> {
    post(&format!("/api/meetings/{id}/links"), &()).await
}

/// `POST /api/meetings/{id}/links/{link_id}/revoke`.
pub async fn revoke_link(id: MeetingId, link_id: i64) -> Result<Links, ApiError> {
    post(&format!("/api/meetings/{id}/links/{link_id}/revoke"), &()).await
}

/// The address of `GET /api/meetings/{id}/qr.svg` (an image, a download).
pub fn qr_url(id: MeetingId) -> String {
    format!("/api/meetings/{id}/qr.svg")
}

/// The address of `GET /api/meetings/{id}/messages.xlsx` (a download).
pub fn messages_export_url(id: MeetingId) -> String {
    format!("/api/meetings/{id}/messages.xlsx")
}

/// `GET /api/meetings/{id}/messages`: the outbox.
pub async fn messages(id: MeetingId) -> Result<Vec<OutboxMessage>, ApiError> {
    fetch("GET", &format!("/api/meetings/{id}/messages"), None).await
}

/// `POST /api/meetings/{id}/reminders` (no body): queues reminders; answers the outbox.
pub async fn queue_reminders(id: MeetingId) -> Result<Vec<OutboxMessage>, ApiError> {
    fetch("POST", &format!("/api/meetings/{id}/reminders"), None).await
}

/// `GET /api/messages/channels`: which delivery channels the operator configured.
pub async fn channels() -> Result<ChannelsInfo, ApiError> {
    get("/api/messages/channels").await
}

/// `POST /api/meetings/{id}/messages/send` (no body): with an SMS channel, tries failed messages
/// again now; without, marks the waiting ones sent by hand. Answers the outbox.
pub async fn send_messages(id: MeetingId) -> Result<Vec<OutboxMessage>, ApiError> {
    fetch("POST", &format!("/api/meetings/{id}/messages/send"), None).await
}
