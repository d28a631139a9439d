//! Home visits: the counselor's campaigns and students, plans, visits and their sync, follow-ups,
//! and the visit import.

use shared::concerns::OpenConcern;
use shared::imports::{ImportPreview, ImportResult};
use shared::visits::{
    FollowUp, FollowUpUpdate, NewPlans, Person, Plan, PlanStudent, SyncResponse, Visit, VisitCampaign, VisitEdit,
    VisitRevision, VisitSummary,
};
use shared::{ApiError, CampaignId, VisitId};

use super::{answer, encode, fetch, get, post, send, text, upload};

/// `GET /api/visits/campaigns`: the campaigns the signed-in staff member visits in.
pub async fn campaigns() -> Result<Vec<VisitCampaign>, ApiError> {
    get("/api/visits/campaigns").await
}

/// `GET /api/visits/colleagues`: who may be named on a visit.
pub async fn colleagues() -> Result<Vec<Person>, ApiError> {
    get("/api/visits/colleagues").await
}

/// `GET /api/visits/students?campaign_id=…`, `filters` being more of the query (`&…` or empty).
pub async fn students(campaign_id: CampaignId, filters: &str) -> Result<Vec<PlanStudent>, ApiError> {
    get(format!("/api/visits/students?campaign_id={campaign_id}{filters}")).await
}

/// `GET /api/visits/plans?campaign_id=…`.
pub async fn plans(campaign_id: CampaignId) -> Result<Vec<Plan>, ApiError> {
    get(format!("/api/visits/plans?campaign_id={campaign_id}")).await
}

/// `GET /api/visits/concerns?campaign_id=…`: the campaign's open concerns from parents' meetings.
pub async fn concerns(campaign_id: CampaignId) -> Result<Vec<OpenConcern>, ApiError> {
    get(format!("/api/visits/concerns?campaign_id={campaign_id}")).await
}

/// `POST /api/visits/plans`.
pub async fn create_plans(body: &NewPlans) -> Result<Vec<Plan>, ApiError> {
    post("/api/visits/plans", body).await
}

/// `GET /api/visits?campaign_id=…`.
pub async fn list(campaign_id: CampaignId) -> Result<Vec<VisitSummary>, ApiError> {
    get(format!("/api/visits?campaign_id={campaign_id}")).await
}

/// `GET /api/visits/{id}`.
pub async fn get_one(id: VisitId) -> Result<Visit, ApiError> {
    get(format!("/api/visits/{id}")).await
}

/// `PUT /api/visits/{id}`: a correction (`conflict` when the base revision is not the last).
pub async fn update(id: VisitId, body: &VisitEdit) -> Result<Visit, ApiError> {
    let json = serde_json::to_string(body).unwrap_or_default();
    fetch("PUT", &format!("/api/visits/{id}"), Some(json)).await
}

/// `GET /api/visits/{id}/revisions`.
pub async fn revisions(id: VisitId) -> Result<Vec<VisitRevision>, ApiError> {
    get(format!("/api/visits/{id}/revisions")).await
}

/// What `POST /api/visits/sync` gave.
pub enum Synced {
    /// No answer: the network, or an unreadable one.
    Nothing,
    /// 413: the body was too large.
    TooLarge,
    /// The answer, read, with its status.
    Answer(u16, Result<SyncResponse, ApiError>),
}

/// `POST /api/visits/sync` with a body of visits already cut to size (`shared::sync`).
pub async fn sync(body: String) -> Synced {
    const SYNC: &str = "/api/visits/sync";
    let Ok(response) = send("POST", SYNC, Some(body)).await else { return Synced::Nothing };
    let status = response.status();
    if status == 413 {
        return Synced::TooLarge;
    }
    let Ok(text) = text(&response).await else { return Synced::Nothing };
    Synced::Answer(status, answer::<SyncResponse>(status, &text, SYNC))
}

/// `GET /api/follow-ups`.
pub async fn follow_ups() -> Result<Vec<FollowUp>, ApiError> {
    get("/api/follow-ups").await
}

/// `POST /api/follow-ups/{id}`.
pub async fn update_follow_up(id: i64, body: &FollowUpUpdate) -> Result<FollowUp, ApiError> {
    post(&format!("/api/follow-ups/{id}"), body).await
}

/// `POST /api/visits/import/preview?campaign_id=…&filename=…` with the file as the body.
pub async fn import_preview(
    campaign_id: i64,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> Result<ImportPreview, ApiError> {
    let path = format!("/api/visits/import/preview?campaign_id={campaign_id}&filename={}", encode(&file.name()));
    upload(&path, file, progress).await
}

/// `POST /api/visits/import/{id}/commit`.
pub async fn import_commit(id: i64) -> Result<ImportResult, ApiError> {
    post(&format!("/api/visits/import/{id}/commit"), &()).await
}
