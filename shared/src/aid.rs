//! Priority families (issue 17, item 7): a campaign's rule "every student at hardship level
//! 特别困难 is visited in person" and the students it still waits for, per counselor
//! (`GET /api/campaigns/{id}/priority`). Hardship levels are sensitive: the list is role-scoped
//! and every read is audited.

use serde::{Deserialize, Serialize};

use crate::{ClassId, StudentId, UserId};

/// The level the rule is about.
pub const PRIORITY_LEVEL: crate::Hardship = crate::Hardship::Severe;

/// A student the rule still waits for: not visited in person in the campaign (perhaps reached
/// by cloud or phone, which `reached_by` names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityStudent {
    pub id: StudentId,
    pub student_no: String,
    pub name: String,
    pub class_id: ClassId,
    pub class_name: String,
    pub college_name: String,
    /// The closest contact so far, `cloud` or `phone`; `None` when not reached at all.
    pub reached_by: Option<String>,
}

/// The students one counselor still has to visit in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityCounselor {
    /// `None` for classes without a counselor.
    pub counselor_id: Option<UserId>,
    pub counselor: String,
    pub students: Vec<PriorityStudent>,
}

/// `GET /api/campaigns/{id}/priority`: the rule and where it stands, within the caller's scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PriorityList {
    /// Whether the campaign has the rule on (the list is given either way).
    pub rule_on: bool,
    /// Students at the level within scope.
    pub students: i64,
    /// Of them, visited in person in the campaign.
    pub visited_in_person: i64,
    /// Those not yet visited in person, per counselor (by name).
    pub counselors: Vec<PriorityCounselor>,
}
