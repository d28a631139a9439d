//! Real servers for the delivery tests to send to: an HTTP receiver (a small axum server that
//! records every request and answers with the status the test sets) standing for an SMS gateway
//! or a WeCom robot, and an SMTP server (Python's aiosmtpd, which `cargo xtask tools` installs)
//! writing what it receives to a maildir.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::Value;

/// One request the receiver got, and what it answered.
#[derive(Debug, Clone)]
pub struct Received {
    pub body: Value,
    pub authorization: Option<String>,
    pub status: u16,
}

#[derive(Clone, Default)]
struct Shared {
    received: Arc<Mutex<Vec<Received>>>,
    status: Arc<AtomicU16>,
}

/// An HTTP server on a random port taking `POST /` with a JSON body.
pub struct HttpReceiver {
    pub url: String,
    shared: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl HttpReceiver {
    /// Answers `status` with `{"errcode":0,"errmsg":"ok"}` (what a WeCom robot says) until told otherwise.
    pub async fn start(status: u16) -> HttpReceiver {
        let shared = Shared::default();
        shared.status.store(status, Ordering::SeqCst);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binding a port");
        let address: SocketAddr = listener.local_addr().expect("its address");
        let app = axum::Router::new().route("/", axum::routing::post(take)).with_state(shared.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        HttpReceiver { url: format!("http://{address}/"), shared, server }
    }

    pub fn answer_with(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().expect("the receiver's list").clone()
    }

    /// The requests it answered with 2xx.
    pub fn accepted(&self) -> Vec<Received> {
        self.received().into_iter().filter(|r| (200..300).contains(&r.status)).collect()
    }
}

impl Drop for HttpReceiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn take(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> impl IntoResponse {
    let status = shared.status.load(Ordering::SeqCst);
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
    shared.received.lock().expect("the receiver's list").push(Received { body, authorization, status });
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let answer = if code.is_success() { "{\"errcode\":0,\"errmsg\":\"ok\"}" } else { "gateway down" };
    (code, answer)
}

/// aiosmtpd on a free port, storing each message in a maildir.
pub struct SmtpServer {
    pub port: u16,
    pub maildir: PathBuf,
    child: Child,
}

impl SmtpServer {
    /// Starts it in `dir`; panics with the fix if aiosmtpd is not installed.
    pub async fn start(dir: &std::path::Path) -> SmtpServer {
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port").local_addr().unwrap().port();
        let maildir = dir.join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python3 to start aiosmtpd (cargo xtask tools installs it)");
        let server = SmtpServer { port, maildir, child };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen on {port} within 10 s (pip install aiosmtpd, or cargo xtask tools)");
    }

    /// The messages received so far, as their raw text.
    pub fn messages(&self) -> Vec<String> {
        let Ok(entries) = std::fs::read_dir(self.maildir.join("new")) else { return Vec::new() };
        entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
