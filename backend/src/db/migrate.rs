//! Applies the schema at start. One set of migration files serves both databases: the few words
//! where their dialects differ are written as `{{ID}}` (an auto-numbered primary key) and
//! `{{BLOB}}`, and replaced here.

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
    (8, "TOTP second factor", include_str!("../../migrations/0008_totp.sql")),
];

/// Serialises migrations between instances starting at once on one PostgreSQL database.
const PG_LOCK_KEY: i64 = 0x6a69_6166_616e;

fn dialect(sql: &str, kind: DbKind) -> String {
    let (id, blob) = match kind {
        DbKind::Sqlite => ("INTEGER PRIMARY KEY", "BLOB"),
        DbKind::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA"),
    };
    sql.replace("{{ID}}", id).replace("{{BLOB}}", blob)
}

pub async fn run(db: &Db) -> anyhow::Result<()> {
    let mut conn = db.write.acquire().await?;
    if db.kind == DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
    }
    let result = apply(&mut conn, db.kind).await;
    if db.kind == DbKind::Postgres {
        sqlx::query("SELECT pg_advisory_unlock($1)").bind(PG_LOCK_KEY).execute(&mut *conn).await?;
    }
    result
}

async fn apply(conn: &mut sqlx::AnyConnection, kind: DbKind) -> anyhow::Result<()> {
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
        if applied.contains(version) {
            continue;
        }
        tracing::info!(version, description, "applying migration");
        let mut tx = conn.begin().await?;
        // Through `Executor` on the connection, not `RawSql::execute`: the latter's lifetimes
        // made this future (and so `serve`) not provably `Send`, which `tokio::spawn` needs.
        let statements = dialect(sql, kind);
        tx.execute(sqlx::raw_sql(&statements)).await.with_context(|| format!("migration {version} ({description})"))?;
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
