//! The daily retention run. Every instance runs this loop; once a day, from `hour` (Beijing
//! time), the first instance to insert the day's row of `retention_runs` runs it — the primary
//! key makes the claim atomic on PostgreSQL and SQLite alike, so several instances on one
//! database run it once (the same way the day-before reminders are claimed per meeting). An
//! instance that dies mid-run leaves the day's row without `finished_at`; nothing is lost,
//! since the next day's run removes everything expired by then (a run only ever catches up).

use std::time::Duration;

use chrono::Timelike;
use tokio::sync::watch;

use super::{beijing_day, Removed, UTC_OFFSET};
use crate::db::{now, Db};
use crate::error::Result;

/// How often an instance looks whether the day's run is due.
const CHECK_EVERY: Duration = Duration::from_secs(600);

/// Runs the day's retention at `at` if it is `hour` or later in Beijing and no instance has
/// claimed the day yet; what it removed, or `None` when it was not this instance's to run.
pub async fn run_due(db: &Db, hour: u32, at: i64) -> Result<Option<Removed>> {
    let local = chrono::DateTime::from_timestamp(at + UTC_OFFSET, 0).unwrap_or_default();
    if local.hour() < hour {
        return Ok(None);
    }
    let day = beijing_day(at).to_string();
    let claimed: Option<i64> = sqlx::query_scalar("SELECT started_at FROM retention_runs WHERE day = $1")
        .bind(day.clone())
        .fetch_optional(&db.read)
        .await?;
    if claimed.is_some() {
        return Ok(None);
    }
    let mine = sqlx::query("INSERT INTO retention_runs (day, started_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING")
        .bind(day.clone())
        .bind(at)
        .execute(&db.write)
        .await?
        .rows_affected()
        == 1;
    if !mine {
        return Ok(None);
    }
    let removed = super::run(db, at, None, &format!("daily job, {day}")).await?;
    sqlx::query("UPDATE retention_runs SET finished_at = $1, summary = $2 WHERE day = $3")
        .bind(now())
        .bind(removed.to_string())
        .bind(day)
        .execute(&db.write)
        .await?;
    Ok(Some(removed))
}

/// The loop `serve` spawns when a retention hour is configured; stops when `stop` turns true.
pub async fn run_daily(db: Db, hour: u32, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(e) = run_due(&db, hour, now()).await {
            tracing::warn!(error = %e, "the retention run failed");
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() { break },
            _ = tokio::time::sleep(CHECK_EVERY) => {}
        }
    }
}
