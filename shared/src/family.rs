//! What a family sends and sees on the parent's page: entering by link, answering, concerns and
//! feedback. Nothing here describes another family.

use serde::{Deserialize, Serialize};

use crate::meetings::{AnswerStatus, Attendance, Topic};

/// `POST /api/family/enter`: the token of a family's personal link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnterRequest {
    pub token: String,
}

/// `POST /api/family/identify`: the class link's token, the student number — or, for a parent
/// who does not know it, the student's name — and the last four digits of the guardian's phone
/// on file. Exactly one of `student_no` and `student_name` is given (the other empty or absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IdentifyRequest {
    pub token: String,
    #[serde(default)]
    pub student_no: String,
    #[serde(default)]
    pub student_name: String,
    pub last_four: String,
}

/// What a class link says before anyone identifies: only the class and the meeting's theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassLinkInfo {
    pub class_name: String,
    pub theme: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub answer: Attendance,
    /// People coming (1 to the meeting's `per_family`); ignored for `absent`.
    #[serde(default = "one")]
    pub people: i64,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyAnswer {
    pub answer: Attendance,
    pub status: AnswerStatus,
    pub people: i64,
    pub waitlist_position: Option<i64>,
    /// The order of arrival of this answer among the meeting's answers.
    pub queue_seq: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConcernInput {
    pub topic: Topic,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyConcern {
    pub id: i64,
    pub topic: Topic,
    pub text: String,
    /// A home visit has addressed it ("已在家访中沟通"); it can no longer be removed.
    pub addressed: bool,
    /// The counselor's short reply, if one was written — never the visit's notes.
    pub reply: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FeedbackInput {
    /// 1 to 5.
    pub rating: i64,
    #[serde(default)]
    pub suggestions: String,
}

/// The parent's page: their child, the meeting and their own answer — nothing about others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyPage {
    pub student_name: String,
    pub class_name: String,
    pub guardian_name: String,
    pub theme: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: Option<String>,
    pub has_online: bool,
    /// Shown from 30 minutes before the start until the end.
    pub online_url: Option<String>,
    pub per_family: i64,
    pub signup_deadline: i64,
    pub can_change: bool,
    pub held: bool,
    pub answer: Option<FamilyAnswer>,
    pub concerns: Vec<FamilyConcern>,
    pub feedback: Option<FeedbackInput>,
    pub can_give_feedback: bool,
    /// The guardian asked for no more messages (on this page or by replying "TD").
    #[serde(default)]
    pub messages_off: bool,
}
