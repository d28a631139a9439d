//! The delivery worker: every instance runs one; each round it claims a few due messages
//! (`queue::claim`), hands each to its channel and records the answer. It sleeps when nothing is
//! due and stops at the server's shutdown, after the message in hand.
//!
//! Why a hand-written loop and not a job library (`apalis` with its SQL storage, say): the
//! messages already are rows with their own state shown to staff (status, attempts, reason), so
//! a job table beside them would be a second copy to keep in step; apalis's storages are one per
//! database (its SQLite and PostgreSQL backends have different schemas and migrations of their
//! own, outside `db::migrate` and the backups), while one claim query with a lease serves both
//! of ours; and the whole loop — claim, send, record, back off — is the ~80 lines below.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::config::Pacing;
use super::queue::{self, Claimed, Queue};
use super::sms::Sms;
use super::{notices, staff, Channels, Refused};
use crate::db::Db;
use crate::error::Result;
use crate::meetings::outbox;
use crate::secret::Secret;

pub struct Worker {
    pub db: Db,
    pub channels: Arc<Channels>,
    pub secret: Secret,
    /// The site's public address, for the links in invitations.
    pub public_url: String,
    /// When the day-before reminders are queued (`ChannelConfig::reminder_hour`).
    pub reminder_hour: Option<u32>,
    pub pacing: Pacing,
}

/// How many messages one claim takes.
const BATCH: i64 = 10;

impl Worker {
    /// Runs until `stop` turns true (or its sender is dropped).
    pub async fn run(self, mut stop: watch::Receiver<bool>) {
        let mut schedule_checked: Option<tokio::time::Instant> = None;
        while !*stop.borrow() {
            // The reminders' schedule is looked at once a minute (by default) at most.
            let every = Duration::from_secs(self.pacing.schedule_every_secs);
            if schedule_checked.is_none_or(|at| at.elapsed() >= every) {
                schedule_checked = Some(tokio::time::Instant::now());
                if let Err(e) = self.schedule().await {
                    tracing::warn!(error = %e, "queueing the day-before reminders failed");
                }
            }
            let handled = match self.round().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::warn!(error = %e, "the delivery worker's round failed");
                    0
                }
            };
            if handled == 0 {
                tokio::select! {
                    // A dropped sender also means stop.
                    changed = stop.changed() => if changed.is_err() { break },
                    _ = tokio::time::sleep(Duration::from_millis(self.pacing.poll_ms)) => {}
                }
            }
        }
    }

    /// Queues the day-before reminders and the weekly notices of overdue follow-ups that are due.
    async fn schedule(&self) -> Result<()> {
        let Some(hour) = self.reminder_hour else { return Ok(()) };
        let at = crate::db::now();
        let queued = outbox::queue_due_reminders(&self.db, &self.channels, hour, at).await?;
        if queued > 0 {
            tracing::info!(meetings = queued, "day-before reminders queued");
        }
        // The weekly notices of overdue follow-ups go out from the same hour.
        let public_url = Some(self.public_url.as_str()).filter(|u| !u.is_empty());
        let told = notices::overdue_weekly(&self.db, &self.channels, public_url, hour, at).await?;
        if told > 0 {
            tracing::info!(owners = told, "weekly notices of overdue follow-ups queued");
        }
        Ok(())
    }

    /// One claim per queue; how many messages were handled.
    async fn round(&self) -> Result<usize> {
        let mut handled = 0;
        if let Some(gateway) = &self.channels.sms {
            for claimed in queue::claim(&self.db, Queue::Guardians, &self.pacing, BATCH).await? {
                let url =
                    |nonce: &str| crate::meetings::links::family_url(&self.public_url, &self.secret, nonce, false);
                let Some(message) = outbox::for_delivery(&self.db, claimed.id, &url).await? else { continue };
                if message.opted_out {
                    queue::opted_out(&self.db, claimed.id).await?;
                    continue;
                }
                let outcome = match &message.phone {
                    Some(phone) => gateway.send(&Sms { id: claimed.id, phone, text: &message.text }).await,
                    None => Err(Refused::never("没有家长手机号 / the guardian has no phone on file")),
                };
                self.record(Queue::Guardians, &claimed, outcome).await?;
                handled += 1;
            }
        }
        if self.channels.email.is_some() || self.channels.wecom.is_some() {
            for claimed in queue::claim(&self.db, Queue::Staff, &self.pacing, BATCH).await? {
                let Some(notice) = staff::stored(&self.db, claimed.id).await? else { continue };
                let outcome = match (notice.channel.as_str(), &self.channels.email, &self.channels.wecom) {
                    ("email", Some(email), _) => {
                        email.send(notice.email.as_deref(), &notice.subject, &notice.text).await
                    }
                    ("wecom", _, Some(wecom)) => wecom.send(&notice.text).await,
                    (channel, _, _) => Err(Refused::again(format!("{channel} is not configured on this instance"))),
                };
                self.record(Queue::Staff, &claimed, outcome).await?;
                handled += 1;
            }
        }
        Ok(handled)
    }

    async fn record(&self, queue: Queue, claimed: &Claimed, outcome: std::result::Result<(), Refused>) -> Result<()> {
        match &outcome {
            Ok(()) => tracing::info!(message_id = claimed.id, queue = ?queue, "message delivered"),
            // The reason is the channel's answer, never the text, phone or a secret.
            Err(r) => tracing::warn!(message_id = claimed.id, queue = ?queue, attempts = claimed.attempts,
                reason = %r.reason, "message not delivered"),
        }
        queue::finish(&self.db, queue, claimed, &outcome, &self.pacing).await
    }
}
