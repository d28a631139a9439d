//! Request bodies that change the organisation by hand: class staff, a student, guardians.

use serde::{Deserialize, Serialize};

use crate::{ClassId, Gender, Hardship, UserId};

/// Body of `PUT /api/classes/{id}/staff`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClassStaff {
    #[serde(default)]
    pub counselor_id: Option<UserId>,
    #[serde(default)]
    pub advisor_id: Option<UserId>,
}

/// Body of `PUT /api/students/{id}`. The student number never changes here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StudentUpdate {
    pub name: String,
    #[serde(default)]
    pub gender: Option<Gender>,
    pub class_id: ClassId,
    #[serde(default)]
    pub major: Option<String>,
    #[serde(default)]
    pub grade: Option<i64>,
    #[serde(default)]
    pub province: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub district: Option<String>,
    /// Sensitive.
    #[serde(default)]
    pub address: Option<String>,
    /// Sensitive.
    #[serde(default)]
    pub hardship: Option<Hardship>,
}

/// Body of `POST /api/students/{id}/guardians` and `PUT /api/guardians/{id}`. The phone is
/// text so that a wrong one gets a message of its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GuardianInput {
    pub name: String,
    #[serde(default)]
    pub relation: Option<String>,
    /// A mainland mobile number; sensitive.
    #[serde(default)]
    pub phone: Option<String>,
}
