//! The kinds of message an admin may switch off per campaign (issue 16, item 3): the guardians'
//! texts (invitations, day-before reminders, waitlist notices) and the staff notices (a new
//! concern on a sensitive topic, a referral to a service department, overdue follow-ups).

use serde::{Deserialize, Serialize};

use crate::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageSwitch {
    /// To guardians, when their links are issued.
    Invitation,
    /// To guardians coming, the day before (and to the organiser: how many come).
    Reminder,
    /// To a guardian moved off the waitlist.
    Promotion,
    /// To the class's counselor: a new concern on mental health or family finances.
    SensitiveConcern,
    /// To a service department's staff: a follow-up referred to them.
    Referral,
    /// Weekly, to whoever owns overdue follow-ups.
    Overdue,
}

impl MessageSwitch {
    pub const ALL: [MessageSwitch; 6] = [
        MessageSwitch::Invitation,
        MessageSwitch::Reminder,
        MessageSwitch::Promotion,
        MessageSwitch::SensitiveConcern,
        MessageSwitch::Referral,
        MessageSwitch::Overdue,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MessageSwitch::Invitation => "invitation",
            MessageSwitch::Reminder => "reminder",
            MessageSwitch::Promotion => "promotion",
            MessageSwitch::SensitiveConcern => "sensitive_concern",
            MessageSwitch::Referral => "referral",
            MessageSwitch::Overdue => "overdue",
        }
    }

    pub fn from_code(code: &str) -> Option<MessageSwitch> {
        MessageSwitch::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MessageSwitch::Invitation => lang.pick("报名邀请（家长）", "Invitations (guardians)"),
            MessageSwitch::Reminder => lang.pick("会前一天提醒（家长）", "Day-before reminders (guardians)"),
            MessageSwitch::Promotion => lang.pick("候补转正通知（家长）", "Off-the-waitlist notices (guardians)"),
            MessageSwitch::SensitiveConcern => {
                lang.pick("敏感话题的新问题（班主任）", "New concerns on sensitive topics (counselor)")
            }
            MessageSwitch::Referral => lang.pick("转介通知（服务部门）", "Referrals (service departments)"),
            MessageSwitch::Overdue => lang.pick("逾期事项周报（负责人）", "Weekly overdue follow-ups (owners)"),
        }
    }
}

/// `GET` and `PUT /api/campaigns/{id}/messages`: the kinds switched off; every other kind is on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignMessages {
    pub off: Vec<MessageSwitch>,
}

impl CampaignMessages {
    pub fn is_on(&self, kind: MessageSwitch) -> bool {
        !self.off.contains(&kind)
    }
}
