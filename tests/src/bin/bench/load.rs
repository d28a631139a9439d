//! Raw HTTP/1.1 keep-alive connections for the benchmarks that drive the server themselves (the
//! live dashboard's pollers, the storm's families entering their links): hyper rather than
//! reqwest, because the clients share the machine's cores with the server they measure and must
//! cost it as little as possible. The storm's load itself is `wrk` (storm.rs).

use anyhow::{Context, Result};
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
