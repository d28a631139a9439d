//! Follow-ups that finish: added to a visit later, reassigned, closed with an outcome (and
//! reopened), due-date reminders, and referrals to the school's service departments. The
//! follow-up itself is `visits::FollowUp`.

use serde::{Deserialize, Serialize};

use crate::ids::{FollowUpId, UserId};
use crate::visits::{FollowUp, FollowUpStatus, Person};
use crate::Lang;

/// A school service a follow-up can be referred to. A fixed list, like the roles: the three
/// services every university has (see docs/architecture.md, "Service departments").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Department {
    /// 心理健康教育与咨询中心.
    Counselling,
    /// 资助管理中心.
    FinancialAid,
    /// 就业指导中心.
    Career,
}

impl Department {
    pub const ALL: [Department; 3] = [Department::Counselling, Department::FinancialAid, Department::Career];

    pub fn code(self) -> &'static str {
        match self {
            Department::Counselling => "counselling",
            Department::FinancialAid => "financial_aid",
            Department::Career => "career",
        }
    }

    pub fn from_code(code: &str) -> Option<Department> {
        Department::ALL.into_iter().find(|d| d.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Department::Counselling => lang.pick("心理健康教育与咨询中心", "Counselling centre"),
            Department::FinancialAid => lang.pick("资助管理中心", "Financial-aid centre"),
            Department::Career => lang.pick("就业指导中心", "Career centre"),
        }
    }
}

/// `POST /api/visits/{id}/follow-ups`: a follow-up added to a visit after it was logged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpInput {
    pub what: String,
    /// Who sees it through (and is reminded of it).
    pub owner_id: UserId,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    /// Referred to this school service: its staff see it and may close it.
    #[serde(default)]
    pub department: Option<Department>,
}

/// `PUT /api/follow-ups/{id}`: reassign (owner, department) and reschedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpAssignment {
    pub owner_id: UserId,
    #[serde(default)]
    pub department: Option<Department>,
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

/// `POST /api/follow-ups/{id}/close`: what came of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpClose {
    pub outcome: String,
}

/// `GET /api/follow-ups/due`: the reminders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueFollowUps {
    /// Today, `YYYY-MM-DD` (the school's time zone).
    pub today: String,
    /// The last day counted as "this week": six days after today.
    pub week_end: String,
    /// The caller's own open follow-ups, overdue or due by `week_end`, soonest first.
    pub mine: Vec<FollowUp>,
    /// Open follow-ups past their date that the caller oversees: a college leader's college's,
    /// the school's for admins; empty for everyone else.
    pub overdue: Vec<FollowUp>,
}

/// `GET /api/follow-ups/due/count`: the navigation's badge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueCount {
    /// Open and due by the end of the week, overdue ones included: the caller's own, or for
    /// service staff their department's.
    pub due: i64,
    /// Of those, past their date.
    pub overdue: i64,
}

/// A follow-up referred to a department, as its staff see it: just enough of the student (name,
/// class) and the follow-up itself; no visit, no student id, nothing else of the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    pub id: FollowUpId,
    pub student_name: String,
    pub class_name: String,
    pub what: String,
    /// Who referred it and follows it up on the college's side.
    pub owner: Person,
    pub department: Department,
    /// `YYYY-MM-DD`.
    pub due_on: String,
    pub status: FollowUpStatus,
    /// Open and due before today.
    pub overdue: bool,
    pub outcome: Option<String>,
}

/// Query of `GET /api/follow-ups/referred`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ReferralQuery {
    /// `open` (default) or `done`.
    pub status: Option<FollowUpStatus>,
}
