//! Attempt limits kept in the database, so that they hold across instances: failed sign-ins per
//! account and per address, guesses at family links, exports and import previews per user.
//!
//! At a key that guards one secret or one person's allowance (an account's password, a
//! student's identification, a user's exports and previews) an attempt is counted *before* it
//! is tried (`spend`), and the count and the check are one step: a transaction that takes a lock
//! on the key (PostgreSQL: a transaction-level advisory lock on the key's hash, so that instances
//! sharing the database take turns; SQLite: the write lock the insert takes, held by the single
//! writer connection — see `db::writer` — until the commit) records the attempt, counts those in
//! the window and takes this one back if it is beyond the limit. A burst of parallel guesses
//! therefore gets exactly `max` tries, never more. An attempt that went well is taken back
//! (`Attempt::release`) so that it counts against nobody.
//!
//! The limits per address (`check` before, `record` after a failure) are shared by everyone
//! behind one address; see `check` for why they count failures after the fact.

use shared::UserId;
use std::net::IpAddr;

use sqlx::AnyConnection;

use crate::db::{now, Db, DbKind};
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_secs: i64,
}

/// One counted attempt: kept (a failure) unless released.
#[derive(Debug)]
#[must_use = "an attempt is either kept (a failure) or released"]
pub struct Attempt {
    id: i64,
    /// Attempts at this key in the window before this one.
    pub before: i64,
}

impl Attempt {
    /// Takes the attempt back: it went well and does not count.
    pub async fn release(self, db: &Db) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM attempts WHERE id = $1").bind(self.id).execute(&db.write).await?;
        Ok(())
    }

    /// Leaves the attempt counted (a failure).
    pub fn keep(self) {}
}

/// How many attempts at `key` are in the window now.
pub async fn count(db: &Db, key: &str, window_secs: i64) -> sqlx::Result<i64> {
    sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM attempts WHERE key = $1 AND at > $2")
        .bind(key.to_string())
        .bind(now() - window_secs)
        .fetch_one(&db.read)
        .await
}

/// Counts an attempt at `key` and checks it in one step: 429 (nothing recorded) when `max`
/// attempts are already in the window, else the recorded attempt.
pub async fn spend(db: &Db, key: &str, limit: Limit) -> Result<Attempt> {
    let key = key.to_string();
    let kind = db.kind;
    let counted = db.transaction(move |conn| Box::pin(count_in(conn, kind, key.clone(), limit))).await?;
    let attempt = counted.ok_or(Error::TooManyRequests { retry_after_secs: limit.window_secs as u64 })?;
    // Old attempts never matter again (every window is shorter than a day).
    if attempt.id % 64 == 0 {
        sqlx::query("DELETE FROM attempts WHERE at < $1").bind(now() - 86_400).execute(&db.write).await?;
    }
    Ok(attempt)
}

/// `spend`'s transaction: the attempt if it is within the limit, else `None` and nothing kept.
async fn count_in(conn: &mut AnyConnection, kind: DbKind, key: String, limit: Limit) -> Result<Option<Attempt>> {
    let at = now();
    if kind == DbKind::Postgres {
        // Held until the transaction ends: every instance counts this key in turn.
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(hashtextextended($1, 0))) AS held",
        )
        .bind(key.clone())
        .fetch_one(&mut *conn)
        .await?;
    }
    // Recorded first, then counted with the others: on SQLite the insert takes the database's
    // write lock, which other processes on the same file wait for too.
    let id: i64 = sqlx::query_scalar("INSERT INTO attempts (key, at) VALUES ($1, $2) RETURNING id")
        .bind(key.clone())
        .bind(at)
        .fetch_one(&mut *conn)
        .await?;
    let with_this: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE key = $1 AND at > $2")
        .bind(key)
        .bind(at - limit.window_secs)
        .fetch_one(&mut *conn)
        .await?;
    if with_this > limit.max {
        // Refused and not counted. A refusal is a value, not a failure, so that it does not break
        // up the writer's group.
        sqlx::query("DELETE FROM attempts WHERE id = $1").bind(id).execute(&mut *conn).await?;
        return Ok(None);
    }
    Ok(Some(Attempt { id, before: with_this - 1 }))
}

/// Refuses with 429 once `key` has `max` failures recorded in the window. For the limits per
/// address, which many people behind one school's or carrier's address share: their failures
/// are recorded after the fact (`record`), so that parents opening their links at the same
/// moment are never refused for each other's tries in flight. Bursts against one secret are
/// bounded exactly by the limit of that secret's own key (`spend`).
pub async fn check(db: &Db, key: &str, limit: Limit) -> Result<()> {
    if count(db, key, limit.window_secs).await? >= limit.max {
        return Err(Error::TooManyRequests { retry_after_secs: limit.window_secs as u64 });
    }
    Ok(())
}

/// Records a failure at `key` (see `check`).
pub async fn record(db: &Db, key: &str) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO attempts (key, at) VALUES ($1, $2)")
        .bind(key.to_string())
        .bind(now())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Exports carry many families' records at once: each staff user gets `limit` of them per
/// window, whichever instance serves them.
pub async fn spend_export(db: &Db, user_id: UserId, limit: Limit) -> Result<()> {
    spend(db, &format!("export:user:{user_id}"), limit).await?.keep();
    Ok(())
}

/// Forgets every attempt at `key` (a successful sign-in clears its account's failures).
pub async fn clear(db: &Db, key: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM attempts WHERE key = $1").bind(key.to_string()).execute(&db.write).await?;
    Ok(())
}

/// The part of a client's address that attempts are counted under: an IPv4 address as it is,
/// an IPv6 address by its /64 network (one subscriber's share, in which any address can be
/// picked at will); an IPv4 address written as IPv6 (`::ffff:a.b.c.d`) counts as the IPv4 one.
pub fn address_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa:bbbb:cccc:dddd".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), "2001:db8:1:2::/64");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        assert_eq!(address_key("203.0.113.7".parse().unwrap()), "203.0.113.7");
        assert_eq!(address_key("::ffff:203.0.113.7".parse().unwrap()), "203.0.113.7");
    }
}
