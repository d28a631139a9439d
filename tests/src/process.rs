//! The server as a process of its own (`jiafang serve`), for tests that kill it with SIGKILL at
//! any moment and start it again on the same database: what an acknowledged request wrote must
//! still be there, and what was cut off must have left nothing half-done.

use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use sqlx::{Connection, PgConnection};
use tokio::process::{Child, Command};

use crate::TestApp;

/// A running `jiafang serve` process. Dropping it kills it too.
pub struct ServerProcess {
    child: Child,
    /// Its standard output and error, for the message when it fails.
    log: PathBuf,
}

impl TestApp {
    /// Starts `binary` (the tests crate's `jiafang-under-test`, the `jiafang` command line) as a
    /// server on this test's database and a free port; `address` then points at it. Stop the
    /// in-process server first (`stop_server`).
    pub async fn start_process(&mut self, binary: &str) -> ServerProcess {
        assert!(self.server.is_none(), "stop the in-process server first");
        let (process, address) = self.another_process(binary).await;
        self.address = address;
        process
    }

    /// One more server process on this test's database (several instances sharing it), and its
    /// address; `address` is left as it is.
    pub async fn another_process(&self, binary: &str) -> (ServerProcess, String) {
        let port = free_port();
        let n = std::fs::read_dir(self.dir.path()).map(|d| d.count()).unwrap_or(0);
        let log = self.dir.path().join(format!("server-{n}.log"));
        // The key of the in-process server before it, which sealed the TOTP secrets.
        let key_file = self.dir.path().join("jiafang.secret");
        if !key_file.exists() {
            self.config.secret.save(&key_file).expect("writing the server's key");
        }
        let output = std::fs::File::create(&log).expect("creating the server's log");
        let child = Command::new(binary)
            .arg("--database-url")
            .arg(&self.db_url)
            .arg("serve")
            .arg("--bind")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--secret-file")
            .arg(&key_file)
            .arg("--static-dir")
            .arg(self.dir.path().join("no-front-end"))
            .env("JIAFANG_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(output.try_clone().expect("the log file"))
            .stderr(output)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("starting {binary}: {e}"));
        let address = format!("http://127.0.0.1:{port}");
        let mut process = ServerProcess { child, log };
        process.wait_until_healthy(&format!("{address}/api/health")).await;
        (process, address)
    }
}

impl TestApp {
    /// Kills the server process (SIGKILL) and, on PostgreSQL, waits until the database has ended
    /// what the dead server's sessions were doing: it notices closed connections on its own time,
    /// and until it has, a COMMIT already sent may still land. Run nothing else on the test
    /// database meanwhile (idle sessions are what is waited for).
    pub async fn kill(&self, server: ServerProcess) {
        server.kill().await;
        if self.db.kind != backend::db::DbKind::Postgres {
            return;
        }
        let mut conn = PgConnection::connect(&self.db_url).await.expect("connecting to PostgreSQL");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let busy: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
                "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND state <> 'idle'",
            )
            .fetch_all(&mut conn)
            .await
            .expect("reading pg_stat_activity");
            if busy.is_empty() {
                break;
            }
            assert!(tokio::time::Instant::now() < deadline, "PostgreSQL still works for the killed server: {busy:?}");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        conn.close().await.ok();
    }
}

impl ServerProcess {
    async fn wait_until_healthy(&mut self, health: &str) {
        let client = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("the server stopped while starting ({status}):\n{}", self.log_text());
            }
            if client.get(health).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no answer from {health} within 30 s:\n{}",
                self.log_text()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// SIGKILL: no shutdown, no flushing, no closing of connections; waits until it is gone.
    async fn kill(mut self) {
        let pid = self.child.id().expect("a running server") as libc::pid_t;
        // SAFETY: kill(2) on our own child's id, which is not reaped until `wait` below.
        let sent = unsafe { libc::kill(pid, libc::SIGKILL) };
        assert_eq!(sent, 0, "sending SIGKILL: {}", std::io::Error::last_os_error());
        let status = self.child.wait().await.expect("waiting for the killed server");
        assert_eq!(status.signal(), Some(libc::SIGKILL), "the server ended otherwise: {status}");
    }

    /// The most memory the process has held at once (`VmHWM`), in MB.
    pub fn peak_rss_mb(&self) -> Option<f64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()?)).ok()?;
        let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb / 1024.0)
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// A port nobody listens on now (the kernel's pick, released at once).
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a port");
    listener.local_addr().expect("local address").port()
}
