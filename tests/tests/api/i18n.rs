//! Error messages come in the language of the request: the `jf_lang` cookie, else
//! `Accept-Language`, else Chinese.

use reqwest::StatusCode;
use tests::{error_body, spawn_app, TestApp};

async fn message(app: &TestApp, headers: &[(&str, &str)]) -> String {
    let mut request = reqwest::Client::new().get(app.url("/api/auth/me"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let (status, error) = error_body(request.send().await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "unauthorized"));
    error.message
}

fn is_chinese(text: &str) -> bool {
    text.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

#[tokio::test]
async fn chinese_by_default() {
    let app = spawn_app().await;
    let text = message(&app, &[]).await;
    assert!(is_chinese(&text), "{text}");
    let text = message(&app, &[("accept-language", "fr-FR, de;q=0.8")]).await;
    assert!(is_chinese(&text), "unsupported languages fall back to Chinese: {text}");
}

#[tokio::test]
async fn english_when_the_browser_prefers_it() {
    let app = spawn_app().await;
    assert_eq!(message(&app, &[("accept-language", "en")]).await, "Please sign in first");
    assert_eq!(message(&app, &[("accept-language", "en-GB,en;q=0.9,zh-CN;q=0.5")]).await, "Please sign in first");
    assert!(is_chinese(&message(&app, &[("accept-language", "zh-CN,zh;q=0.9,en;q=0.8")]).await));
}

#[tokio::test]
async fn the_language_cookie_wins_over_the_browser() {
    let app = spawn_app().await;
    let english = message(&app, &[("accept-language", "zh-CN"), ("cookie", "jf_lang=en")]).await;
    assert_eq!(english, "Please sign in first");
    let chinese = message(&app, &[("accept-language", "en"), ("cookie", "theme=dark; jf_lang=zh")]).await;
    assert!(is_chinese(&chinese), "{chinese}");
}
