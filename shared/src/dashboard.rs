//! The campaign dashboard and report (`GET /api/campaigns/{id}/summary`): the figures a school
//! reports, computed live.
//!
//! Definitions:
//! - A student is *reached* with at least one visit of any mode in the campaign (counted once
//!   however often visited). Each reached student counts under one mode, the closest contact:
//!   in person, else cloud, else phone — so `in_person_students + cloud_students +
//!   phone_students = students_reached`.
//! - A *household* is the students sharing a guardian phone: a student's household key is the
//!   smallest guardian phone on record, or the home address when no guardian has a phone (or
//!   the student alone when neither is known). `in_person_households` counts the distinct keys
//!   of the students visited in person.
//! - `cities`: distinct cities of the students reached; `regions`: distinct (city, district)
//!   pairs (students without a district are not a region).
//! - `classes_with_meeting`: classes with a meeting in this campaign marked held.
//!   `meeting_signups`: families that answered they come (in person or online);
//!   `meeting_attendance`: families marked present. Meetings ignore the mode and date filters.

use serde::{Deserialize, Serialize};

use crate::{ClassId, UserId};

use crate::campaigns::Campaign;

/// Liaoning's fourteen prefecture-level cities, as students' addresses name them.
pub const LIAONING_CITIES: [&str; 14] = [
    "沈阳市",
    "大连市",
    "鞍山市",
    "抚顺市",
    "本溪市",
    "丹东市",
    "锦州市",
    "营口市",
    "阜新市",
    "辽阳市",
    "盘锦市",
    "铁岭市",
    "朝阳市",
    "葫芦岛市",
];

/// Counts below this in a city or district are suppressed for callers who may not see all the
/// students behind them.
pub const SMALL_COUNT: i64 = 5;

/// Filters of the summary and the export.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    pub college_id: Option<i64>,
    pub class_id: Option<ClassId>,
    pub counselor_id: Option<UserId>,
    /// `in_person`, `cloud` or `phone`.
    pub mode: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
    /// xlsx export only: include address and guardian phone (allowed callers, audited).
    pub include_sensitive: Option<bool>,
}

/// The headline figures of one campaign.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    pub students_reached: i64,
    pub in_person_students: i64,
    pub in_person_households: i64,
    pub cloud_students: i64,
    pub phone_students: i64,
    pub visits: i64,
    pub cities: i64,
    pub regions: i64,
    pub classes_total: i64,
    pub classes_with_meeting: i64,
    pub meeting_signups: i64,
    pub meeting_attendance: i64,
    pub follow_ups_open: i64,
    pub follow_ups_done: i64,
    /// Students in the classes within scope and filters.
    pub students_total: i64,
    /// Hardship grants (慰问金) the visits delivered, in fen, and how many visits gave one.
    #[serde(default)]
    pub grant_fen: i64,
    #[serde(default)]
    pub grants: i64,
    /// Blessing packages: visits that delivered gifts or a blessing package (`gifts` not empty).
    #[serde(default)]
    pub packages: i64,
}

/// The campaign's targets and how far along it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub target_students: Option<i64>,
    pub target_in_person_pct: Option<i64>,
    /// students_reached / target_students, in percent (rounded down).
    pub students_pct: Option<i64>,
    /// in_person_students / students_reached, in percent (rounded down).
    pub in_person_pct: Option<i64>,
}

/// Visits (not students) on one day in one mode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayCount {
    pub date: String,
    pub mode: String,
    pub visits: i64,
}

/// Students reached in a city or district. `students` is `None` when suppressed (fewer than
/// five, some of them outside the caller's scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AreaCount {
    pub city: String,
    /// Empty for a city row.
    pub district: String,
    pub students: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AspectCount {
    /// Aspect code, e.g. `academic`.
    pub aspect: String,
    pub visits: i64,
}

/// One row of the table by college or by counselor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupRow {
    pub id: i64,
    pub name: String,
    pub students: i64,
    pub reached: i64,
    pub in_person: i64,
    pub cloud: i64,
    pub follow_ups_open: i64,
    /// Hardship grants delivered by visits to these students, in fen.
    #[serde(default)]
    pub grant_fen: i64,
    /// Blessing packages delivered (visits with gifts).
    #[serde(default)]
    pub packages: i64,
}

/// Parents' meetings of one college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingRow {
    pub college_id: i64,
    pub college: String,
    pub classes: i64,
    pub held: i64,
    pub signups: i64,
    pub attendance: i64,
}

/// `GET /api/campaigns/{id}/summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignSummary {
    pub campaign: Campaign,
    pub figures: Figures,
    pub progress: Progress,
    /// Per aspect, in the school's order.
    pub aspects: Vec<AspectCount>,
    pub by_day: Vec<DayCount>,
    /// The whole school's coverage (within the filters), small counts suppressed.
    pub by_city: Vec<AreaCount>,
    pub by_district: Vec<AreaCount>,
    pub meetings_by_college: Vec<MeetingRow>,
    pub by_college: Vec<GroupRow>,
    pub by_counselor: Vec<GroupRow>,
    /// The campaign before this one by start date, with the same filters.
    pub previous: Option<Campaign>,
    pub previous_figures: Option<Figures>,
    /// Parents' feedback after the campaign's meetings, per college, within scope and the
    /// organisational filters (mode and dates do not apply).
    #[serde(default)]
    pub feedback_by_college: Vec<crate::feedback::CollegeFeedback>,
    /// The newest suggestions within scope and filters (at most
    /// [`crate::feedback::SUGGESTIONS_IN_SUMMARY`]).
    #[serde(default)]
    pub feedback_suggestions: Vec<crate::feedback::Suggestion>,
}

/// The school's report sentence, e.g. "本次家访共覆盖学生2184人，其中实地走访家庭91户，
/// '一对一云连线'2093人，覆盖11个城市的49个区县，252个班级全部召开家长会。"
pub fn report_sentence(f: &Figures) -> String {
    let mut text = format!(
        "本次家访共覆盖学生{}人，其中实地走访家庭{}户，'一对一云连线'{}人",
        f.students_reached, f.in_person_households, f.cloud_students
    );
    if f.phone_students > 0 {
        text.push_str(&format!("，电话家访{}人", f.phone_students));
    }
    text.push_str(&format!("，覆盖{}个城市的{}个区县，", f.cities, f.regions));
    if f.classes_total > 0 && f.classes_with_meeting == f.classes_total {
        text.push_str(&format!("{}个班级全部召开家长会。", f.classes_total));
    } else {
        text.push_str(&format!("{}个班级中{}个班级已召开家长会。", f.classes_total, f.classes_with_meeting));
    }
    text
}

/// The aid sentence, e.g. "走访中送去新春祝福包12份，发放慰问金8人次，共计4000.00元。"
pub fn aid_sentence(f: &Figures) -> String {
    format!(
        "走访中送去新春祝福包{}份，发放慰问金{}人次，共计{}元。",
        f.packages,
        f.grants,
        crate::visits::fen_to_yuan(f.grant_fen)
    )
}

/// The second sentence: meetings and follow-ups.
pub fn report_details(f: &Figures) -> String {
    format!(
        "家长会报名{}户，到会{}户；家访中确定的后续跟进事项{}项，已完成{}项，待办{}项。",
        f.meeting_signups,
        f.meeting_attendance,
        f.follow_ups_open + f.follow_ups_done,
        f.follow_ups_done,
        f.follow_ups_open
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sentence_reads_like_the_school_report() {
        let f = Figures {
            students_reached: 2184,
            in_person_students: 91,
            in_person_households: 91,
            cloud_students: 2093,
            cities: 11,
            regions: 49,
            classes_total: 252,
            classes_with_meeting: 252,
            ..Figures::default()
        };
        assert_eq!(
            report_sentence(&f),
            "本次家访共覆盖学生2184人，其中实地走访家庭91户，'一对一云连线'2093人，覆盖11个城市的49个区县，252个班级全部召开家长会。"
        );
    }
}
