//! Issue 3 in a real browser at 1280×800: an admin creates a campaign and an account and sees
//! the account's one-time activation link; its owner activates it and signs in; a counselor has
//! no Users link.

use serde_json::Value;
use tests::browser::Browser;

use crate::signin::ready;

/// Sets a date input or a select as a person's choice would, so that the app hears of it.
pub(crate) async fn set_value(browser: &Browser, css: &str, value: &str) {
    let (css, value) = (Value::from(css), Value::from(value));
    let js = format!(
        "const e = document.querySelector({css}); e.value = {value}; \
         e.dispatchEvent(new Event('input', {{ bubbles: true }})); \
         e.dispatchEvent(new Event('change', {{ bubbles: true }})); return e.value;"
    );
    assert_eq!(browser.eval(&js).await, value, "{css}");
}

pub(crate) async fn value_of(browser: &Browser, css: &str) -> String {
    let js = format!("const e = document.querySelector({}); return e ? e.value : '';", Value::from(css));
    browser.eval(&js).await.as_str().unwrap_or_default().to_string()
}

pub(crate) async fn exists(browser: &Browser, css: &str) -> bool {
    browser.eval(&format!("return document.querySelector({}) !== null;", Value::from(css))).await == Value::Bool(true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_creates_a_campaign_and_an_account_whose_owner_activates_it() {
    let Some((app, school)) = ready().await else { return };
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;

    browser.click("[data-testid=nav-campaigns]").await;
    browser.click("[data-testid=campaign-new]").await;
    browser.fill("[data-testid=campaign-name]", "2024年寒假家访").await;
    set_value(&browser, "[data-testid=campaign-starts]", "2024-03-01").await;
    set_value(&browser, "[data-testid=campaign-ends]", "2024-02-01").await;
    browser.click("[data-testid=campaign-save]").await;
    browser.wait_for_text("[data-testid=error-ends_on]", "结束日期不能早于开始日期").await;
    set_value(&browser, "[data-testid=campaign-starts]", "2024-01-15").await;
    browser.click("[data-testid=campaign-save]").await;
    browser.wait_for_text("[data-testid=campaign-title]", "2024年寒假家访").await;
    browser.wait_for_text("[data-testid=campaign-status]", "草稿").await;
    let aspects = browser.wait_for_text("[data-testid=aspects]", "资助育人").await;
    assert!(aspects.contains("综合素质提升") && aspects.contains("Mental health services"), "{aspects}");
    assert!(!browser.scrolls_sideways().await);

    browser.click("[data-testid=nav-users]").await;
    browser.wait_for_text("[data-testid=users]", "counselor1a").await;
    browser.click("[data-testid=user-new]").await;
    browser.fill("[data-testid=new-username]", "wang.laoshi").await;
    browser.fill("[data-testid=new-name]", "王老师").await;
    browser.fill("[data-testid=new-email]", "wang.laoshi@example.edu.cn").await;
    set_value(&browser, "[data-testid=new-role]", "counselor").await;
    browser.wait_for_text("[data-testid=new-college]", &school.colleges[0].name).await;
    set_value(&browser, "[data-testid=new-college]", &school.colleges[0].id.to_string()).await;
    browser.click("[data-testid=user-save]").await;
    browser.wait_for_text("[data-testid=user-created]", "王老师").await;
    browser.wait_for_text("[data-testid=activation]", "只显示这一次").await;
    let link = value_of(&browser, "[data-testid=activation-link]").await;
    assert!(link.starts_with(&format!("{}/activate#token=", app.address)), "{link}");
    browser.wait_for_text("[data-testid=users]", "wang.laoshi").await;
    browser.wait_for_text("[data-testid=user-email]", "wang.laoshi@example.edu.cn").await;
    assert!(!browser.scrolls_sideways().await);

    // The admin corrects the address on the account's row; a bad one is refused on its field.
    let row = "[data-testid=user-row][data-username='wang.laoshi']";
    browser.click(&format!("{row} [data-testid=user-rescope]")).await;
    let email = "[data-testid=rescope-form] input[type=email]";
    browser.fill(email, "wang at school").await;
    browser.click("[data-testid=rescope-save]").await;
    browser.wait_for_text("[data-testid=rescope-form] [data-testid=error-email]", "电子邮箱").await;
    browser.fill(email, "wang.l@example.edu.cn").await;
    browser.click("[data-testid=rescope-save]").await;
    browser.wait_for_text("[data-testid=user-email]", "wang.l@example.edu.cn").await;

    browser.close().await;

    // The owner opens the link on their own device, chooses a password, and the address bar
    // forgets the token.
    let browser = Browser::start(1280, 800).await;
    browser.goto(&link).await;
    browser.fill("[data-testid=activate-password]", "家访 needs a good passphrase").await;
    browser.fill("[data-testid=activate-again]", "家访 needs a good passphrase").await;
    browser.click("[data-testid=activate-submit]").await;
    browser.wait_for_text("[data-testid=activated]", "wang.laoshi").await;
    let address = browser.eval("return window.location.href;").await;
    assert!(!address.as_str().unwrap_or_default().contains("token"), "{address}");

    // A counselor lands in the field app (issue 18), which has no Users link either.
    browser.sign_in(&app.address, "wang.laoshi", "家访 needs a good passphrase").await;
    browser.wait_for_text("[data-testid=nav-visits]", "").await;
    assert!(browser.path().await.starts_with("/field/"), "a counselor lands in the field app");
    assert!(!exists(&browser, "[data-testid=nav-users]").await, "a counselor has no Users link");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_sees_campaigns_but_no_users_link() {
    let Some((app, school)) = ready().await else { return };
    let browser = Browser::start(1280, 800).await;
    let counselor = &school.colleges[0].classes[0].counselor;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    // The field app, where a counselor lands, and the desk, one link away.
    browser.wait_for_text("[data-testid=nav-visits]", "家访").await;
    assert!(!exists(&browser, "[data-testid=nav-users]").await);
    browser.click("[data-testid=to-desk]").await;
    browser.wait_for_text("[data-testid=nav-campaigns]", "活动").await;
    assert!(!exists(&browser, "[data-testid=nav-users]").await);
    assert!(!exists(&browser, "[data-testid=nav-audit]").await, "the audit log's link is for admins only");
    browser.goto(&app.url("/campaigns")).await;
    browser.wait_for_text("h1", "家访活动").await;
    assert!(!exists(&browser, "[data-testid=campaign-new]").await, "only admins create campaigns");
    browser.close().await;
}

/// Issue 17 item 3: staff brought in by the roster import wait for their activation links; the
/// admin lists those not activated in a college and makes all their links in one action, to
/// hand out or export as CSV.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_makes_links_for_every_account_of_a_college_not_yet_activated() {
    let Some((app, school)) = ready().await else { return };
    let admin = app.signed_in(&school.admin).await;
    let college = school.colleges[0].id;
    for (username, name) in [("qian.laoshi", "钱老师"), ("sun.laoshi", "孙老师")] {
        let body =
            serde_json::json!({"username": username, "display_name": name, "role": "counselor", "college_id": college});
        let _: shared::users::CreatedAccount = app.send_ok(&admin, reqwest::Method::POST, "/api/users", &body).await;
    }
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.click("[data-testid=nav-users]").await;
    browser.wait_for_text("[data-testid=users]", "counselor1a").await;
    set_value(&browser, "[data-testid=user-college-filter]", &college.to_string()).await;
    browser.click("[data-testid=user-pending]").await;
    // The list is read again with the filter: only the two not activated are left.
    let listed = browser.wait_for_text_without("[data-testid=users]", "钱老师", "counselor1a").await;
    assert!(listed.contains("孙老师") && !listed.contains("counselor1a"), "only those not activated: {listed}");
    let rows = browser.eval("return document.querySelectorAll('[data-testid=users] tbody tr').length;").await;
    assert_eq!(rows.as_u64(), Some(2), "{listed}");

    browser.eval("window.confirm = () => true; return true;").await;
    browser.click("[data-testid=pending-issue]").await;
    browser.wait_for_text("[data-testid=pending-count]", "2").await;
    let links = browser
        .eval("return [...document.querySelectorAll('[data-testid=pending-list] input')].map(i => i.value);")
        .await;
    let links: Vec<String> = serde_json::from_value(links).unwrap();
    assert_eq!(links.len(), 2);
    assert!(links.iter().all(|l| l.starts_with(&format!("{}/activate#token=", app.address))), "{links:?}");
    let csv = browser
        .eval("return decodeURIComponent(document.querySelector('[data-testid=pending-csv]').href.split(',').slice(1).join(','));")
        .await;
    let csv = csv.as_str().unwrap_or_default();
    assert!(csv.contains("qian.laoshi") && csv.contains("sun.laoshi") && csv.contains(&links[0]), "{csv}");
    assert!(!browser.scrolls_sideways().await);
    browser.close().await;

    // A link from the page activates its account.
    let token = links[0].split("#token=").nth(1).unwrap();
    let body = serde_json::json!({ "token": token, "password": "家访 needs a good passphrase" });
    assert_eq!(app.post_json(&app.client(), "/api/activate", &body).await.status(), reqwest::StatusCode::OK);
}
