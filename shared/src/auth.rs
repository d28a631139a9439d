use serde::{Deserialize, Serialize};

use crate::{Lang, Role};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, for accounts with two-step verification on.
    /// Without it such an account gets 401 `totp_required` and the client asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub college_id: Option<i64>,
    pub college_name: Option<String>,
    pub lang: Lang,
    /// Two-step verification (TOTP) is on. Admins without it must turn it on before anything else.
    #[serde(default)]
    pub totp_enabled: bool,
}

impl Me {
    /// An admin who has to turn two-step verification on before the server answers anything else.
    pub fn needs_totp(&self) -> bool {
        self.role == Role::Admin && !self.totp_enabled
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LangChoice {
    pub lang: Lang,
}

/// A new TOTP secret, waiting for a first code to turn two-step verification on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpEnrolment {
    /// Base32, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URL the QR code holds.
    pub otpauth_url: String,
    /// The QR code of `otpauth_url`, an SVG document drawn by the server.
    pub qr_svg: String,
}

/// A code from the authenticator app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    pub code: String,
}
