//! Parents' meetings (家长会): what staff schedule, what a family answers, and the times in
//! between, which are stored as Unix seconds and shown in China Standard Time (Asia/Shanghai,
//! UTC+8 all year: China has no daylight saving time).

use serde::{Deserialize, Serialize};

use crate::{CampaignId, ClassId, GuardianId, MeetingId, StudentId};

use crate::Lang;

/// The answer a family gives with one tap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    InPerson,
    Online,
    Absent,
}

impl Attendance {
    pub const ALL: [Attendance; 3] = [Attendance::InPerson, Attendance::Online, Attendance::Absent];

    pub fn code(self) -> &'static str {
        match self {
            Attendance::InPerson => "in_person",
            Attendance::Online => "online",
            Attendance::Absent => "absent",
        }
    }

    pub fn from_code(code: &str) -> Option<Attendance> {
        Attendance::ALL.into_iter().find(|a| a.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Attendance::InPerson => lang.pick("到场参加", "Attend in person"),
            Attendance::Online => lang.pick("线上参加", "Attend online"),
            Attendance::Absent => lang.pick("无法参加", "Cannot attend"),
        }
    }
}

/// Where an answer stands: seats are only taken by families coming in person; once the meeting
/// is full, further ones wait in arrival order and move up when a seat frees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AnswerStatus {
    Confirmed,
    Waitlisted,
}

impl AnswerStatus {
    pub fn code(self) -> &'static str {
        match self {
            AnswerStatus::Confirmed => "confirmed",
            AnswerStatus::Waitlisted => "waitlisted",
        }
    }

    pub fn from_code(code: &str) -> Option<AnswerStatus> {
        [AnswerStatus::Confirmed, AnswerStatus::Waitlisted].into_iter().find(|s| s.code() == code)
    }
}

/// What a parent would like the meeting to talk about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Academic,
    Major,
    Postgraduate,
    Employment,
    MentalHealth,
    FamilyFinances,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 7] = [
        Topic::Academic,
        Topic::Major,
        Topic::Postgraduate,
        Topic::Employment,
        Topic::MentalHealth,
        Topic::FamilyFinances,
        Topic::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Topic::Academic => "academic",
            Topic::Major => "major",
            Topic::Postgraduate => "postgraduate",
            Topic::Employment => "employment",
            Topic::MentalHealth => "mental_health",
            Topic::FamilyFinances => "family_finances",
            Topic::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<Topic> {
        Topic::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Topic::Academic => lang.pick("学业成绩", "Academic performance"),
            Topic::Major => lang.pick("专业学习", "Major"),
            Topic::Postgraduate => lang.pick("考研升学", "Postgraduate entrance exam"),
            Topic::Employment => lang.pick("就业", "Employment"),
            Topic::MentalHealth => lang.pick("心理健康", "Mental health"),
            Topic::FamilyFinances => lang.pick("家庭经济", "Family finances"),
            Topic::Other => lang.pick("其他", "Other"),
        }
    }

    /// Sensitive personal information: only for staff whose scope holds the class.
    pub fn is_sensitive(self) -> bool {
        matches!(self, Topic::MentalHealth | Topic::FamilyFinances)
    }
}

/// `POST /api/meetings` (one class), `POST /api/meetings/bulk` (every class of a college, or of
/// the whole school) and `PUT /api/meetings/{id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MeetingInput {
    /// The class, for `POST /api/meetings`; ignored elsewhere (a meeting stays with its class).
    #[serde(default)]
    pub class_id: Option<ClassId>,
    /// For `POST /api/meetings/bulk`: one college; absent means every class the caller may see.
    #[serde(default)]
    pub college_id: Option<i64>,
    pub theme: String,
    #[serde(default)]
    pub description: String,
    /// Unix seconds.
    pub starts_at: i64,
    /// Unix seconds, after `starts_at`.
    pub ends_at: i64,
    #[serde(default)]
    pub place: Option<String>,
    /// An `https://` meeting link; a meeting needs a place, a link or both.
    #[serde(default)]
    pub online_url: Option<String>,
    /// People one family may bring (1 to 10).
    pub per_family: i64,
    /// People in the room in total; families attending online do not count.
    pub capacity: i64,
    /// Unix seconds; answers can change until then.
    pub signup_deadline: i64,
    #[serde(default)]
    pub campaign_id: Option<CampaignId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkCreated {
    pub created: i64,
    pub meeting_ids: Vec<MeetingId>,
}

/// Sign-up counts of a meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counts {
    pub families: i64,
    pub in_person: i64,
    pub online: i64,
    pub absent: i64,
    pub waitlisted: i64,
    pub not_answered: i64,
    /// People holding a seat.
    pub seats_taken: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Meeting {
    pub id: MeetingId,
    pub class_id: ClassId,
    pub class_name: String,
    pub college_name: String,
    pub details: MeetingInput,
    /// Unix seconds when staff marked it as held.
    pub held_at: Option<i64>,
    pub counts: Counts,
}

/// One family on the counselor's meeting page: a student, whoever answered, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyRow {
    pub student_id: StudentId,
    pub student_name: String,
    pub student_no: String,
    pub answer: Option<Attendance>,
    pub status: Option<AnswerStatus>,
    pub people: i64,
    /// 1 for the first family waiting.
    pub waitlist_position: Option<i64>,
    pub answered_by: Option<String>,
    pub attended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Signups {
    pub counts: Counts,
    pub families: Vec<FamilyRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffConcern {
    pub id: i64,
    pub topic: Topic,
    /// For the link to the student's page.
    #[serde(default)]
    pub student_id: StudentId,
    pub student_name: String,
    pub text: String,
    pub created_at: i64,
}

/// Concerns grouped by topic, in the order of `Topic::ALL`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConcernGroup {
    pub topic: Topic,
    pub concerns: Vec<StaffConcern>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttendanceMark {
    pub student_id: StudentId,
    pub present: bool,
}

/// A family's or the class's link, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkInfo {
    pub id: i64,
    pub guardian_id: Option<GuardianId>,
    pub student_name: Option<String>,
    pub guardian_name: Option<String>,
    pub relation: Option<String>,
    /// The full address to hand out, while the link is active.
    pub url: Option<String>,
    pub expires_at: i64,
    pub revoked: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Links {
    pub class_link: Option<LinkInfo>,
    pub families: Vec<LinkInfo>,
}

// The family side, the outbox's messages and the time helpers live in their own files; these
// paths stay valid.
pub use crate::family::*;
pub use crate::outbox::*;
pub use crate::time::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for t in Topic::ALL {
            assert_eq!(Topic::from_code(t.code()), Some(t));
        }
        for a in Attendance::ALL {
            assert_eq!(Attendance::from_code(a.code()), Some(a));
        }
    }
}
