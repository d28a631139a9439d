//! Retention (issue 19 item 3): how long a campaign's personal data is kept after it closes,
//! and what the next run would remove; a family's rights over one student (item 4).

use serde::{Deserialize, Serialize};

use crate::Lang;

/// What the retention run removes or blanks once its period has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Kept {
    /// A visit's notes: what the family raised and answered, the notes, who was present.
    VisitNotes,
    /// A visit's sensitive notes (mental health, family finances).
    SensitiveNotes,
    /// The text of families' concerns and the visit's replies (the topic stays, for the figures).
    Concerns,
    /// The photos of typical cases.
    Photos,
    /// Families' personal links to the campaign's meetings (and their sessions).
    FamilyLinks,
}

impl Kept {
    pub const ALL: [Kept; 5] =
        [Kept::VisitNotes, Kept::SensitiveNotes, Kept::Concerns, Kept::Photos, Kept::FamilyLinks];

    pub fn code(self) -> &'static str {
        match self {
            Kept::VisitNotes => "visit_notes",
            Kept::SensitiveNotes => "sensitive_notes",
            Kept::Concerns => "concerns",
            Kept::Photos => "photos",
            Kept::FamilyLinks => "family_links",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Kept::VisitNotes => lang.pick("家访记录文字", "Visit notes"),
            Kept::SensitiveNotes => lang.pick("敏感记录", "Sensitive notes"),
            Kept::Concerns => lang.pick("家长关注的问题", "Families' concerns"),
            Kept::Photos => lang.pick("典型案例照片", "Photos"),
            Kept::FamilyLinks => lang.pick("家长专属链接", "Family links"),
        }
    }

    /// The period in `periods` for this kind.
    pub fn days(self, periods: &RetentionPeriods) -> i64 {
        match self {
            Kept::VisitNotes => periods.visit_notes_days,
            Kept::SensitiveNotes => periods.sensitive_notes_days,
            Kept::Concerns => periods.concerns_days,
            Kept::Photos => periods.photos_days,
            Kept::FamilyLinks => periods.family_links_days,
        }
    }
}

/// Days after the campaign closes each kind is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RetentionPeriods {
    pub visit_notes_days: i64,
    pub sensitive_notes_days: i64,
    pub concerns_days: i64,
    pub photos_days: i64,
    pub family_links_days: i64,
}

/// The defaults, for a campaign whose admin set none; why these is in docs/privacy.md
/// ("Retention"): sensitive notes half a year (the follow-ups of the next term), concerns a year
/// (until the next year's meetings), visit notes and photos two years (the next campaign compares
/// with this one; the report is written by then), family links 30 days (only for signing up).
pub const DEFAULTS: RetentionPeriods = RetentionPeriods {
    visit_notes_days: 730,
    sensitive_notes_days: 180,
    concerns_days: 365,
    photos_days: 730,
    family_links_days: 30,
};

/// At most ten years.
pub const MAX_DAYS: i64 = 3650;

/// One kind of a campaign's data: when it expires and what the next run would remove.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionItem {
    pub kind: Kept,
    pub days: i64,
    /// `YYYY-MM-DD` (Beijing time) from which it goes; `None` while the campaign is open.
    pub expires_on: Option<String>,
    /// Whether the period has passed: the next run removes what is held.
    pub expired: bool,
    /// Rows still holding it (visits with such notes, concerns with text, photos, links).
    pub held: i64,
}

/// `GET /api/campaigns/{id}/retention`: the periods and the dry run — what would go now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRetention {
    pub campaign_id: crate::CampaignId,
    pub campaign_name: String,
    pub periods: RetentionPeriods,
    pub defaults: RetentionPeriods,
    /// `YYYY-MM-DD` the periods count from; `None` while the campaign is not closed.
    pub counted_from: Option<String>,
    pub items: Vec<RetentionItem>,
}

impl CampaignRetention {
    /// How many rows the next run would change.
    pub fn would_go(&self) -> i64 {
        self.items.iter().filter(|i| i.expired).map(|i| i.held).sum()
    }
}

/// A request under a family's rights (PIPL arts. 45–47): why, and on whose request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RightsRequest {
    /// Who asked and why, e.g. "母亲来电要求导出，工单 2025-031"; required, at most 500 characters.
    pub reason: String,
}

/// At most this many characters in a request's reason.
pub const MAX_REASON: usize = 500;

/// The answer to a correction or an erasure request: when it was recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightsDone {
    /// Unix seconds.
    pub done_at: i64,
}

/// The name an erased student and their guardians keep (their rows stay for the figures).
pub const ERASED_NAME: &str = "已删除";
