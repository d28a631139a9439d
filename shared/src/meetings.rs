//! Parents' meetings (家长会): what staff schedule, what a family answers, and the times in
//! between, which are stored as Unix seconds and shown in China Standard Time (Asia/Shanghai,
//! UTC+8 all year: China has no daylight saving time).

use serde::{Deserialize, Serialize};

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
    pub class_id: Option<i64>,
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
    pub campaign_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkCreated {
    pub created: i64,
    pub meeting_ids: Vec<i64>,
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
    pub id: i64,
    pub class_id: i64,
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
    pub student_id: i64,
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
    pub student_id: i64,
    pub present: bool,
}

/// A family's or the class's link, as staff see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LinkInfo {
    pub id: i64,
    pub guardian_id: Option<i64>,
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    Invitation,
    Reminder,
    Promotion,
}

impl MessageKind {
    pub fn code(self) -> &'static str {
        match self {
            MessageKind::Invitation => "invitation",
            MessageKind::Reminder => "reminder",
            MessageKind::Promotion => "promotion",
        }
    }

    pub fn from_code(code: &str) -> Option<MessageKind> {
        [MessageKind::Invitation, MessageKind::Reminder, MessageKind::Promotion].into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MessageKind::Invitation => lang.pick("报名邀请", "Invitation"),
            MessageKind::Reminder => lang.pick("会前提醒", "Reminder"),
            MessageKind::Promotion => lang.pick("候补转正", "Off the waitlist"),
        }
    }
}

/// A text waiting in the outbox for the school's SMS or WeChat tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: MessageKind,
    pub guardian_name: String,
    pub student_name: String,
    /// The guardian's phone on file: the outbox is for the class's staff only.
    pub phone: Option<String>,
    pub text: String,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// `POST /api/family/enter`: the token of a family's personal link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EnterRequest {
    pub token: String,
}

/// `POST /api/family/identify`: the class link's token, the student number and the last four
/// digits of the guardian's phone on file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IdentifyRequest {
    pub token: String,
    pub student_no: String,
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
}

/// China Standard Time, the school's time zone.
pub const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Local time in Shanghai as (year, month, day, hour, minute, second).
pub fn shanghai_parts(unix: i64) -> (i64, i64, i64, i64, i64, i64) {
    let local = unix + SHANGHAI_OFFSET_SECS;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `2025-03-01T14:00`, as an `<input type="datetime-local">` holds it.
pub fn to_local_input(unix: i64) -> String {
    let (y, m, d, h, min, _) = shanghai_parts(unix);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}")
}

/// Reads `2025-03-01T14:00` (seconds optional) as Shanghai time.
pub fn from_local_input(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    let mut date = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (date.next()??, date.next()??, date.next()??);
    let mut time = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (time.next()??, time.next()??);
    let s = time.next().flatten().unwrap_or(0);
    let valid = (1..=12).contains(&m) && (1..=31).contains(&d) && (0..24).contains(&h) && (0..60).contains(&min);
    valid.then(|| days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + s - SHANGHAI_OFFSET_SECS)
}

/// `2025年3月1日 14:00` or `2025-03-01 14:00`.
pub fn format_local(unix: i64, lang: Lang) -> String {
    let (y, m, d, h, min, _) = shanghai_parts(unix);
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日 {h:02}:{min:02}"),
        Lang::En => format!("{y}-{m:02}-{d:02} {h:02}:{min:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_round_trip() {
        // 2025-03-01 06:00 UTC is 14:00 in Shanghai.
        assert_eq!(to_local_input(1_740_808_800), "2025-03-01T14:00");
        assert_eq!(from_local_input("2025-03-01T14:00"), Some(1_740_808_800));
        assert_eq!(from_local_input("2024-12-31T23:59:30"), Some(1_735_660_770));
        assert_eq!(to_local_input(1_735_660_770), "2024-12-31T23:59");
        assert_eq!(from_local_input("nonsense"), None);
        assert_eq!(format_local(1_740_808_800, Lang::Zh), "2025年3月1日 14:00");
    }

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
