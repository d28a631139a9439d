//! The front end's files. Trunk names its outputs with a content hash, so those are cached for
//! a year; `index.html` and anything unhashed is revalidated every time. Routes of the single-
//! page app that are not files get `index.html`, except two programs of their own: the parent's
//! page `/f`, in `f/` (built from frontend/family.html), whose `index.html` it gets at once (no
//! redirect to `/f/`: a round trip on a slow network), and the counselors' field app under
//! `/field/`, in `field/` (built from frontend/field.html), whose routes get `field/index.html`.

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

pub fn router<S: Clone + Send + Sync + 'static>(dir: &Path) -> Router<S> {
    let page = |path: &Path| ServeFile::new(path.join("index.html")).precompressed_br().precompressed_gzip();
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip().fallback(page(dir));
    let field = dir.join(FIELD);
    let field_files = ServeDir::new(&field).precompressed_br().precompressed_gzip().fallback(page(&field));
    Router::new()
        .route_service("/f", page(&dir.join(FAMILY)))
        .route_service("/f/", page(&dir.join(FAMILY)))
        .nest_service("/field", field_files)
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_headers))
}

/// The parent's page's folder inside the front end's dist folder.
pub const FAMILY: &str = "f";

/// The field app's folder inside the front end's dist folder (served under `/field/`).
pub const FIELD: &str = "field";

/// The start pages, the desk app's, the parent's and the field app's, whose inline start-up
/// scripts the content security policy allows by hash.
pub fn start_pages(dir: &Path) -> String {
    [dir.join("index.html"), dir.join(FAMILY).join("index.html"), dir.join(FIELD).join("index.html")]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect()
}

/// Whether a file name carries Trunk's content hash, such as `frontend-3f2a9c0d1b2e4f56_bg.wasm`
/// (a 64-bit number in hex without leading zeros: often 15 digits, as in `family-627aa55b2861fb0.js`).
pub(crate) fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 12 && hash.chars().all(|c| c.is_ascii_hexdigit()))
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
        assert!(super::is_hashed("/f/family-627aa55b2861fb0.js"));
        assert!(super::is_hashed("/field/field-3f2a9c0d1b2e4f56_bg.wasm"));
        assert!(!super::is_hashed("/field/sw.js"));
        assert!(!super::is_hashed("/index.html"));
        assert!(!super::is_hashed("/sw.js"));
    }
}

#[cfg(test)]
mod serve_tests {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    /// A dist folder with these files (path, content), and the router serving it.
    fn serving(files: &[(&str, &str)]) -> (tempfile::TempDir, axum::Router) {
        let dir = tempfile::tempdir().unwrap();
        for (path, content) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, content).unwrap();
        }
        let app = super::router(dir.path());
        (dir, app)
    }

    /// Each path answers 200 with the expected body, asked for brotli or gzip.
    async fn assert_serves(app: &axum::Router, cases: &[(&str, &str)]) {
        for (path, expected) in cases {
            let request = Request::get(*path).header("accept-encoding", "br, gzip").body(Body::empty()).unwrap();
            let response = app.clone().oneshot(request).await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            let body = axum::body::to_bytes(response.into_body(), 1000).await.unwrap();
            assert_eq!(body, expected.as_bytes(), "{path}");
        }
    }

    #[tokio::test]
    async fn the_parents_page_is_served_at_f_without_a_redirect() {
        let (_dir, app) =
            serving(&[("index.html", "staff"), ("f/index.html", "parent"), ("f/index.html.br", "parent-br")]);
        assert_serves(&app, &[("/f", "parent-br"), ("/f/", "parent-br"), ("/meetings", "staff")]).await;
    }

    /// The field app's start page for its own routes and its folder, its files as they are, and
    /// the desk's page for everything else.
    #[tokio::test]
    async fn the_field_app_is_served_under_field() {
        let files = [
            ("index.html", "desk"),
            ("field/index.html", "field"),
            ("field/index.html.br", "field-br"),
            ("field/sw.js", "worker"),
        ];
        let (_dir, app) = serving(&files);
        let cases = [
            ("/field", "field-br"),
            ("/field/", "field-br"),
            ("/field/visits/3", "field-br"),
            ("/field/sw.js", "worker"),
            ("/visits/3", "desk"),
            ("/fieldwork", "desk"),
        ];
        assert_serves(&app, &cases).await;
    }
}
