//! The front end's files. Trunk names its outputs with a content hash, so those are cached for
//! a year; `index.html` and anything unhashed is revalidated every time. Routes of the single-
//! page app that are not files get `index.html`.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let index = ServeFile::new(dir.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(index);
    Router::new().fallback_service(files).layer(axum::middleware::from_fn(cache_headers))
}

/// Whether a file name carries Trunk's content hash, such as `frontend-3f2a9c0d1b2e4f56_bg.wasm`.
fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn cache_headers(request: Request, next: Next) -> Response {
    let hashed = is_hashed(request.uri().path());
    let mut response = next.run(request).await;
    let value =
        if hashed && response.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashed_names() {
        assert!(super::is_hashed("/frontend-3f2a9c0d1b2e4f56_bg.wasm"));
        assert!(super::is_hashed("/style-3f2a9c0d1b2e4f56.css"));
        assert!(!super::is_hashed("/index.html"));
        assert!(!super::is_hashed("/sw.js"));
    }
}
