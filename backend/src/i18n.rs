//! The language of API messages: the `jf_lang` cookie the front end sets when the user picks a
//! language, else `Accept-Language`, else Chinese. A middleware puts it in a task-local for the
//! request so that errors can be rendered in it wherever they arise.

use std::borrow::Cow;

use axum::extract::Request;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE};
use axum::middleware::Next;
use axum::response::Response;
use shared::Lang;

tokio::task_local! {
    static LANG: Lang;
}

pub const LANG_COOKIE: &str = "jf_lang";

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Msg {
    pub const fn new(zh: &'static str, en: &'static str) -> Msg {
        Msg { zh: Cow::Borrowed(zh), en: Cow::Borrowed(en) }
    }

    pub fn owned(zh: String, en: String) -> Msg {
        Msg { zh: Cow::Owned(zh), en: Cow::Owned(en) }
    }

    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// The current request's language (Chinese outside a request).
pub fn current() -> Lang {
    LANG.try_with(|l| *l).unwrap_or_default()
}

pub fn from_headers(headers: &axum::http::HeaderMap) -> Lang {
    let from_cookie =
        headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == LANG_COOKIE).then(|| Lang::from_code(value))
        });
    from_cookie
        .or_else(|| headers.get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(Lang::from_accept_language))
        .unwrap_or_default()
}

pub async fn middleware(request: Request, next: Next) -> Response {
    let lang = from_headers(request.headers());
    LANG.scope(lang, next.run(request)).await
}
