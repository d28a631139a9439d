use serde::{Deserialize, Serialize};

use crate::{Lang, Role, UserId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// The 6-digit code of the authenticator app, or one of the account's recovery codes, for
    /// accounts with two-step verification on. Without it such an account gets 401
    /// `totp_required` and the client asks for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

/// The signed-in staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: UserId,
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

/// Answer of `POST /api/auth/totp/confirm`: two-step verification is on, and the recovery codes,
/// shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TotpConfirmed {
    pub me: Me,
    pub recovery_codes: Vec<String>,
}

/// Body of `POST /api/auth/totp/recovery-codes`: a current code of the authenticator app, or the
/// account's password.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoveryCodesRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
}

impl RecoveryCodesRequest {
    /// One field for both, as the account page has it: six digits are a code, anything else the
    /// password (which has at least eight characters).
    pub fn from_typed(typed: &str) -> RecoveryCodesRequest {
        let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 6 && digits.bytes().all(|b| b.is_ascii_digit()) {
            RecoveryCodesRequest { code: Some(typed.to_string()), password: None }
        } else {
            RecoveryCodesRequest { code: None, password: Some(typed.to_string()) }
        }
    }
}

/// A new set of recovery codes, each usable once at sign-in instead of a code of the app. Shown
/// this once: only their hashes are kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// How many recovery codes are left unused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodesLeft {
    pub remaining: i64,
}

/// Body of `POST /api/auth/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// The new password (the same rules as at activation).
    pub password: String,
}
