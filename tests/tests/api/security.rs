//! Protections around every request: security headers, refusal of cross-site writes, the error
//! shape of unknown routes and the body size limit.

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde_json::json;
use shared::Role;
use tests::{error_body, spawn_app, spawn_app_with, TestApp};

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers.get(name).unwrap_or_else(|| panic!("no {name} header")).to_str().unwrap()
}

fn assert_security_headers(headers: &HeaderMap) {
    let csp = header(headers, "content-security-policy");
    for directive in ["default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
        assert!(csp.contains(directive), "{directive} missing: {csp}");
    }
    assert!(!csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"), "{csp}");
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert!(header(headers, "strict-transport-security").starts_with("max-age="));
    assert_eq!(header(headers, "referrer-policy"), "no-referrer");
    assert_eq!(header(headers, "x-frame-options"), "DENY");
}

/// What an answer that is not a page carries: no browser renders it, so nothing may load from
/// it or frame it, and the page-only headers are left out (bytes on every answer of a slow phone).
fn assert_not_a_page_headers(headers: &HeaderMap) {
    assert_eq!(header(headers, "content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
    assert_eq!(header(headers, "x-content-type-options"), "nosniff");
    assert!(header(headers, "strict-transport-security").starts_with("max-age="));
    assert!(headers.get("permissions-policy").is_none() && headers.get("x-frame-options").is_none());
}

#[tokio::test]
async fn api_answers_carry_security_headers_and_are_never_cached() {
    let app = spawn_app().await;
    let client = app.client();
    for path in ["/api/health", "/api/auth/me", "/api/does-not-exist"] {
        let response = app.get(&client, path).await;
        assert_not_a_page_headers(response.headers());
        assert_eq!(header(response.headers(), "cache-control"), "no-store", "{path}");
        assert!(response.headers().contains_key("x-request-id"), "{path}");
    }
}

/// A front end of one page with an inline start-up script, as Trunk writes it.
const INDEX_HTML: &str = "<!DOCTYPE html><html><head><title>t</title>\
    <script type=\"module\">import init from '/app.js'; init();</script></head><body></body></html>";

#[tokio::test]
async fn pages_carry_security_headers_and_only_the_known_inline_script_may_run() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX_HTML).unwrap();
    let app = spawn_app_with(|config| config.static_dir = Some(dist.path().to_path_buf())).await;
    let client = app.client();

    for path in ["/", "/students/12"] {
        let response = app.get(&client, path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_security_headers(response.headers());
        assert_eq!(header(response.headers(), "cache-control"), "no-cache", "index.html is revalidated");
        let csp = header(response.headers(), "content-security-policy").to_string();
        let script_src = csp.split("; ").find(|d| d.starts_with("script-src")).unwrap();
        assert_eq!(script_src.matches("'sha256-").count(), 1, "one hash for the one inline script: {csp}");
        assert_eq!(response.text().await.unwrap(), INDEX_HTML, "{path}: the single-page app's routes");
    }
    // Under /api there is no page to fall back to.
    app.get_error(&client, "/api/students/1/nothing", StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_built_front_end_is_served_with_security_headers() {
    let Some(dist) = tests::static_dir() else {
        eprintln!("note: no built front end (frontend/dist/index.html or JIAFANG_TEST_DIST): skipped");
        return;
    };
    let app = spawn_app().await;
    assert_eq!(app.config.static_dir.as_deref(), Some(dist.as_path()));
    let response = app.get(&app.client(), "/").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_security_headers(response.headers());
    assert!(header(response.headers(), "content-type").starts_with("text/html"));
    // A 304 that revalidates the page carries the page's policy: the browser lays its headers
    // over the cached page's (a policy told by the answer's content type broke every reload).
    let modified = header(response.headers(), "last-modified").to_string();
    let again = app.client().get(app.url("/")).header("if-modified-since", modified).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_security_headers(again.headers());
    let page = response.text().await.unwrap();
    // The program's files are not pages; the service worker runs under the page's policy.
    let wasm = page.split('"').find(|s| s.ends_with(".wasm")).expect("index.html names its wasm");
    assert_not_a_page_headers(app.get(&app.client(), wasm).await.headers());
    assert_security_headers(app.get(&app.client(), "/sw.js").await.headers());
}

async fn login_with_headers(app: &TestApp, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = app.client().post(app.url("/api/auth/login"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.json(&json!({ "username": "admin", "password": tests::PASSWORD })).send().await.unwrap()
}

#[tokio::test]
async fn writes_from_other_sites_are_refused() {
    let app = spawn_app().await;
    // Not an admin: an admin would need a two-step code as well.
    app.add_user("admin", Role::Counselor, None).await;

    for headers in [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "http://evil.example")],
        vec![("origin", "null")],
    ] {
        let (status, error) = error_body(login_with_headers(&app, &headers).await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "cross_site"), "{headers:?}");
    }
    assert_eq!(app.row_count("sessions").await, 0);

    let own_origin = app.address.clone();
    let same_origin = [("sec-fetch-site", "same-origin"), ("origin", own_origin.as_str())];
    assert_eq!(login_with_headers(&app, &same_origin).await.status(), StatusCode::OK);
    // Reads are not writes: a link from another site may open a page.
    let client = app.client();
    let response = client.get(app.url("/api/health")).header("sec-fetch-site", "cross-site").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn unknown_api_routes_answer_with_the_error_shape() {
    let app = spawn_app().await;
    let client = app.client();
    app.get_error(&client, "/api/does-not-exist", StatusCode::NOT_FOUND, "not_found").await;
    // A route that exists, with a method it does not have: 405 naming the methods it has.
    let response = client.delete(app.url("/api/health")).send().await.unwrap();
    assert_eq!(header(response.headers(), "allow"), "GET,HEAD");
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"), "wrong method");
}

/// serde reads a struct from an array of its fields in order; the API takes objects only, as
/// its document says (found by `cargo xtask fuzz-api`).
#[tokio::test]
async fn a_body_that_is_not_a_json_object_is_refused() {
    let app = spawn_app().await;
    for body in [json!(["admin", "password"]), json!(null), json!("admin")] {
        let response = app.post_json(&app.client(), "/api/auth/login", &body).await;
        let (status, error) = error_body(response).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"), "{body}");
    }
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let app = spawn_app().await;
    let big = "x".repeat(app.config.max_body_bytes + 1);
    let response = app.post_json(&app.client(), "/api/auth/login", &json!({ "username": big, "password": "p" })).await;
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));

    let (status, error) = error_body(
        app.client()
            .post(app.url("/api/auth/login"))
            .header("content-type", "application/json")
            .body("{not json")
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"));
}

#[tokio::test]
async fn the_single_page_apps_routes_are_sent_compressed_when_a_compressed_copy_exists() {
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dist.path().join("index.html.br"), b"pretend brotli").unwrap();
    let app = spawn_app_with(|config| config.static_dir = Some(dist.path().to_path_buf())).await;
    // A route of the staff app (the parent's page `/f` has a start page of its own, in `f/`).
    let response = app.client().get(app.url("/meetings")).header("accept-encoding", "br, gzip").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(response.headers(), "content-encoding"), "br", "a tablet on a slow network gets the small copy");
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"pretend brotli");
}
