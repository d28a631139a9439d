//! The organisation: colleges, classes, students and their guardians.

use serde::{Deserialize, Serialize};

use crate::{ClassId, Gender, GuardianId, Hardship, PhoneNumber, StudentId, StudentNo};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct College {
    pub id: i64,
    pub name: String,
    /// Classes of this college the caller may see.
    pub classes: i64,
    /// Students of this college the caller may see.
    pub students: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Class {
    pub id: ClassId,
    pub college_id: i64,
    pub college_name: String,
    pub name: String,
    pub major: Option<String>,
    pub grade: Option<i64>,
    pub counselor_name: Option<String>,
    pub advisor_name: Option<String>,
    pub students: i64,
}

/// A row of a student list: nothing sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentSummary {
    pub id: StudentId,
    pub student_no: StudentNo,
    pub name: String,
    pub gender: Option<Gender>,
    pub class_id: ClassId,
    pub class_name: String,
    pub college_name: String,
    pub city: Option<String>,
    pub district: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Guardian {
    pub id: GuardianId,
    pub name: String,
    pub relation: Option<String>,
    /// Sensitive: only for staff who may see the student's sensitive fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<PhoneNumber>,
}

/// A student's page. The sensitive fields are absent, not empty, for callers who may not see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentDetail {
    #[serde(flatten)]
    pub summary: StudentSummary,
    pub college_id: i64,
    pub major: Option<String>,
    pub grade: Option<i64>,
    pub province: Option<String>,
    pub counselor_name: Option<String>,
    pub advisor_name: Option<String>,
    /// Whether the caller may see home address, guardian phones and hardship level.
    pub sensitive_visible: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hardship: Option<Hardship>,
    pub guardians: Vec<Guardian>,
}

/// Query of `GET /api/students`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct StudentQuery {
    /// Part of a name or a student number.
    pub q: Option<String>,
    pub college_id: Option<i64>,
    pub class_id: Option<ClassId>,
    pub city: Option<String>,
    /// Only for callers who may see hardship levels.
    pub hardship: Option<Hardship>,
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 200, 50 by default.
    pub per_page: Option<i64>,
}
