//! The HTTP plumbing under the seam: a typed fetch that returns `Result`. Errors come back in the
//! API's one shape, already in the user's language (the `jf_lang` cookie tells the server). Pages
//! do not call these with a path: they call the endpoint's function beside this file.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::ApiError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Request, RequestCredentials, RequestInit, Response};

use crate::i18n;

thread_local! {
    /// Called when the server says the session is gone, so the app can show the sign-in page.
    static ON_UNAUTHORIZED: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

pub fn on_unauthorized(f: impl Fn() + 'static) {
    ON_UNAUTHORIZED.with(|cell| *cell.borrow_mut() = Some(Box::new(f)));
}

fn network_error() -> ApiError {
    ApiError::new(
        "network",
        i18n::stored_lang().pick("网络连接失败，请检查网络后重试", "No connection. Check the network and try again"),
    )
}

pub(crate) async fn send(method: &str, path: &str, body: Option<String>) -> Result<Response, ApiError> {
    send_with(method, path, body, &[]).await
}

/// `send` with more request headers.
pub(crate) async fn send_with(
    method: &str,
    path: &str,
    body: Option<String>,
    extra: &[(&str, &str)],
) -> Result<Response, ApiError> {
    let init = RequestInit::new();
    init.set_method(method);
    init.set_credentials(RequestCredentials::SameOrigin);
    if let Some(body) = &body {
        init.set_body(&wasm_bindgen::JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| network_error())?;
    let headers = request.headers();
    let _ = headers.set("Accept", "application/json");
    if body.is_some() {
        let _ = headers.set("Content-Type", "application/json");
    }
    for (name, value) in extra {
        let _ = headers.set(name, value);
    }
    let window = web_sys::window().ok_or_else(network_error)?;
    let response = JsFuture::from(window.fetch_with_request(&request)).await.map_err(|_| network_error())?;
    response.dyn_into::<Response>().map_err(|_| network_error())
}

pub(crate) async fn text(response: &Response) -> Result<String, ApiError> {
    let promise = response.text().map_err(|_| network_error())?;
    let value = JsFuture::from(promise).await.map_err(|_| network_error())?;
    Ok(value.as_string().unwrap_or_default())
}

/// Sends a request and reads the answer as `T` (an empty answer reads as `null`, i.e. `()`).
pub async fn fetch<T: DeserializeOwned>(method: &str, path: &str, body: Option<String>) -> Result<T, ApiError> {
    let response = send(method, path, body).await?;
    read(response, path).await
}

/// The `Response` a promise from `fetch` gives.
pub(crate) async fn sent_response(sent: js_sys::Promise) -> Result<Response, ApiError> {
    let response = JsFuture::from(sent).await.map_err(|_| network_error())?;
    response.dyn_into::<Response>().map_err(|_| network_error())
}

async fn read<T: DeserializeOwned>(response: Response, path: &str) -> Result<T, ApiError> {
    let text = text(&response).await?;
    answer(response.status(), &text, path)
}

/// An answer's body as `T`, or the API's error (telling the app when the session is gone).
pub(crate) fn answer<T: DeserializeOwned>(status: u16, text: &str, path: &str) -> Result<T, ApiError> {
    answer_with(
        status,
        text,
        path,
        |text| serde_json::from_str(text).map_err(|e| e.to_string()),
        |text| serde_json::from_str::<ApiError>(text).ok(),
    )
}

/// `answer` with the decoders given: serde's for the staff app; the parent's page has its own,
/// without serde (see `api/family/wire.rs`). An empty answer reads as `null`.
pub(crate) fn answer_with<T>(
    status: u16,
    text: &str,
    path: &str,
    decode: impl FnOnce(&str) -> Result<T, String>,
    decode_error: impl FnOnce(&str) -> Option<ApiError>,
) -> Result<T, ApiError> {
    if (200..300).contains(&status) {
        let text = if text.is_empty() { "null" } else { text };
        return decode(text).map_err(|e| ApiError::new("decode", e));
    }
    if status == 401 && !path.starts_with(super::auth::PREFIX) {
        ON_UNAUTHORIZED.with(|cell| {
            if let Some(f) = cell.borrow().as_ref() {
                f()
            }
        });
    }
    Err(decode_error(text).unwrap_or_else(|| {
        ApiError::new("http", format!("{} {status}", i18n::stored_lang().pick("服务器错误", "Server error")))
    }))
}

pub async fn get<T: DeserializeOwned>(path: impl Into<String>) -> Result<T, ApiError> {
    fetch("GET", &path.into(), None).await
}

/// A GET whose answer is text (an HTML fragment the server rendered), not JSON.
pub async fn get_text(path: &str) -> Result<String, ApiError> {
    let response = send("GET", path, None).await?;
    let body = text(&response).await?;
    answer_with(response.status(), &body, path, |t| Ok(t.to_string()), |t| serde_json::from_str::<ApiError>(t).ok())
}

/// A GET that sends `If-None-Match: tag` when given one (a request with that header bypasses the
/// browser's cache, so the 304 reaches here): `None` when the server answers 304 (unchanged),
/// else the answer and its `ETag`.
pub async fn get_if_changed<T: DeserializeOwned>(
    path: &str,
    tag: Option<&str>,
) -> Result<Option<(T, Option<String>)>, ApiError> {
    let extra: Vec<(&str, &str)> = tag.map(|t| ("If-None-Match", t)).into_iter().collect();
    let response = send_with("GET", path, None, &extra).await?;
    if response.status() == 304 {
        return Ok(None);
    }
    let etag = response.headers().get("ETag").ok().flatten();
    Ok(Some((read(response, path).await?, etag)))
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::new("encode", e.to_string()))?;
    fetch("POST", path, Some(body)).await
}

pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let body = serde_json::to_string(body).map_err(|e| ApiError::new("encode", e.to_string()))?;
    fetch("PUT", path, Some(body)).await
}

pub async fn delete(path: &str) -> Result<(), ApiError> {
    fetch("DELETE", path, None).await
}

/// `PUT path` with raw bytes as the body (a photo), read as `T`.
pub async fn put_bytes<T: DeserializeOwned>(path: &str, content_type: &str, bytes: &[u8]) -> Result<T, ApiError> {
    let init = RequestInit::new();
    init.set_method("PUT");
    init.set_credentials(RequestCredentials::SameOrigin);
    init.set_body(&js_sys::Uint8Array::from(bytes));
    let request = Request::new_with_str_and_init(path, &init).map_err(|_| network_error())?;
    let _ = request.headers().set("Accept", "application/json");
    let _ = request.headers().set("Content-Type", content_type);
    let window = web_sys::window().ok_or_else(network_error)?;
    let response = sent_response(window.fetch_with_request(&request)).await?;
    read(response, path).await
}

/// Sends a file as the raw body of a POST with XMLHttpRequest, whose upload progress events
/// (`fetch` has none) call `progress` with the fraction sent so far; reads the answer as `T`.
pub async fn upload<T: DeserializeOwned>(
    path: &str,
    file: &web_sys::File,
    progress: impl Fn(f64) + 'static,
) -> Result<T, ApiError> {
    use wasm_bindgen::closure::Closure;
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| network_error())?;
    xhr.open_with_async("POST", path, true).map_err(|_| network_error())?;
    let _ = xhr.set_request_header("Accept", "application/json");
    let _ = xhr.set_request_header("Content-Type", "application/octet-stream");
    let on_progress = Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            progress(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let request = xhr.clone();
    // `loadend` follows success, error and abort alike.
    let done = js_sys::Promise::new(&mut |resolve, _| request.set_onloadend(Some(&resolve)));
    xhr.send_with_opt_blob(Some(file)).map_err(|_| network_error())?;
    let _ = JsFuture::from(done).await;
    drop(on_progress);
    let status = xhr.status().unwrap_or(0);
    if status == 0 {
        return Err(network_error());
    }
    answer(status, &xhr.response_text().ok().flatten().unwrap_or_default(), path)
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).as_string().unwrap_or_default()
}
