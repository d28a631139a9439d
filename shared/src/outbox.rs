//! The meeting's outbox: the texts to guardians (invitations, reminders, waitlist notices), where
//! each stands in delivery, guardians' replies, and which channels the operator configured.
//! Re-exported from `meetings`, where these types were first.

use serde::{Deserialize, Serialize};

use crate::Lang;

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

    /// The switch that turns this kind off per campaign.
    pub fn switch(self) -> crate::messages::MessageSwitch {
        match self {
            MessageKind::Invitation => crate::messages::MessageSwitch::Invitation,
            MessageKind::Reminder => crate::messages::MessageSwitch::Reminder,
            MessageKind::Promotion => crate::messages::MessageSwitch::Promotion,
        }
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
    /// When a channel accepted it (or staff marked it sent by hand).
    pub sent_at: Option<i64>,
    pub status: DeliveryStatus,
    /// Hand-overs tried so far.
    pub attempts: i64,
    pub last_attempt_at: Option<i64>,
    /// When the worker tries a failed message again.
    pub next_attempt_at: Option<i64>,
    /// Why the last try failed, as the channel said.
    pub last_error: Option<String>,
}

/// Where a message stands. Only `Sent` means a channel accepted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Queued,
    Sent,
    /// Failed; tried again at `next_attempt_at`.
    Failed,
    /// Failed too often or for good (no phone): no more tries unless staff ask.
    GaveUp,
    /// Marked sent by staff, who sent it with their own tool (no channel configured).
    Marked,
    /// The guardian opted out of messages: not sent.
    OptedOut,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 6] = [
        DeliveryStatus::Queued,
        DeliveryStatus::Sent,
        DeliveryStatus::Failed,
        DeliveryStatus::GaveUp,
        DeliveryStatus::Marked,
        DeliveryStatus::OptedOut,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::GaveUp => "gave_up",
            DeliveryStatus::Marked => "marked",
            DeliveryStatus::OptedOut => "opted_out",
        }
    }

    pub fn from_code(code: &str) -> Option<DeliveryStatus> {
        DeliveryStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DeliveryStatus::Queued => lang.pick("待发送", "Queued"),
            DeliveryStatus::Sent => lang.pick("已发送", "Sent"),
            DeliveryStatus::Failed => lang.pick("发送失败，将重试", "Failed, will retry"),
            DeliveryStatus::GaveUp => lang.pick("发送失败，已停止重试", "Failed, no more retries"),
            DeliveryStatus::Marked => lang.pick("已手动标记为已发送", "Marked sent by hand"),
            DeliveryStatus::OptedOut => lang.pick("家长已退订，未发送", "Guardian opted out: not sent"),
        }
    }
}

/// A guardian's reply to a text, forwarded by the school's SMS platform
/// (`POST /api/sms/replies`). "TD" or "退订" opts the phone's guardians out of messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsReply {
    pub phone: String,
    pub text: String,
}

/// What a reply changed: how many guardians (on that phone) opted out now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsReplyAnswer {
    pub opted_out: i64,
}

/// Which delivery channels the operator configured (`GET /api/messages/channels`). With no
/// SMS gateway nothing reaches guardians: staff export the outbox and send it themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChannelsInfo {
    /// The SMS gateway (`aliyun` or `http`), if any.
    pub sms: Option<String>,
    pub email: bool,
    pub wecom: bool,
}
