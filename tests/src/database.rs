//! A fresh database per test: a SQLite file in the test's folder, or a new PostgreSQL database
//! on the server that `JIAFANG_TEST_DATABASE` names.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::{Connection, Executor, PgConnection};

const ENV: &str = "JIAFANG_TEST_DATABASE";

/// What `/api/health` should report for this run: `sqlite` or `postgres`.
pub fn expected_database() -> &'static str {
    match postgres_server() {
        Some(_) => "postgres",
        None => "sqlite",
    }
}

/// The PostgreSQL server's URL, if this run uses one.
fn postgres_server() -> Option<String> {
    let value = std::env::var(ENV).ok().filter(|v| !v.is_empty() && v != "sqlite")?;
    assert!(
        value.starts_with("postgres://") || value.starts_with("postgresql://"),
        "{ENV} must be unset, `sqlite` or a postgres:// URL, not {value:?}"
    );
    Some(value)
}

/// A database of the test's own; dropped (on PostgreSQL) when this is.
pub struct TestDatabase {
    pub url: String,
    /// On PostgreSQL: the server's URL and the database to drop at the end.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A new, empty database of the kind this run uses (a file in `dir` on SQLite).
    pub async fn create(dir: &Path) -> TestDatabase {
        Self::create_on(dir, postgres_server()).await
    }

    /// A fresh database in `dir` (SQLite) or on the PostgreSQL server `server` names.
    pub async fn create_on(dir: &Path, server: Option<String>) -> TestDatabase {
        let Some(server) = server else {
            return TestDatabase::sqlite(&dir.join("test.db"));
        };
        let name = unique_name();
        let mut conn = PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("connecting to {server}: {e}"));
        conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("CREATE DATABASE");
        conn.close().await.ok();
        let mut url = url::Url::parse(&server).expect("the PostgreSQL URL");
        url.set_path(&format!("/{name}"));
        TestDatabase { url: url.to_string(), postgres: Some((server, name)) }
    }
}

impl TestDatabase {
    /// A SQLite database in `file`, whatever this run uses.
    pub fn sqlite(file: &Path) -> TestDatabase {
        TestDatabase { url: format!("sqlite://{}", file.display()), postgres: None }
    }

    /// Whether this run's databases are PostgreSQL ones.
    pub fn postgres_run() -> bool {
        postgres_server().is_some()
    }
}

/// `jf_t_<pid>_<counter>_<random>`: unique across the tests of one process and across
/// processes; the `jf_t_` prefix lets a cleanup find leftovers.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("jf_t_{}_{n}_{:08x}", std::process::id(), rand::random::<u32>())
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else {
            return;
        };
        // Drop cannot await, and the test's runtime may be a single thread that this very call
        // blocks: the cleanup gets a thread and a runtime of its own. `WITH (FORCE)` ends the
        // server's connections that may still be open.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            runtime.block_on(async {
                let mut conn = PgConnection::connect(&server).await?;
                conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await?;
                conn.close().await?;
                anyhow::Ok(())
            })
        });
        if let Ok(Err(e)) = cleanup.join() {
            eprintln!("note: could not drop a test database: {e:#}");
        }
    }
}
