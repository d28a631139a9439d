//! Signing in and out, the signed-in staff member's own security, and account activation.

use shared::auth::{
    LoginRequest, Me, PasswordChange, RecoveryCodes, RecoveryCodesLeft, RecoveryCodesRequest, TotpCode, TotpConfirmed,
    TotpEnrolment,
};
use shared::users::{ActivateRequest, Activated};
use shared::ApiError;

use super::{get, post};

/// The prefix of the routes whose 401 means "wrong password or code", not "session gone".
pub(crate) const PREFIX: &str = "/api/auth/";

/// `GET /api/auth/me`: who is signed in.
pub async fn me() -> Result<Me, ApiError> {
    get("/api/auth/me").await
}

/// `POST /api/auth/login`.
pub async fn login(body: &LoginRequest) -> Result<Me, ApiError> {
    post("/api/auth/login", body).await
}

/// `POST /api/auth/logout`.
pub async fn logout() -> Result<(), ApiError> {
    post("/api/auth/logout", &()).await
}

/// `POST /api/auth/password`.
pub async fn change_password(body: &PasswordChange) -> Result<(), ApiError> {
    post("/api/auth/password", body).await
}

/// `POST /api/auth/totp/enrol`: a new secret to confirm.
pub async fn totp_enrol() -> Result<TotpEnrolment, ApiError> {
    post("/api/auth/totp/enrol", &()).await
}

/// `POST /api/auth/totp/confirm`: turns two-step verification on; answers the recovery codes.
pub async fn totp_confirm(body: &TotpCode) -> Result<TotpConfirmed, ApiError> {
    post("/api/auth/totp/confirm", body).await
}

/// `POST /api/auth/totp/disable`.
pub async fn totp_disable(body: &TotpCode) -> Result<Me, ApiError> {
    post("/api/auth/totp/disable", body).await
}

/// `GET /api/auth/totp/recovery-codes`: how many are left.
pub async fn recovery_codes_left() -> Result<RecoveryCodesLeft, ApiError> {
    get("/api/auth/totp/recovery-codes").await
}

/// `POST /api/auth/totp/recovery-codes`: a new set.
pub async fn new_recovery_codes(body: &RecoveryCodesRequest) -> Result<RecoveryCodes, ApiError> {
    post("/api/auth/totp/recovery-codes", body).await
}

/// `POST /api/activate`: a one-time link's new password.
pub async fn activate(body: &ActivateRequest) -> Result<Activated, ApiError> {
    post("/api/activate", body).await
}
