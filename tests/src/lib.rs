//! End-to-end test harness: the real server (`backend::serve`) on a random loopback port over a
//! fresh database, SQLite by default or PostgreSQL when `JIAFANG_TEST_DATABASE` names a server.
//! Seeding goes through the back end's own store functions; requests go over real HTTP.

mod admin;
pub mod backup;
pub mod browser;
pub mod cases;
pub mod concerns;
mod dashboard;
mod database;
mod http;
pub mod imports;
pub mod meetings;
pub mod offline;
pub mod print;
pub mod process;
pub mod receivers;
mod seed;
pub mod totp;
pub mod visits;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use backend::{Config, Db};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use admin::campaign_input;
pub use database::{expected_database, TestDatabase};
pub use http::{cookie_pair, error_body, json_of, session_token, set_cookie, staff_cookie};
pub use seed::{
    Account, ClassFixture, CollegeFixture, School, StudentFixture, ADDRESS, CITY, GUARDIAN_PHONE, HARDSHIP, PASSWORD,
};

/// A running server and a handle on its database. Dropping it stops the server and, on
/// PostgreSQL, drops the database.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub address: String,
    /// A connection of the test's own to the server's database, for seeding and checking.
    pub db: Db,
    pub db_url: String,
    /// The configuration the server runs with.
    pub config: Config,
    /// Holds the SQLite file (and anything else a test wants to put there) until the end.
    pub dir: TempDir,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<anyhow::Result<()>>>,
    // Declared last so that it drops after the pools above have been closed. Shared with the
    // peers started by `spawn_peer`: the database goes when the last of them goes.
    _database: Arc<database::TestDatabase>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the server with a configuration the test may adjust first (limits, cookies, files).
pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::Builder::new().prefix("jiafang-test-").tempdir().expect("creating a temporary folder");
    let database = database::TestDatabase::create(dir.path()).await;
    launch(dir, database, tweak).await
}

/// Like `spawn_app_with`, on a database chosen by the caller whatever `JIAFANG_TEST_DATABASE`
/// says: a fresh SQLite file for `None`, else a fresh database on that PostgreSQL server
/// (dropped at the end). The benchmarks run one server on each.
pub async fn spawn_app_on(postgres: Option<&str>, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let dir = tempfile::Builder::new().prefix("jiafang-test-").tempdir().expect("creating a temporary folder");
    let database = database::TestDatabase::create_on(dir.path(), postgres.map(str::to_string)).await;
    launch(dir, database, tweak).await
}

/// Configures, migrates and serves a fresh database.
async fn launch(dir: TempDir, database: database::TestDatabase, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::new(database.url.clone());
    config.static_dir = static_dir();
    tweak(&mut config);

    // Migrated here, before the server starts, so that seeding can begin at once and the
    // server's own migration finds nothing to do.
    let db = Db::connect(&database.url).await.expect("connecting to the test database");
    db.migrate().await.expect("migrating the test database");

    start(config, db, dir, Arc::new(database)).await
}

/// Serves `config` on a new port and waits until it answers.
async fn start(config: Config, db: Db, dir: TempDir, database: Arc<database::TestDatabase>) -> TestApp {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binding a port");
    let address = format!("http://{}", listener.local_addr().expect("local address"));
    let (shutdown, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(backend::serve(config.clone(), listener, async {
        // A dropped sender also means stop.
        let _ = stopped.await;
    }));

    let mut app = TestApp {
        address,
        db,
        db_url: database.url.clone(),
        config,
        dir,
        shutdown: Some(shutdown),
        server: Some(server),
        _database: database,
    };
    app.wait_until_healthy().await;
    totp::register(&app.address, &app.db, &app.config.secret);
    app
}

impl TestApp {
    /// A second instance of the server on this one's database and configuration (the same
    /// secret key), as a load balancer would have behind it. Its `dir` is a folder of its own.
    pub async fn spawn_peer(&self) -> TestApp {
        let dir = tempfile::Builder::new().prefix("jiafang-peer-").tempdir().expect("creating a temporary folder");
        start(self.config.clone(), self.db.clone(), dir, self._database.clone()).await
    }

    /// The full URL of a path such as `/api/health`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The full URL of a page of the counselors' field app (`/visits/3` → `…/field/visits/3`).
    pub fn field_url(&self, path: &str) -> String {
        format!("{}/field{path}", self.address)
    }

    /// How many rows a table holds now.
    pub async fn row_count(&self, table: &str) -> i64 {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        sqlx::query_scalar(&sql).fetch_one(&self.db.read).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    async fn wait_until_healthy(&mut self) {
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(server) = self.server.take_if(|s| s.is_finished()) {
                panic!("the server stopped while starting: {:?}", server.await);
            }
            if let Ok(response) = client.get(self.url("/api/health")).send().await {
                if response.status().is_success() {
                    return;
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "the server did not answer /api/health within 20 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Stops the server and waits until it has closed its connections.
    pub async fn stop(mut self) {
        self.stop_server().await;
    }

    /// Stops the in-process server but keeps the database and the folder, for a test that goes on
    /// with the server as a process of its own (`start_process`).
    pub async fn stop_server(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(server) = self.server.take() {
            let result = tokio::time::timeout(Duration::from_secs(10), server).await;
            assert!(matches!(result, Ok(Ok(Ok(())))), "the server did not stop cleanly: {result:?}");
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        totp::unregister(&self.address);
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
    }
}

/// The workspace's root folder.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the tests crate lives in the workspace").to_path_buf()
}

/// The built front end: `JIAFANG_TEST_DIST`, else `frontend/dist`, if it holds an `index.html`.
pub fn static_dir() -> Option<PathBuf> {
    let from_env = std::env::var_os("JIAFANG_TEST_DIST").map(PathBuf::from);
    [from_env, Some(workspace_dir().join("frontend/dist"))]
        .into_iter()
        .flatten()
        .find(|d| d.join("index.html").is_file())
}
