//! Accounts a school can run, in a real browser: changing one's password; an admin's reset link
//! whose owner sets a new password and signs in; an admin resetting someone's two-step
//! verification after confirming; recovery codes shown once after turning two-step verification
//! on, and one of them signing in where the page asks for the app's code.

use backend::auth::totp::Secret;
use tests::browser::Browser;

use crate::admin::value_of;
use crate::signin::ready;

const NEW_PASSWORD: &str = "家访 a new passphrase 2024";

/// Signs out and waits for the sign-in page.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_changes_their_password_and_signs_in_with_the_new_one() {
    let Some((app, school)) = ready().await else { return };
    let counselor = &school.colleges[0].classes[0].counselor;
    let browser = Browser::start(390, 844).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.click("[data-testid=who]").await;
    browser.wait_for_text("h2", "修改密码").await;
    browser.fill("#current-password", "not my password").await;
    browser.fill("#new-password", NEW_PASSWORD).await;
    browser.fill("#new-again", NEW_PASSWORD).await;
    browser.click("[data-testid=password-change]").await;
    browser.wait_for_text("[data-testid=error-current_password]", "当前密码不正确").await;
    browser.fill("#current-password", &counselor.password).await;
    browser.click("[data-testid=password-change]").await;
    browser.wait_for_text("[data-testid=password-done]", "密码已修改").await;
    assert!(!browser.scrolls_sideways().await, "the account page fits a phone");

    browser.sign_out().await;
    browser.sign_in(&app.address, &counselor.username, NEW_PASSWORD).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_a_reset_link_whose_owner_sets_a_new_password_and_signs_in() {
    let Some((app, school)) = ready().await else { return };
    let counselor = &school.colleges[0].classes[0].counselor;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.click("[data-testid=nav-users]").await;
    let row = format!("[data-username='{}']", counselor.username);
    browser.click(&format!("{row} [data-testid=user-reset-link]")).await;
    browser.wait_for_text("[data-testid=reset-link]", "72 小时内有效").await;
    let link = value_of(&browser, "[data-testid=reset-link-url]").await;
    assert!(link.starts_with(&format!("{}/reset-password#token=", app.address)), "{link}");
    browser.close().await;

    let browser = Browser::start(390, 844).await;
    browser.goto(&link).await;
    browser.wait_for_text("h1", "重设密码").await;
    browser.fill("[data-testid=activate-password]", NEW_PASSWORD).await;
    browser.fill("[data-testid=activate-again]", NEW_PASSWORD).await;
    browser.click("[data-testid=activate-submit]").await;
    browser.wait_for_text("[data-testid=activated]", &counselor.username).await;
    let address = browser.eval("return window.location.href;").await;
    assert!(!address.as_str().unwrap_or_default().contains("token"), "{address}");
    browser.sign_in(&app.address, &counselor.username, NEW_PASSWORD).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_resets_someone_s_two_step_verification_after_confirming() {
    let Some((app, school)) = ready().await else { return };
    let counselor = &school.colleges[0].classes[0].counselor;
    app.enable_totp(counselor.id, tests::totp::TOTP_SECRET).await;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.click("[data-testid=nav-users]").await;
    let row = format!("[data-username='{}']", counselor.username);
    browser.click(&format!("{row} [data-testid=user-totp-reset]")).await;
    browser.wait_for_text("[data-testid=totp-reset-confirm]", "确定要重置此人的两步验证吗").await;
    browser.click("[data-testid=totp-reset-yes]").await;
    // The list is read again: the button goes, as two-step verification is off.
    browser.wait_for_text(&format!("{row} td"), &counselor.username).await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while crate::admin::exists(&browser, &format!("{row} [data-testid=user-totp-reset]")).await {
        assert!(tokio::time::Instant::now() < deadline, "the reset button is still there");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.row_count("user_totp").await, 1, "only the admin's is left");
    browser.close().await;

    // The password alone signs them in now.
    let browser = Browser::start(390, 844).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recovery_codes_are_shown_once_after_turning_on_and_one_signs_in_in_place_of_a_code() {
    let Some((app, school)) = ready().await else { return };
    let counselor = &school.colleges[0].classes[0].counselor;
    let browser = Browser::start(390, 844).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.click("[data-testid=who]").await;
    browser.click("[data-testid=totp-start]").await;
    let shown = browser.wait_for_text("[data-testid=totp-secret]", "").await;
    let secret = Secret::from_base32(&shown).expect("a base32 secret");
    browser.fill("#totp-code", &secret.code_at(backend::db::now())).await;
    browser.click("[data-testid=totp-confirm]").await;
    browser.wait_for_text("[data-testid=recovery-codes]", "只显示这一次").await;
    let codes = browser
        .eval("return [...document.querySelectorAll('[data-testid=recovery-code]')].map(e => e.textContent);")
        .await;
    let codes: Vec<String> = serde_json::from_value(codes).expect("a list of codes");
    assert_eq!(codes.len(), 10, "{codes:?}");
    browser.wait_for_text("[data-testid=recovery-left]", "10").await;
    assert!(!browser.scrolls_sideways().await, "the codes fit a phone");

    // Shown once: the page opened again has the count only.
    browser.goto(&app.url("/account")).await;
    browser.wait_for_text("[data-testid=recovery-left]", "10").await;
    assert!(!crate::admin::exists(&browser, "[data-testid=recovery-code]").await);

    browser.sign_out().await;
    browser.fill("#username", &counselor.username).await;
    browser.fill("#password", &counselor.password).await;
    browser.click("button[type=submit]").await;
    browser.click("[data-testid=use-recovery]").await;
    browser.fill("#recovery-code", &codes[0]).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("[data-testid=who]", &counselor.username).await;
    browser.click("[data-testid=who]").await;
    browser.wait_for_text("[data-testid=recovery-left]", "9").await;

    // A new set, asked for with the password, replaces the old.
    browser.fill("#recovery-proof", &counselor.password).await;
    browser.click("[data-testid=recovery-new]").await;
    browser.wait_for_text("[data-testid=recovery-codes]", "只显示这一次").await;
    browser.wait_for_text("[data-testid=recovery-left]", "10").await;
    browser.close().await;
}
