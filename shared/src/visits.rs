//! Home visits (家访): plans, the visit log with its corrections, follow-ups and the offline
//! sync batch.

use serde::{Deserialize, Serialize};

use crate::concerns::AddressedConcern;
use crate::{Aspect, CampaignId, ClassId, Hardship, StudentId, StudentNo, UserId, VisitId, VisitMode};

/// A campaign in which the caller can plan and log visits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitCampaign {
    pub id: CampaignId,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A staff member, as a visit or plan names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: UserId,
    pub name: String,
}

/// Query of `GET /api/visits/students`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct PlanStudentQuery {
    pub campaign_id: CampaignId,
    pub class_id: Option<ClassId>,
    pub city: Option<String>,
    pub district: Option<String>,
    /// Only for students whose sensitive fields the caller may see.
    pub hardship: Option<Hardship>,
    /// Only students without any visit in this campaign.
    pub not_visited: Option<bool>,
    /// Only students with open concerns from this campaign's parents' meetings (that the caller
    /// may see: mental health and family finances only within their own scope).
    pub has_concerns: Option<bool>,
}

/// A student the caller can visit in a campaign, with how far their visits have come.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanStudent {
    pub id: StudentId,
    pub student_no: StudentNo,
    pub name: String,
    pub class_id: ClassId,
    pub class_name: String,
    pub city: Option<String>,
    pub district: Option<String>,
    /// Visits logged for this student in the campaign.
    pub visits: i64,
    /// Plans made for this student in the campaign.
    pub plans: i64,
}

/// `POST /api/visits/plans`: one plan per student, all on the same date with the same team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPlans {
    pub campaign_id: CampaignId,
    pub student_ids: Vec<StudentId>,
    pub mode: VisitMode,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `HH:MM`, optional.
    #[serde(default)]
    pub time: Option<String>,
    #[serde(default)]
    pub member_ids: Vec<UserId>,
    /// For cloud visits: the video meeting's `https://` link.
    #[serde(default)]
    pub meeting_link: Option<String>,
    /// In-person plans in one district may be grouped into one trip under this name.
    #[serde(default)]
    pub trip_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Plan {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub student_id: StudentId,
    pub student_name: String,
    pub class_name: String,
    pub city: Option<String>,
    pub district: Option<String>,
    pub mode: VisitMode,
    pub date: String,
    pub time: Option<String>,
    pub meeting_link: Option<String>,
    pub members: Vec<Person>,
    pub trip_id: Option<i64>,
    pub trip_name: Option<String>,
    pub created_by: Person,
    /// Whether a visit has been logged for this student in the campaign.
    pub visited: bool,
}

/// A follow-up action agreed on a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewFollowUp {
    pub what: String,
    pub owner_id: UserId,
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

/// What a visit records: the part its author may correct later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitRecord {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub mode: VisitMode,
    #[serde(default)]
    pub duration_min: Option<i64>,
    /// Staff who took part besides the author.
    #[serde(default)]
    pub member_ids: Vec<UserId>,
    /// Family members present, such as 父亲, 母亲.
    #[serde(default)]
    pub family_present: Vec<String>,
    #[serde(default)]
    pub aspects: Vec<Aspect>,
    #[serde(default)]
    pub concerns: String,
    #[serde(default)]
    pub answers: String,
    #[serde(default)]
    pub notes: String,
    /// Mental health, family finances: only the student's counselor and advisor, their college
    /// leader and admins read it (each read is audited). `None` in an answer means hidden; in an
    /// edit it means unchanged.
    #[serde(default)]
    pub sensitive_notes: Option<String>,
    /// Gifts or blessing packages delivered.
    #[serde(default)]
    pub gifts: String,
    /// Hardship grant (慰问金) in fen (1/100 yuan).
    #[serde(default)]
    pub grant_fen: Option<i64>,
}

impl Default for VisitRecord {
    fn default() -> Self {
        VisitRecord {
            date: String::new(),
            mode: VisitMode::InPerson,
            duration_min: None,
            member_ids: Vec::new(),
            family_present: Vec::new(),
            aspects: Vec::new(),
            concerns: String::new(),
            answers: String::new(),
            notes: String::new(),
            sensitive_notes: None,
            gifts: String::new(),
            grant_fen: None,
        }
    }
}

/// `POST /api/visits` and each item of a sync batch. `client_id` is made on the device, once
/// per visit, so that sending it again never stores it twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewVisit {
    pub client_id: String,
    pub campaign_id: CampaignId,
    pub student_id: StudentId,
    #[serde(default)]
    pub plan_id: Option<i64>,
    pub record: VisitRecord,
    #[serde(default)]
    pub follow_ups: Vec<NewFollowUp>,
    /// Concerns from the campaign's parents' meetings this visit addressed (`crate::concerns`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addressed: Vec<AddressedConcern>,
}

/// `PUT /api/visits/{id}`: a correction based on the revision the author last saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitEdit {
    pub base_revision: i64,
    pub record: VisitRecord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    Open,
    Done,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUp {
    pub id: i64,
    pub visit_id: VisitId,
    pub student_id: StudentId,
    pub student_name: String,
    pub what: String,
    pub owner: Person,
    pub due_on: String,
    pub status: FollowUpStatus,
    /// Open and due before today.
    pub overdue: bool,
    #[serde(default)]
    pub class_name: String,
    /// Referred to this school service, whose staff may close it.
    #[serde(default)]
    pub department: Option<crate::Department>,
    /// What came of it, noted when it was closed.
    #[serde(default)]
    pub outcome: Option<String>,
    /// Who closed it.
    #[serde(default)]
    pub done_by: Option<Person>,
}

/// `POST /api/follow-ups/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpUpdate {
    pub status: FollowUpStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Visit {
    pub id: VisitId,
    pub client_id: String,
    pub campaign_id: CampaignId,
    pub student_id: StudentId,
    pub student_name: String,
    pub class_name: String,
    pub plan_id: Option<i64>,
    pub author: Person,
    pub members: Vec<Person>,
    /// 1 when logged, one more with each correction.
    pub revision: i64,
    pub record: VisitRecord,
    /// Whether the caller may read `record.sensitive_notes`.
    pub sensitive_visible: bool,
    pub follow_ups: Vec<FollowUp>,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

/// One row of a visit list: nothing sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitSummary {
    pub id: VisitId,
    pub client_id: String,
    pub student_id: StudentId,
    pub student_name: String,
    pub class_name: String,
    pub date: String,
    pub mode: VisitMode,
    pub author: Person,
    pub revision: i64,
}

/// Query of `GET /api/visits`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct VisitQuery {
    pub campaign_id: Option<CampaignId>,
    pub student_id: Option<StudentId>,
}

/// One entry of a visit's history: the record before and after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitRevision {
    pub revision: i64,
    pub changed_by: Person,
    /// Unix seconds.
    pub changed_at: i64,
    /// `None` for the first revision, when the visit was logged.
    pub before: Option<VisitRecord>,
    pub after: VisitRecord,
}

/// The answer to a correction based on an old revision: 409 with the server's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitConflict {
    /// `conflict`.
    pub code: String,
    pub message: String,
    pub current: Visit,
}

/// `POST /api/visits/sync`: visits logged on a device, sent when the network is back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    pub visits: Vec<NewVisit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncStatus {
    /// Stored now.
    Stored,
    /// Stored before, with the same content: nothing to do.
    Duplicate,
    /// A visit with this `client_id` exists with other content: shown to the user.
    Conflict,
    /// Refused (not allowed, or invalid): `message` says why.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResult {
    pub client_id: String,
    pub status: SyncStatus,
    pub visit_id: Option<VisitId>,
    /// Why a visit was `rejected`, in the request's language.
    #[serde(default)]
    pub message: Option<String>,
    /// The refusal's error code, as the API's errors have it: `campaign_closed`, `validation`,
    /// `forbidden`, `not_found`.
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    pub results: Vec<SyncResult>,
}

/// Formats fen as yuan: 12345 → "123.45".
pub fn fen_to_yuan(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, (fen % 100).abs())
}

/// Reads yuan such as "200", "200.5" or "200.50" as fen.
pub fn yuan_to_fen(text: &str) -> Option<i64> {
    let text = crate::domain::normalize(text);
    let (whole, frac) = text.split_once('.').unwrap_or((&text, ""));
    if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || frac.len() > 2 {
        return None;
    }
    if !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_and_fen() {
        assert_eq!(yuan_to_fen("200"), Some(20000));
        assert_eq!(yuan_to_fen("200.5"), Some(20050));
        assert_eq!(yuan_to_fen("０.０５"), Some(5));
        assert_eq!(yuan_to_fen("-1"), None);
        assert_eq!(yuan_to_fen("1.234"), None);
        assert_eq!(fen_to_yuan(20050), "200.50");
    }

    #[test]
    fn requests_refuse_unknown_fields() {
        let json = r#"{"client_id":"a","campaign_id":1,"student_id":2,"record":{"date":"2024-01-20","mode":"cloud"},"author_id":3}"#;
        assert!(serde_json::from_str::<NewVisit>(json).is_err());
    }
}
