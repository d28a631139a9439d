//! A student's history across campaigns (`GET /api/students/{id}/history`): visits, meeting
//! answers and attendance, concerns, follow-ups and hardship aid received. Each part is there
//! only for those allowed to see it; a part the caller may not see is `None` (the page says so),
//! never an empty list that would read as "nothing happened".

use serde::{Deserialize, Serialize};

use crate::meetings::{AnswerStatus, Attendance, Topic};
use crate::visits::{FollowUp, Person};
use crate::{Aspect, CampaignId, ConcernId, MeetingId, StudentId, VisitId, VisitMode};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StudentHistory {
    pub student_id: StudentId,
    pub student_name: String,
    pub class_name: String,
    /// The visits the caller may see, newest first (all campaigns).
    pub visits: Vec<HistoryVisit>,
    /// The parents' meetings of the student's class and their family's answer: only for staff
    /// whose scope holds the class (who see the meetings themselves).
    pub meetings: Option<Vec<HistoryMeeting>>,
    /// Concerns the family raised, newest first; mental health and family finances only for
    /// staff whose own scope holds the student (each such read audited).
    pub concerns: Vec<HistoryConcern>,
    /// Whether sensitive concerns would be shown (and are, if there are any).
    pub sensitive_visible: bool,
    /// Follow-ups agreed on the visits the caller may see, newest due first.
    pub follow_ups: Vec<FollowUp>,
    /// Hardship grants and blessing packages recorded on visits, newest first: only for staff
    /// whose own scope holds the student (each read audited).
    pub aid: Option<Vec<AidReceived>>,
}

/// One visit, without its notes (the visit's own page has them, for those who may read them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryVisit {
    pub id: VisitId,
    pub campaign_id: CampaignId,
    pub campaign_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub mode: VisitMode,
    pub author: Person,
    pub aspects: Vec<Aspect>,
}

/// A parents' meeting of the student's class and the family's answer (`None`: not answered).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryMeeting {
    pub meeting_id: MeetingId,
    pub theme: String,
    /// Unix seconds.
    pub starts_at: i64,
    pub answer: Option<Attendance>,
    pub status: Option<AnswerStatus>,
    pub people: i64,
    /// Marked present at the meeting.
    pub attended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryConcern {
    pub id: ConcernId,
    pub meeting_id: MeetingId,
    pub topic: Topic,
    pub text: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The visit that addressed it, and the reply the family read.
    pub visit_id: Option<VisitId>,
    pub reply: Option<String>,
}

/// Aid recorded on one visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AidReceived {
    pub visit_id: VisitId,
    pub campaign_name: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Hardship grant (慰问金) in fen.
    pub grant_fen: Option<i64>,
    /// Gifts or blessing packages delivered.
    pub gifts: String,
}
