//! The school's settings admins edit: the privacy notice's school name and contact.

use shared::privacy::PrivacySettings;
use shared::ApiError;

use super::{get, put};

/// `GET /api/settings/privacy`.
pub async fn privacy() -> Result<PrivacySettings, ApiError> {
    get("/api/settings/privacy").await
}

/// `PUT /api/settings/privacy`.
pub async fn save_privacy(body: &PrivacySettings) -> Result<PrivacySettings, ApiError> {
    put("/api/settings/privacy", body).await
}
