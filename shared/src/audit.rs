//! The audit log of sensitive personal information, as admins search it.

use serde::{Deserialize, Serialize};

use crate::{StudentId, UserId};

/// Query of `GET /api/audit`: every filter optional, newest entries first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub student_id: Option<StudentId>,
    pub user_id: Option<UserId>,
    /// `read`, `export`, `update`…
    pub action: Option<String>,
    /// From this instant (unix seconds), inclusive.
    pub from: Option<i64>,
    /// Before this instant (unix seconds), exclusive.
    pub to: Option<i64>,
    /// From 1.
    pub page: Option<i64>,
    /// 1 to 200, 50 by default.
    pub per_page: Option<i64>,
}

/// One entry: who did what with which fields of which student, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    /// Unix seconds.
    pub at: i64,
    pub user_id: Option<UserId>,
    pub username: Option<String>,
    pub action: String,
    pub student_id: Option<StudentId>,
    pub student_name: Option<String>,
    /// Such as `address`, `hardship`, `guardian_phone`.
    pub fields: Vec<String>,
    pub detail: String,
}
