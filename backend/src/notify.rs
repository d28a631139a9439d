//! Sending the meeting outbox's texts. The school sends them with its own SMS or WeChat tool
//! (from the xlsx export); a provider integration would implement `Notifier`. The one built in
//! only logs that a message was handed over — its id and kind, never the text or the phone.

use shared::meetings::MessageKind;

/// A text ready to go to one guardian.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub id: i64,
    pub kind: MessageKind,
    pub phone: Option<String>,
    pub text: String,
}

pub trait Notifier: Send + Sync {
    /// Hands one message over; an error leaves it in the outbox, unsent.
    fn send(&self, message: &Outgoing) -> anyhow::Result<()>;
}

/// Logs the message's id and kind only.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogNotifier;

impl Notifier for LogNotifier {
    fn send(&self, message: &Outgoing) -> anyhow::Result<()> {
        tracing::info!(message_id = message.id, kind = message.kind.code(), "outbox message handed over");
        Ok(())
    }
}
