//! Home-visit campaigns, their teams, and their dashboard.

use shared::aid::PriorityList;
use shared::campaigns::{Campaign, CampaignInput, NewTeam, StatusChange, TeamDetail, TeamUpdate};
use shared::dashboard::CampaignSummary;
use shared::{ApiError, CampaignId};

use super::{delete, get, post, put};

/// `GET /api/campaigns`.
pub async fn list() -> Result<Vec<Campaign>, ApiError> {
    get("/api/campaigns").await
}

/// `GET /api/campaigns/{id}`.
pub async fn get_one(id: CampaignId) -> Result<Campaign, ApiError> {
    get(format!("/api/campaigns/{id}")).await
}

/// `POST /api/campaigns`.
pub async fn create(body: &CampaignInput) -> Result<Campaign, ApiError> {
    post("/api/campaigns", body).await
}

/// `PUT /api/campaigns/{id}`.
pub async fn update(id: CampaignId, body: &CampaignInput) -> Result<Campaign, ApiError> {
    put(&format!("/api/campaigns/{id}"), body).await
}

/// `POST /api/campaigns/{id}/status`.
pub async fn set_status(id: CampaignId, body: &StatusChange) -> Result<Campaign, ApiError> {
    post(&format!("/api/campaigns/{id}/status"), body).await
}

/// `GET /api/campaigns/{id}/teams`.
pub async fn teams(id: CampaignId) -> Result<Vec<TeamDetail>, ApiError> {
    get(format!("/api/campaigns/{id}/teams")).await
}

/// `POST /api/campaigns/{id}/teams`.
pub async fn create_team(id: CampaignId, body: &NewTeam) -> Result<TeamDetail, ApiError> {
    post(&format!("/api/campaigns/{id}/teams"), body).await
}

/// `PUT /api/teams/{id}`.
pub async fn update_team(id: i64, body: &TeamUpdate) -> Result<TeamDetail, ApiError> {
    put(&format!("/api/teams/{id}"), body).await
}

/// `DELETE /api/teams/{id}`.
pub async fn delete_team(id: i64) -> Result<(), ApiError> {
    delete(&format!("/api/teams/{id}")).await
}

/// `GET /api/campaigns/{id}/summary`, `query` being the filters' query string (`?…` or empty).
pub async fn summary(id: CampaignId, query: &str) -> Result<CampaignSummary, ApiError> {
    get(format!("/api/campaigns/{id}/summary{query}")).await
}

/// `GET /api/campaigns/{id}/participants`: the staff who took part in its visits, by role.
pub async fn participants(id: CampaignId) -> Result<Vec<shared::participants::RoleParticipation>, ApiError> {
    get(format!("/api/campaigns/{id}/participants")).await
}

/// `GET /api/campaigns/{id}/summary` for the live dashboard: with the `ETag` of the summary
/// shown (`tag`), `None` while nothing changed (304); else the summary and its new tag.
pub async fn summary_if_changed(
    id: CampaignId,
    query: &str,
    tag: Option<&str>,
) -> Result<Option<(CampaignSummary, Option<String>)>, ApiError> {
    super::http::get_if_changed(&format!("/api/campaigns/{id}/summary{query}"), tag).await
}

/// `GET /api/campaigns/{id}/priority`: students at hardship level 特别困难 not yet visited in
/// person, per counselor (sensitive; the server audits the read).
pub async fn priority(id: CampaignId) -> Result<PriorityList, ApiError> {
    get(format!("/api/campaigns/{id}/priority")).await
}

/// `GET /api/campaigns/{id}/report`: the printable report's `<article>`, rendered by the server.
pub async fn report(id: CampaignId) -> Result<String, ApiError> {
    super::http::get_text(&format!("/api/campaigns/{id}/report")).await
}

/// The address of `GET /api/campaigns/{id}/export.xlsx` (a download).
pub fn export_url(id: CampaignId) -> String {
    format!("/api/campaigns/{id}/export.xlsx")
}

/// `GET /api/campaigns/{id}/messages`: the kinds of message switched off for the campaign.
pub async fn messages(id: CampaignId) -> Result<shared::messages::CampaignMessages, ApiError> {
    get(format!("/api/campaigns/{id}/messages")).await
}

/// `PUT /api/campaigns/{id}/messages` (admins).
pub async fn set_messages(
    id: CampaignId,
    body: &shared::messages::CampaignMessages,
) -> Result<shared::messages::CampaignMessages, ApiError> {
    put(&format!("/api/campaigns/{id}/messages"), body).await
}
