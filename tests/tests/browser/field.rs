//! The counselors' field app (issue 18): its own slim program at `/field/`. Signing in lands each
//! role in its app, the desk stays open to counselors, and the field app works offline after the
//! first visit, with a service worker of its own; what it has not got opens at the desk.

use tests::browser::Browser;
use tests::offline::{eval_async, eventually, log_visit, set_offline, wait_for_service_worker};
use tests::visits::setup;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_lands_a_counselor_in_the_field_app_and_an_admin_at_the_desk() {
    if !Browser::ready() {
        return;
    }
    let (app, school, _) = setup().await;
    let class = &school.colleges[0].classes[0];
    let browser = Browser::start(1024, 768).await;
    // From the desk's sign-in page, a counselor lands in the field app.
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.wait_for_text("[data-testid=campaigns]", "2024年寒假家访").await;
    assert_eq!(browser.path().await, "/field/");
    let nav = browser.wait_for_text("header", "").await;
    assert!(!nav.contains("活动") && nav.contains("家长会"), "the field app's bar: {nav}");

    // The desk stays open to them, with the way back.
    browser.click("[data-testid=to-desk]").await;
    browser.wait_for_text("[data-testid=greeting]", "").await;
    assert_eq!(browser.path().await, "/");
    browser.click("[data-testid=to-field]").await;
    browser.wait_for_text("[data-testid=campaigns]", "2024年寒假家访").await;
    assert_eq!(browser.path().await, "/field/");
    browser.sign_out().await;
    assert_eq!(browser.path().await, "/field/login");

    // From the field app's sign-in page, an admin lands at the desk.
    browser.sign_in_at(&app.address, "/field/login", &school.admin.username, &school.admin.password).await;
    browser.wait_for_text("[data-testid=nav-users]", "").await;
    assert_eq!(browser.path().await, "/");
    assert_eq!(browser.eval("return !!document.querySelector('[data-testid=to-field]')").await, false);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_field_app_opens_offline_after_one_visit_and_sends_to_the_desk_what_it_has_not_got() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let browser = Browser::start(768, 1024).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    // Within the app, its router follows its links under /field/.
    browser.click("[data-testid=campaigns] a").await;
    browser.wait_for_text("[data-testid=students]", &class.students[0].name).await;
    assert_eq!(browser.path().await, format!("/field/visits/{campaign}"));
    wait_for_service_worker(&browser).await;
    let scope = eval_async(&browser, "return (await navigator.serviceWorker.getRegistration()).scope;").await;
    assert_eq!(scope.as_str(), Some(app.field_url("/").as_str()), "the field app's own worker");

    // Without network, the app opens from the worker's cache and keeps the visit for later.
    set_offline(&browser, true).await;
    browser.client().refresh().await.expect("reloading offline");
    browser.wait_for_text("[data-testid=students]", &class.students[0].name).await;
    log_visit(&browser, &class.students[0], "外勤记录", "敏感内容", 1).await;
    browser.client().refresh().await.expect("reloading offline again");
    browser.wait_for_text("[data-testid=pending-count]", "1").await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);
    set_offline(&browser, false).await;
    // Sent when the browser says it is online again, or at the latest by the outbox's 15-second
    // timer; the server may be slow on a machine running other tests.
    eventually("the visit stored", 30, || async { app.query_i64("SELECT COUNT(*) FROM visits").await == 1 }).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1);

    // A student's record is a desk page: the field app hands it over.
    let student = &class.students[0];
    browser.goto(&app.field_url(&format!("/students/{}", student.id))).await;
    browser.wait_for_text("[data-testid=student-name]", &student.name).await;
    assert_eq!(browser.path().await, format!("/students/{}", student.id));
    browser.close().await;
}
