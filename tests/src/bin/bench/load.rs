//! A load generator for the benchmarks: `connections` HTTP/1.1 keep-alive connections, each a
//! task that sends one request after another (a closed loop) until the time is up, timing each.
//! Raw hyper connections rather than reqwest, because the generator shares the machine's cores
//! with the server it measures and must cost it as little as possible.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::{self, SendRequest};
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

pub type Body = Full<Bytes>;

/// One keep-alive connection to `address` (`http://127.0.0.1:PORT`).
pub struct Conn {
    send: SendRequest<Body>,
    host: String,
}

impl Conn {
    pub async fn open(address: &str) -> Result<Conn> {
        let host = address.trim_start_matches("http://").to_string();
        let stream = tokio::net::TcpStream::connect(&host).await.with_context(|| format!("connecting to {host}"))?;
        stream.set_nodelay(true)?;
        let (send, conn) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Conn { send, host })
    }

    /// A request with the Host header this connection needs; `body` empty means none.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Vec<u8>) -> Request<Body> {
        let mut builder = Request::builder().method(method).uri(path).header("host", &self.host);
        if !body.is_empty() {
            builder = builder.header("content-type", "application/json");
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Full::new(Bytes::from(body))).expect("a well-formed request")
    }

    /// Sends and reads the whole answer.
    pub async fn send(&mut self, request: Request<Body>) -> Result<Response<Bytes>> {
        self.send.ready().await?;
        let response = self.send.send_request(request).await?;
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Response::from_parts(parts, body))
    }
}

/// What one run of load measured.
#[derive(Debug, Default)]
pub struct Load {
    /// Answers with a 2xx status.
    pub ok: u64,
    /// Any other status, by status code.
    pub refused: Vec<(u16, u64)>,
    /// Latency of every answer, in microseconds, sorted.
    pub latencies: Vec<u32>,
    pub elapsed: Duration,
}

impl Load {
    pub fn ok_per_second(&self) -> f64 {
        self.ok as f64 / self.elapsed.as_secs_f64()
    }
    /// The `q`-quantile of latency, in milliseconds.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies.len() - 1) as f64 * q).round() as usize;
        f64::from(self.latencies[i]) / 1000.0
    }
}

/// Runs `connections` closed loops for `duration`; `make(conn, connection_index, round)` builds
/// each request.
pub async fn run<F>(address: &str, connections: usize, duration: Duration, make: F) -> Result<Load>
where
    F: Fn(&Conn, usize, u64) -> Request<Body> + Send + Sync + 'static,
{
    let make = Arc::new(make);
    let mut conns = Vec::with_capacity(connections);
    for _ in 0..connections {
        conns.push(Conn::open(address).await?);
    }
    let started = Instant::now();
    let deadline = started + duration;
    let mut tasks = Vec::with_capacity(connections);
    for (index, mut conn) in conns.into_iter().enumerate() {
        let make = make.clone();
        tasks.push(tokio::spawn(async move {
            let mut load = Load::default();
            let mut round = 0u64;
            while Instant::now() < deadline {
                let request = make(&conn, index, round);
                round += 1;
                let sent = Instant::now();
                let response = conn.send(request).await?;
                load.latencies.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
                let status = response.status();
                if status.is_success() {
                    load.ok += 1;
                } else {
                    count(&mut load.refused, status.as_u16(), 1);
                }
            }
            anyhow::Ok(load)
        }));
    }
    let mut total = Load::default();
    for task in tasks {
        let load = task.await??;
        total.ok += load.ok;
        total.latencies.extend(load.latencies);
        for (status, n) in load.refused {
            count(&mut total.refused, status, n);
        }
    }
    total.elapsed = started.elapsed();
    total.latencies.sort_unstable();
    if total.ok == 0 {
        bail!("no request succeeded: {:?}", total.refused);
    }
    Ok(total)
}

fn count(counts: &mut Vec<(u16, u64)>, status: u16, n: u64) {
    match counts.iter_mut().find(|(s, _)| *s == status) {
        Some((_, total)) => *total += n,
        None => counts.push((status, n)),
    }
}
