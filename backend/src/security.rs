//! Protections on every response and request: security headers with a strict Content-Security-
//! Policy, no caching of API answers, and refusal of cross-site state-changing requests.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::Error;
use crate::i18n::Msg;

/// The policy, with a hash for each inline start-up script Trunk wrote into the start pages (the
/// desk app's `index.html`, the parent's `f/index.html` and the field app's `field/index.html`,
/// one after the other in `start_pages`): the only inline scripts that may run.
pub fn content_security_policy(start_pages: Option<&str>) -> String {
    let hashes: String = start_pages
        .map(inline_scripts)
        .unwrap_or_default()
        .iter()
        .map(|s| {
            format!(" 'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes())))
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
         form-action 'self'; worker-src 'self'; manifest-src 'self'"
    )
}

/// The text of each `<script>` element without a `src`.
fn inline_scripts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body = &after[tag_end + 1..];
        let Some(close) = body.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            scripts.push(body[..close].to_string());
        }
        rest = &body[close..];
    }
    scripts
}

#[derive(Clone)]
pub struct Headers {
    pub csp: Arc<HeaderValue>,
}

/// What answers that no browser renders as a page get instead of the whole policy: API JSON,
/// the program's wasm, JS and CSS, downloads. Nothing may load from them and nothing may frame
/// them; the rest of the policy, and the headers only pages obey (framing, permissions, opener,
/// referrer), would be bytes on every answer of a slow phone's first load for nothing.
const NOT_A_PAGE_CSP: HeaderValue = HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'");

pub async fn headers(State(config): State<Headers>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_api = path.starts_with("/api/");
    // Told by the address, not by the answer: a 304 that revalidates a page has no content type,
    // and the browser lays its headers over the cached page's. Pages, the service worker's
    // script (which runs under the policy it came with) and other unhashed files get it all.
    let is_page = !is_api && !crate::web::is_hashed(path);
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if is_page {
        h.insert(header::CONTENT_SECURITY_POLICY, (*config.csp).clone());
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
        h.insert(
            "permissions-policy",
            HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
        );
    } else {
        h.insert(header::CONTENT_SECURITY_POLICY, NOT_A_PAGE_CSP);
    }
    if is_api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Refuses a state-changing request that a browser says comes from another site. Browsers send
/// `Sec-Fetch-Site` (and `Origin`) on every such request; clients that are not browsers carry
/// no ambient cookies a forged page could borrow.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = matches!(fetch_site, Some("cross-site") | Some("same-site"));
    let origin_mismatch = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or("");
            let origin_host = origin.split_once("://").map(|(_, h)| h).unwrap_or("null");
            origin_host != host.to_str().unwrap_or("")
        }
        (Some(_), None) => true,
        _ => false,
    };
    if cross_site || origin_mismatch {
        return Error::Cross(Msg::new("拒绝来自其他网站的请求", "Requests from other sites are refused"))
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_only_inline_scripts() {
        let html = r#"<html><script src="/a.js"></script><script type="module">init()</script></html>"#;
        assert_eq!(inline_scripts(html), vec!["init()".to_string()]);
        let csp = content_security_policy(Some(html));
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert!(csp.contains(&format!("'sha256-{expected}'")));
        assert!(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'"));
    }
}
