use serde::{Deserialize, Serialize};

use crate::{CampaignId, Lang, UserId};

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
    pub id: CampaignId,
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`.
    pub ends_on: String,
    pub status: CampaignStatus,
    pub target_students: Option<i64>,
    /// Share of students to be visited in person, in percent.
    pub target_in_person_pct: Option<i64>,
    /// The rule "every student at hardship level 特别困难 is visited in person" is on.
    #[serde(default)]
    pub hardship_in_person: bool,
}

/// A campaign's visit team (家访小组) within a college.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    pub id: i64,
    pub campaign_id: CampaignId,
    pub college_id: i64,
    pub name: String,
    pub leader_id: Option<UserId>,
    pub member_ids: Vec<UserId>,
}

impl CampaignStatus {
    /// Where a campaign may go from here: only forward, and nowhere once closed.
    pub fn can_become(self, next: CampaignStatus) -> bool {
        let rank = |s: CampaignStatus| CampaignStatus::ALL.iter().position(|x| *x == s);
        rank(next) > rank(self)
    }
}

/// Body of `POST /api/campaigns` and `PUT /api/campaigns/{id}`. The status changes apart.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// Unique, e.g. 2024年寒假家访.
    pub name: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// `YYYY-MM-DD`, not before `starts_on`.
    pub ends_on: String,
    /// Students to reach, at least 0.
    #[serde(default)]
    pub target_students: Option<i64>,
    /// Share of them to visit in person, 0 to 100.
    #[serde(default)]
    pub target_in_person_pct: Option<i64>,
    /// Every student at hardship level 特别困难 is to be visited in person.
    #[serde(default)]
    pub hardship_in_person: bool,
}

/// Body of `POST /api/campaigns/{id}/status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: CampaignStatus,
}

/// One of the eight aspects with its labels, as `GET /api/aspects` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AspectInfo {
    pub code: crate::Aspect,
    pub label_zh: String,
    pub label_en: String,
}

/// A team with the names to show: `Team` plus its college, leader and members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TeamDetail {
    #[serde(flatten)]
    pub team: Team,
    pub college_name: String,
    pub leader: Option<crate::users::StaffRef>,
    pub members: Vec<crate::users::StaffRef>,
}

/// Body of `POST /api/campaigns/{id}/teams`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTeam {
    pub college_id: i64,
    pub name: String,
    #[serde(default)]
    pub leader_id: Option<UserId>,
    #[serde(default)]
    pub member_ids: Vec<UserId>,
}

/// Body of `PUT /api/teams/{id}`: a team stays in its campaign and college.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamUpdate {
    pub name: String,
    #[serde(default)]
    pub leader_id: Option<UserId>,
    #[serde(default)]
    pub member_ids: Vec<UserId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_moves_only_forward() {
        use CampaignStatus::*;
        assert!(Draft.can_become(Active) && Active.can_become(Closed) && Draft.can_become(Closed));
        assert!(!Active.can_become(Draft) && !Closed.can_become(Active) && !Active.can_become(Active));
    }
}
