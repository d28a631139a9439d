//! The parent's privacy notice and the separate consent to sensitive concerns (issue 19, items
//! 1 and 2), on a phone: the notice on first entry with the school's details an admin saved,
//! closed and reopened from the bar; a mental-health concern refused until the consent is
//! ticked, then sent; the consent withdrawn from the notice, after which staff no longer see it.

use shared::concerns::OpenConcern;
use shared::privacy::PrivacySettings;
use tests::browser::Browser;
use tests::meetings::token_of;
use tests::visits::setup;

const CONCERN: &str = "孩子最近睡眠不好，情绪低落";

async fn poll(app: &tests::TestApp, sql: &str, want: i64) {
    for _ in 0..100 {
        if app.query_i64(sql).await == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{sql} never gave {want}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_reads_the_notice_consents_to_a_sensitive_concern_and_withdraws() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let admin = app.signed_in(&school.admin).await;
    let settings =
        PrivacySettings { school_name: "某某大学".into(), contact: "学生工作处 024-12345678".into() };
    assert!(app.put_json(&admin, "/api/settings/privacy", &settings).await.status().is_success());
    let family = app.meeting_family(&school, Some(campaign)).await;

    let phone = Browser::start(390, 844).await;
    phone.goto(&app.url(&format!("/f#t={}", token_of(&family.url)))).await;
    phone.wait_for_text("[data-testid=privacy-school]", "某某大学").await;
    phone.wait_for_text("[data-testid=privacy-contact]", "024-12345678").await;
    phone.click("[data-testid=privacy-close]").await;
    let gone = "return document.querySelector('[data-testid=privacy-notice]') === null;";
    assert_eq!(phone.eval(gone).await, serde_json::Value::Bool(true), "closed");
    phone.click("[data-testid=privacy-link]").await;
    phone.wait_for_text("[data-testid=privacy-notice]", "个人信息").await;
    phone.click("[data-testid=privacy-close]").await;

    // A sensitive topic asks for the consent; without the tick the server refuses and says why.
    phone.choose("[data-testid=concern-topic]", "mental_health").await;
    phone.wait_for_text("[data-testid=sensitive-consent]", "敏感个人信息").await;
    phone.fill("[data-testid=concern-text]", CONCERN).await;
    phone.click("[data-testid=concern-add]").await;
    phone.wait_for_text("main [role=alert]", "单独同意").await;
    phone.click("[data-testid=sensitive-consent-agree]").await;
    phone.click("[data-testid=concern-add]").await;
    phone.wait_for_text("[data-testid=my-concerns]", CONCERN).await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM sensitive_consents WHERE withdrawn_at IS NULL").await, 1);
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    let path = format!("/api/visits/concerns?campaign_id={campaign}");
    assert_eq!(app.get_json::<Vec<OpenConcern>>(&counselor, &path).await.len(), 1, "the counselor sees it");

    // Withdrawn from the notice: staff no longer see it.
    phone.click("[data-testid=privacy-link]").await;
    phone.click("[data-testid=consent-withdraw]").await;
    poll(&app, "SELECT COUNT(*) FROM sensitive_consents WHERE withdrawn_at IS NOT NULL", 1).await;
    assert!(app.get_json::<Vec<OpenConcern>>(&counselor, &path).await.is_empty(), "hidden from staff");
    phone.close().await;
}

/// An admin saves the school's details on the users page; the notice's answer carries them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_the_school_details_the_notice_names() {
    if !Browser::ready() {
        return;
    }
    let (app, school, _) = setup().await;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url("/users")).await;
    browser.click("[data-testid=privacy-settings] summary").await;
    browser.fill("[data-testid=privacy-school-name]", "某某大学").await;
    browser.fill("[data-testid=privacy-contact-input]", "学生工作处 024-12345678").await;
    browser.click("[data-testid=privacy-settings-save]").await;
    browser.wait_for_text("[data-testid=privacy-settings-message]", "已保存").await;
    let admin = app.signed_in(&school.admin).await;
    let saved: PrivacySettings = app.get_json(&admin, "/api/settings/privacy").await;
    assert_eq!((saved.school_name.as_str(), saved.contact.as_str()), ("某某大学", "学生工作处 024-12345678"));
    browser.close().await;
}
