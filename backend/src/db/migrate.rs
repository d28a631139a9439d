//! Applies the schema at start. One set of migration files serves both databases: the few words
//! where their dialects differ are written as `{{ID}}` (an auto-numbered primary key),
//! `{{BLOB}}` and `{{NOW}}` (the time now, in Unix seconds), and replaced here.

use anyhow::Context;
use sqlx::{Acquire, Executor, Row};

use super::{now, Db, DbKind};

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "initial schema", include_str!("../../migrations/0001_init.sql")),
    (2, "roster imports", include_str!("../../migrations/0002_imports.sql")),
    (3, "activation links", include_str!("../../migrations/0003_accounts.sql")),
    (4, "parents' meetings", include_str!("../../migrations/0004_meetings.sql")),
    (5, "home visits", include_str!("../../migrations/0005_visits.sql")),
    (6, "campaign dashboard", include_str!("../../migrations/0006_dashboard.sql")),
    (7, "dashboard tallies", include_str!("../../migrations/0007_dashboard_tallies.sql")),
    (8, "TOTP second factor", include_str!("../../migrations/0008_totp.sql")),
    (9, "password resets and recovery codes", include_str!("../../migrations/0009_account_recovery.sql")),
    (10, "concerns addressed by visits", include_str!("../../migrations/0010_visit_concerns.sql")),
    (11, "follow-ups that finish", include_str!("../../migrations/0011_follow_ups.sql")),
    (12, "live dashboard: tally versions", include_str!("../../migrations/0012_live_dashboard.sql")),
    (13, "aid totals and the hardship rule", include_str!("../../migrations/0013_aid_report.sql")),
    (14, "typical cases and photos", include_str!("../../migrations/0014_visit_cases.sql")),
    (15, "message delivery", include_str!("../../migrations/0015_delivery.sql")),
    (16, "privacy notice and sensitive consents", include_str!("../../migrations/0016_privacy.sql")),
    (
        17,
        "messages switched off per campaign, weekly overdue notices",
        include_str!("../../migrations/0017_message_switches.sql"),
    ),
    (18, "retention periods and runs", include_str!("../../migrations/0018_retention.sql")),
];

/// The schema version this binary brings a database to.
pub const LATEST: i64 = MIGRATIONS[MIGRATIONS.len() - 1].0;

/// The migrator's own bookkeeping, re-created by `apply`.
pub const BOOKKEEPING: &str = "schema_migrations";

/// The migration after which the dashboard's tallies are filled from the existing rows, by
/// the same code that keeps them up to date. They were created by 0007; since 0012 the code
/// also counts each row's changes (`version`) and since 0013 the aid delivered, so the filling
/// waits for those columns: a new database fills them once after 0013, one at 0007..0012 fills
/// them again then.
const TALLIES: i64 = 13;

/// Serialises migrations between instances starting at once on one PostgreSQL database.
const PG_LOCK_KEY: i64 = 0x6a69_6166_616e;

fn dialect(sql: &str, kind: DbKind) -> String {
    let (id, blob, now) = match kind {
        DbKind::Sqlite => ("INTEGER PRIMARY KEY", "BLOB", "CAST(strftime('%s', 'now') AS BIGINT)"),
        DbKind::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA", "CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)"),
    };
    sql.replace("{{ID}}", id).replace("{{BLOB}}", blob).replace("{{NOW}}", now)
}

pub async fn run(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.write.acquire().await?;
    if db.kind == DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
    }
    let result = apply(&mut conn, db.kind, LATEST).await;
    if db.kind == DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
    }
    result
}

/// Holds other instances' migrations back until the caller's transaction ends (PostgreSQL).
pub async fn lock_in_transaction(conn: &mut sqlx::AnyConnection, kind: DbKind) -> anyhow::Result<()> {
    if kind == DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
    }
    Ok(())
}

/// The schema version a database is at: 0 when it has none.
pub async fn version(conn: &mut sqlx::AnyConnection) -> anyhow::Result<i64> {
    let sql = format!("SELECT CAST(COALESCE(MAX(version), 0) AS BIGINT) FROM {BOOKKEEPING}");
    Ok(sqlx::query_scalar(&sql).fetch_one(&mut *conn).await?)
}

/// Every table a migration creates, in order: Jiafang's own tables, the ones a restore may
/// empty or replace (it never touches others).
pub fn tables() -> Vec<String> {
    let mut names = vec![BOOKKEEPING.to_string()];
    for (_, _, sql) in MIGRATIONS {
        let mut rest = *sql;
        while let Some(at) = rest.find("CREATE TABLE ") {
            rest = rest[at + "CREATE TABLE ".len()..].trim_start_matches("IF NOT EXISTS ");
            let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// Applies the migrations up to `up_to` (inclusive) that `conn`'s database lacks. Inside a
/// transaction each migration becomes a savepoint, so a restore can create the schema and its
/// rows all or nothing.
pub async fn apply(conn: &mut sqlx::AnyConnection, kind: DbKind, up_to: i64) -> anyhow::Result<()> {
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations \
         (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )
    .await?;
    let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.try_get::<i64, _>(0))
        .collect::<Result<_, _>>()?;
    for (version, description, sql) in MIGRATIONS {
        if applied.contains(version) || *version > up_to {
            continue;
        }
        tracing::info!(version, description, "applying migration");
        let mut tx = conn.begin().await?;
        // Through `Executor` on the connection, not `RawSql::execute`: the latter's lifetimes
        // made this future (and so `serve`) not provably `Send`, which `tokio::spawn` needs.
        let statements = dialect(sql, kind);
        tx.execute(sqlx::raw_sql(&statements)).await.with_context(|| format!("migration {version} ({description})"))?;
        if *version == TALLIES {
            crate::dashboard::tally::rebuild(&mut tx).await.context("filling the dashboard's tallies")?;
        }
        sqlx::query("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)")
            .bind(*version)
            .bind(description.to_string())
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_created_table_is_listed_once() {
        let tables = super::tables();
        for name in ["schema_migrations", "colleges", "users", "sessions", "imports", "visits", "follow_ups"] {
            assert_eq!(tables.iter().filter(|t| *t == name).count(), 1, "{name} in {tables:?}");
        }
        assert!(tables.iter().all(|t| !t.is_empty() && !t.contains(' ')), "{tables:?}");
    }
}
