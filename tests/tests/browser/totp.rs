//! Two-step verification in a real browser: a counselor turns it on from their account page and
//! signs in again with a code; an admin without it is sent to turn it on before anything else.

use backend::auth::totp::Secret;
use tests::browser::Browser;

use crate::signin::ready;

/// Reads the secret the page shows, types the current code and confirms.
async fn turn_on(browser: &Browser) {
    browser.click("[data-testid=totp-start]").await;
    let shown = browser.wait_for_text("[data-testid=totp-secret]", "").await;
    let secret = Secret::from_base32(&shown).unwrap_or_else(|| panic!("not a base32 secret: {shown:?}"));
    let src = browser.eval("return document.querySelector('[data-testid=totp-qr]').getAttribute('src');").await;
    assert!(src.as_str().unwrap_or_default().starts_with("data:image/svg+xml;base64,"), "{src}");
    let loaded = browser.eval("return document.querySelector('[data-testid=totp-qr]').naturalWidth > 0;").await;
    assert_eq!(loaded, true, "the QR code shows under the Content-Security-Policy");
    browser.fill("#totp-code", &secret.code_at(backend::db::now())).await;
    browser.click("[data-testid=totp-confirm]").await;
    browser.wait_for_text("[data-testid=totp-done]", "已开启").await;
    browser.wait_for_text("[data-testid=totp-status]", "已开启").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_turns_totp_on_and_signs_in_again_with_a_code() {
    let Some((app, school)) = ready().await else { return };
    let counselor = &school.colleges[0].classes[0].counselor;
    let browser = Browser::start(390, 844).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.click("[data-testid=who]").await;
    browser.wait_for_text("h1", "账户安全").await;
    browser.wait_for_text("[data-testid=totp-status]", "未开启").await;
    turn_on(&browser).await;
    assert!(!browser.scrolls_sideways().await, "the account page fits a phone");

    browser.click("[data-testid=sign-out]").await;
    browser.wait_for_text("h1", "工作人员登录").await;
    browser.fill("#username", &counselor.username).await;
    browser.fill("#password", &counselor.password).await;
    browser.click("button[type=submit]").await;
    let input = "document.getElementById('totp-code')";
    browser.wait_for_text("label[for=totp-code]", "验证码").await;
    let attributes = browser.eval(&format!("return [{input}.inputMode, {input}.autocomplete];")).await;
    assert_eq!(attributes, serde_json::json!(["numeric", "one-time-code"]));
    browser.fill("#totp-code", "000000").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("[data-testid=login-error]", "验证码不正确").await;
    let code = app.totp_code(&counselor.username).await.expect("TOTP is on");
    browser.fill("#totp-code", &code).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("[data-testid=who]", &counselor.username).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_without_totp_is_sent_to_turn_it_on_first() {
    let Some((app, school)) = ready().await else { return };
    app.remove_totp(school.admin.id).await;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.wait_for_text("[data-testid=totp-must]", "管理员必须先开启两步验证").await;
    browser.goto(&app.url("/campaigns")).await;
    browser.wait_for_text("[data-testid=totp-must]", "管理员必须先开启两步验证").await;
    turn_on(&browser).await;
    browser.goto(&app.url("/users")).await;
    browser.wait_for_text("[data-testid=users]", "counselor1a").await;
    browser.close().await;
}
