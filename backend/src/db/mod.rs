//! One store over SQLite and PostgreSQL.
//!
//! Queries are written once, in SQL that both databases accept (`$1` placeholders, `RETURNING`,
//! `ON CONFLICT`), and run through sqlx's `Any` driver. Only the schema's few dialect words differ
//! (see `migrate`). Integers are `BIGINT` everywhere and read as `i64`; instants are Unix seconds;
//! dates are `YYYY-MM-DD` text.

pub(crate) mod migrate;
mod sql;
mod writer;

use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

pub use migrate::LATEST as SCHEMA_VERSION;
pub use sql::{Param, Sql};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbKind {
    Sqlite,
    Postgres,
}

impl DbKind {
    pub fn name(self) -> &'static str {
        match self {
            DbKind::Sqlite => "sqlite",
            DbKind::Postgres => "postgres",
        }
    }
}

/// Connection pools. On SQLite all writes go through one connection, so writers queue in the
/// pool instead of failing with "database is locked"; readers never block in WAL mode. On
/// PostgreSQL both names point at the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    pub read: AnyPool,
    pub write: AnyPool,
    pub kind: DbKind,
    /// SQLite only: the thread that runs `transaction`s (see `writer`).
    writer: Option<writer::Writer>,
}

type TxFuture<'c, T> = BoxFuture<'c, crate::error::Result<T>>;

impl Db {
    pub async fn connect(url: &str) -> anyhow::Result<Db> {
        sqlx::any::install_default_drivers();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // No ping before handing out a connection: sqlx pings every connection when it
            // comes back to the pool anyway and drops it if that fails, so the ping before
            // would be a second round trip for every query — three more per family's answer
            // in the sign-up storm (`cargo xtask bench --only storm`).
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(30))
                .connect(url)
                .await
                .context("connecting to PostgreSQL")?;
            return Ok(Db { read: pool.clone(), write: pool, kind: DbKind::Postgres, writer: None });
        }
        let url = sqlite_url(url)?;
        let options: AnyConnectOptions = url.parse().context("reading the SQLite URL")?;
        // No ping before handing out a connection: a SQLite connection is a file that cannot
        // drop, and the ping is one more trip to the connection's thread for every query.
        let write = AnyPoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(60))
            .after_connect(sqlite_pragmas)
            .connect_with(options.clone())
            .await
            .with_context(|| format!("opening {url}"))?;
        // Four readers: each connection is a thread of sqlx's, and on two cores more of them only
        // take turns with the writer's; fewer, and the reads become the bottleneck (the sign-up
        // storm benchmark measured both).
        let read = AnyPoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(sqlite_pragmas)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {url}"))?;
        let writer = Some(writer::Writer::start(write.clone()).context("starting the SQLite writer thread")?);
        Ok(Db { read, write, kind: DbKind::Sqlite, writer })
    }

    /// Runs `work` in a write transaction and commits it unless `work` fails. On SQLite it runs
    /// on the writer's own thread, committed together with the others waiting there, for the
    /// hot paths that a crowd of users writes to at once (parents answering a meeting); `work`
    /// may then run twice, the first time rolled back (see `writer`).
    pub async fn transaction<T, F>(&self, work: F) -> crate::error::Result<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut sqlx::AnyConnection) -> TxFuture<'c, T> + Send + Sync + 'static,
    {
        self.run_transaction(None, work).await
    }

    /// As [`Db::transaction`], for work whose first step is to lock one row with `lock` (an
    /// `UPDATE` of only that row, with nothing to bind: ids formatted in are integers). On
    /// PostgreSQL it goes to the server with the `BEGIN`, in one round trip, and `work` starts
    /// holding the lock: a round trip less while other writers of the row wait (all of a
    /// class's families answering at once, the sign-up storm). Every later statement of `work`
    /// reads what was committed before the lock was granted (READ COMMITTED takes a snapshot per
    /// statement). On SQLite `lock` is not sent: its single writer runs one transaction at a
    /// time, and `work` takes no lock.
    pub async fn transaction_locking<T, F>(&self, lock: String, work: F) -> crate::error::Result<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut sqlx::AnyConnection) -> TxFuture<'c, T> + Send + Sync + 'static,
    {
        self.run_transaction(Some(lock), work).await
    }

    async fn run_transaction<T, F>(&self, lock: Option<String>, work: F) -> crate::error::Result<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut sqlx::AnyConnection) -> TxFuture<'c, T> + Send + Sync + 'static,
    {
        if let Some(writer) = &self.writer {
            return writer.run(Box::new(work)).await;
        }
        let mut tx = match lock {
            Some(lock) => self.write.begin_with(format!("BEGIN; {lock}")).await?,
            None => self.write.begin().await?,
        };
        let value = work(&mut tx).await?;
        tx.commit().await?;
        Ok(value)
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        migrate::run(self).await
    }

    /// Whether the database answers (the health check).
    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

type BoxFuture<'c, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'c>>;

/// WAL lets readers run beside the writer; the busy timeout makes a writer wait instead of
/// failing; `synchronous=NORMAL` in WAL mode still survives a killed process.
fn sqlite_pragmas(
    conn: &mut sqlx::AnyConnection,
    _meta: sqlx::pool::PoolConnectionMetadata,
) -> BoxFuture<'_, Result<(), sqlx::Error>> {
    Box::pin(async move {
        conn.execute(
            "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=30000; \
             PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
        )
        .await?;
        Ok(())
    })
}

/// Accepts `sqlite://path`, `sqlite:path` or a bare path; creates the file and its folder.
fn sqlite_url(url: &str) -> anyhow::Result<String> {
    let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    if path.is_empty() || path == ":memory:" {
        anyhow::bail!("an in-memory SQLite database would not be shared between connections: give a file");
    }
    if let Some(parent) = std::path::Path::new(path).parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
    }
    let query = if query.is_empty() { "mode=rwc".to_string() } else { query.to_string() };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Seconds since the Unix epoch: how every instant is stored.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
