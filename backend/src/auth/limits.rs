//! Attempt limits kept in the database, so that they hold across instances: failed sign-ins per
//! account and per address, guesses at family links, and exports per user.

use crate::db::{now, Db};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

pub async fn count(db: &Db, key: &str, window_secs: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attempts WHERE key = $1 AND at > $2")
        .bind(key.to_string())
        .bind(now() - window_secs)
        .fetch_one(&db.read)
        .await
}

/// Refuses with 429 once `key` has reached its limit within the window.
pub async fn check(db: &Db, key: &str, limit: Limit) -> Result<i64> {
    let n = count(db, key, limit.window_secs).await?;
    if n >= limit.max {
        return Err(Error::TooManyRequests { retry_after_secs: limit.window_secs as u64 });
    }
    Ok(n)
}

pub async fn record(db: &Db, key: &str) -> sqlx::Result<()> {
    let at = now();
    sqlx::query("INSERT INTO attempts (key, at) VALUES ($1, $2)")
        .bind(key.to_string())
        .bind(at)
        .execute(&db.write)
        .await?;
    // Old attempts never matter again.
    sqlx::query("DELETE FROM attempts WHERE at < $1").bind(at - 86_400).execute(&db.write).await?;
    Ok(())
}

/// Exports carry many families' records at once: each staff user gets `limit` of them per
/// window, whichever instance serves them.
pub async fn spend_export(db: &Db, user_id: i64, limit: Limit) -> Result<()> {
    let key = format!("export:user:{user_id}");
    check(db, &key, limit).await?;
    record(db, &key).await?;
    Ok(())
}

pub async fn clear(db: &Db, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM attempts WHERE key = $1").bind(key.to_string()).execute(&db.write).await?;
    Ok(())
}
