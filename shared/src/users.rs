//! Staff accounts as admins manage them, and account activation.

use serde::{Deserialize, Serialize};

use crate::{Lang, Role, UserId};

/// Where an account stands: waiting for its owner to choose a password, usable, or switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Pending,
    Active,
    Disabled,
}

impl AccountStatus {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AccountStatus::Pending => lang.pick("待激活", "Awaiting activation"),
            AccountStatus::Active => lang.pick("正常", "Active"),
            AccountStatus::Disabled => lang.pick("已停用", "Disabled"),
        }
    }
}

/// A staff account in the admins' list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserAccount {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub college_id: Option<i64>,
    pub college_name: Option<String>,
    pub status: AccountStatus,
    /// Service staff's department.
    #[serde(default)]
    pub department: Option<crate::Department>,
    /// Two-step verification is on (an admin can reset it).
    #[serde(default)]
    pub totp_enabled: bool,
    /// Where staff notices are e-mailed (when the operator configured SMTP).
    #[serde(default)]
    pub email: Option<String>,
}

/// A staff member as a team or a picker shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub id: UserId,
    pub display_name: String,
    pub role: Role,
    pub college_id: Option<i64>,
}

/// Query of `GET /api/users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    /// Part of a username or display name.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub college_id: Option<i64>,
    /// Disabled accounts too.
    pub include_inactive: Option<bool>,
    /// Only accounts whose owners have not chosen a password yet (not activated).
    pub pending: Option<bool>,
}

/// Body of `POST /api/users/activation-links`: a new activation link for every account of the
/// college (of the whole school without one) whose owner has not activated it yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PendingActivations {
    #[serde(default)]
    pub college_id: Option<i64>,
}

/// Query of `GET /api/staff`: active staff for pickers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct StaffQuery {
    pub role: Option<Role>,
    pub college_id: Option<i64>,
    /// With `college_id`: also the staff who may join any college's team (school leaders,
    /// the Student Affairs Office), for the visit team picker.
    #[serde(default)]
    pub school_wide: bool,
}

/// Body of `POST /api/users`. The account has no password until its owner follows the
/// activation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub college_id: Option<i64>,
    /// Service staff's department (and only theirs).
    #[serde(default)]
    pub department: Option<crate::Department>,
    /// Where staff notices are e-mailed; empty or absent = none.
    #[serde(default)]
    pub email: Option<String>,
}

/// Body of `PUT /api/users/{id}`: name and scope (role and college).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountUpdate {
    pub display_name: String,
    pub role: Role,
    #[serde(default)]
    pub college_id: Option<i64>,
    /// Service staff's department (and only theirs).
    #[serde(default)]
    pub department: Option<crate::Department>,
    /// Where staff notices are e-mailed; empty or absent = none.
    #[serde(default)]
    pub email: Option<String>,
}

/// A one-time activation link, or a password reset link: shown once, only its hash is stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivationLink {
    /// `/activate#token=…` (a new account) or `/reset-password#token=…` (a reset), relative to
    /// the site.
    pub link: String,
    /// Unix seconds.
    pub expires_at: i64,
}

/// Answer of `POST /api/users`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedAccount {
    pub user: UserAccount,
    pub activation: ActivationLink,
}

/// Body of `POST /api/activate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivateRequest {
    pub token: String,
    pub password: String,
}

/// Answer of `POST /api/activate` (an activation or a password reset): whom to sign in as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activated {
    pub username: String,
}
