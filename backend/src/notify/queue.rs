//! The delivery state of the two queues — guardians' texts (`meeting_messages`) and staff
//! notices (`staff_notices`), which carry the same columns — and the only place its SQL lives.
//!
//! A claim is one atomic `UPDATE … RETURNING` that sets a lease: on PostgreSQL the candidates are
//! picked `FOR UPDATE SKIP LOCKED`, and the outer `WHERE` repeats the conditions, which
//! PostgreSQL re-checks on a row another transaction changed meanwhile; SQLite has one writer.
//! So each due message is claimed by one instance; another takes it over only once the lease
//! (longer than a send may take) has passed, i.e. the instance died mid-send.

use super::config::Pacing;
use super::Refused;
use crate::db::{now, Db, DbKind};
use crate::error::Result;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Guardians,
    Staff,
}

impl Queue {
    fn table(self) -> &'static str {
        match self {
            Queue::Guardians => "meeting_messages",
            Queue::Staff => "staff_notices",
        }
    }
}

/// A claimed message: its id and the number of this try.
#[derive(Debug, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub attempts: i64,
}

/// Claims up to `limit` due messages for `pacing.lease_secs`, counting the try.
pub async fn claim(db: &Db, queue: Queue, pacing: &Pacing, limit: i64) -> Result<Vec<Claimed>> {
    let table = queue.table();
    let lock = if db.kind == DbKind::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let due = "status IN ('queued', 'failed') AND next_attempt_at <= $2 AND (lease_until IS NULL OR lease_until <= $2)";
    let sql = format!(
        "UPDATE {table} SET lease_until = $1, attempts = attempts + 1, last_attempt_at = $2 \
         WHERE id IN (SELECT id FROM {table} WHERE {due} ORDER BY id LIMIT {limit} {lock}) AND {due} \
         RETURNING id, attempts"
    );
    let at = now();
    Ok(sqlx::query_as(&sql).bind(at + pacing.lease_secs).bind(at).fetch_all(&db.write).await?)
}

/// Records a channel's answer: sent, or failed with its reason and the time of the next try
/// (exponential backoff), or given up.
pub async fn finish(
    db: &Db,
    queue: Queue,
    claimed: &Claimed,
    outcome: &std::result::Result<(), Refused>,
    pacing: &Pacing,
) -> Result<()> {
    let table = queue.table();
    let at = now();
    match outcome {
        Ok(()) => {
            let sql = format!(
                "UPDATE {table} SET status = 'sent', sent_at = $1, lease_until = NULL, last_error = NULL WHERE id = $2"
            );
            sqlx::query(&sql).bind(at).bind(claimed.id).execute(&db.write).await?;
        }
        Err(refused) => {
            let give_up = !refused.retry || claimed.attempts >= pacing.max_attempts;
            let status = if give_up { "gave_up" } else { "failed" };
            let sql = format!(
                "UPDATE {table} SET status = $1, last_error = $2, next_attempt_at = $3, lease_until = NULL WHERE id = $4"
            );
            sqlx::query(&sql)
                .bind(status)
                .bind(&refused.reason)
                .bind(at + backoff(pacing, claimed.attempts))
                .bind(claimed.id)
                .execute(&db.write)
                .await?;
        }
    }
    Ok(())
}

/// Seconds before the try after `attempts` tries: base, 2×base, 4×base, … at most an hour.
pub fn backoff(pacing: &Pacing, attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 20) - 1;
    pacing.backoff_base_secs.saturating_mul(1 << doublings).min(3600)
}

/// A guardian's message not sent because they opted out (the try is not counted).
pub async fn opted_out(db: &Db, id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE meeting_messages SET status = 'opted_out', attempts = attempts - 1, lease_until = NULL WHERE id = $1",
    )
    .bind(id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Staff sent the meeting's waiting messages with their own tool (no channel configured).
pub async fn mark_sent_by_hand(db: &Db, meeting_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE meeting_messages SET status = 'marked', sent_at = $1 \
         WHERE meeting_id = $2 AND status IN ('queued', 'failed', 'gave_up')",
    )
    .bind(now())
    .bind(meeting_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

/// The meeting's failed messages are tried again at the worker's next round.
pub async fn retry_now(db: &Db, meeting_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE meeting_messages SET status = 'failed', next_attempt_at = $1 \
         WHERE meeting_id = $2 AND status IN ('failed', 'gave_up')",
    )
    .bind(now())
    .bind(meeting_id)
    .execute(&db.write)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_wait_doubles_up_to_an_hour() {
        let pacing = super::Pacing { backoff_base_secs: 30, ..Default::default() };
        let waits: Vec<i64> = (1..=9).map(|a| super::backoff(&pacing, a)).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
