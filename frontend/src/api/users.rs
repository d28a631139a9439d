//! Staff accounts.

use shared::users::{AccountUpdate, ActivationLink, CreatedAccount, NewAccount, PendingActivations, UserAccount};
use shared::{ApiError, UserId};

use super::{encode, get, post, put};

/// `GET /api/users`: `role` and `college_id` as the filters' raw values (empty: any).
pub async fn list(
    q: &str,
    role: &str,
    college_id: &str,
    include_inactive: bool,
    pending: bool,
) -> Result<Vec<UserAccount>, ApiError> {
    let mut path = format!("/api/users?q={}", encode(q));
    if !role.is_empty() {
        path.push_str(&format!("&role={role}"));
    }
    if !college_id.is_empty() {
        path.push_str(&format!("&college_id={college_id}"));
    }
    if include_inactive {
        path.push_str("&include_inactive=true");
    }
    if pending {
        path.push_str("&pending=true");
    }
    get(path).await
}

/// `POST /api/users/activation-links`: links for every account of the college not activated yet.
pub async fn activation_links(college_id: Option<i64>) -> Result<Vec<CreatedAccount>, ApiError> {
    post("/api/users/activation-links", &PendingActivations { college_id }).await
}

/// `POST /api/users`.
pub async fn create(body: &NewAccount) -> Result<CreatedAccount, ApiError> {
    post("/api/users", body).await
}

/// `PUT /api/users/{id}`.
pub async fn update(id: UserId, body: &AccountUpdate) -> Result<UserAccount, ApiError> {
    put(&format!("/api/users/{id}"), body).await
}

/// `POST /api/users/{id}/activation`: a new activation link.
pub async fn activation_link(id: UserId) -> Result<ActivationLink, ApiError> {
    post(&format!("/api/users/{id}/activation"), &()).await
}

/// `POST /api/users/{id}/password-reset`: a password reset link.
pub async fn password_reset_link(id: UserId) -> Result<ActivationLink, ApiError> {
    post(&format!("/api/users/{id}/password-reset"), &()).await
}

/// `POST /api/users/{id}/totp-reset`.
pub async fn reset_totp(id: UserId) -> Result<(), ApiError> {
    post(&format!("/api/users/{id}/totp-reset"), &()).await
}

/// `POST /api/users/{id}/disable`.
pub async fn disable(id: UserId) -> Result<UserAccount, ApiError> {
    post(&format!("/api/users/{id}/disable"), &()).await
}

/// `POST /api/users/{id}/enable`.
pub async fn enable(id: UserId) -> Result<UserAccount, ApiError> {
    post(&format!("/api/users/{id}/enable"), &()).await
}
