use serde::{Deserialize, Serialize};

use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum CampaignStatus {
    Draft,
    Active,
    Closed,
}

impl CampaignStatus {
    pub const ALL: [CampaignStatus; 3] = [CampaignStatus::Draft, CampaignStatus::Active, CampaignStatus::Closed];

    pub fn code(self) -> &'static str {
        match self {
            CampaignStatus::Draft => "draft",
            CampaignStatus::Active => "active",
            CampaignStatus::Closed => "closed",
        }
    }

    pub fn from_code(code: &str) -> Option<CampaignStatus> {
        CampaignStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            CampaignStatus::Draft => lang.pick("草稿", "Draft"),
            CampaignStatus::Active => lang.pick("进行中", "Active"),
            CampaignStatus::Closed => lang.pick("已结束", "Closed"),
        }
    }
}

/// A home-visit campaign (专项行动) such as 2024年寒假家访.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    pub status: CampaignStatus,
    pub target_students: Option<i64>,
    /// Share of students to be visited in person, in percent.
    pub target_in_person_pct: Option<i64>,
}

/// A campaign's visit team (家访小组) within a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: i64,
    pub campaign_id: i64,
    pub college_id: i64,
    pub name: String,
    pub leader_id: Option<i64>,
    pub member_ids: Vec<i64>,
}
