//! Retention (a campaign's periods and dry run) and a family's rights over one student.

use shared::retention::{CampaignRetention, RetentionPeriods, RightsDone, RightsRequest};
use shared::{ApiError, CampaignId, StudentId};

use super::{get, post, put};

/// `GET /api/campaigns/{id}/retention`: the periods and what the next run would remove.
pub async fn retention(id: CampaignId) -> Result<CampaignRetention, ApiError> {
    get(format!("/api/campaigns/{id}/retention")).await
}

/// `PUT /api/campaigns/{id}/retention`.
pub async fn save_retention(id: CampaignId, body: &RetentionPeriods) -> Result<CampaignRetention, ApiError> {
    put(&format!("/api/campaigns/{id}/retention"), body).await
}

/// `POST /api/students/{id}/rights/export`: everything held, as the JSON file's content.
pub async fn export_student(id: StudentId, body: &RightsRequest) -> Result<serde_json::Value, ApiError> {
    post(&format!("/api/students/{id}/rights/export"), body).await
}

/// `POST /api/students/{id}/rights/correction`.
pub async fn request_correction(id: StudentId, body: &RightsRequest) -> Result<RightsDone, ApiError> {
    post(&format!("/api/students/{id}/rights/correction"), body).await
}

/// `POST /api/students/{id}/rights/erase`.
pub async fn erase_student(id: StudentId, body: &RightsRequest) -> Result<RightsDone, ApiError> {
    post(&format!("/api/students/{id}/rights/erase"), body).await
}
