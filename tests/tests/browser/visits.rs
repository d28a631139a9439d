//! Home visits in a real browser: a counselor plans and logs a visit on a tablet; logs visits
//! with no network, reloads, and sees them reach the server exactly once when it returns; and
//! signing out leaves nothing of them on the device. More of the tablet in `tablet.rs`. The
//! counselor works in the field app (`/field/`); importing paper records is the desk's.

use fantoccini::Locator;
use tests::browser::Browser;
use tests::offline::{kv_keys, outbox_text, set_offline, wait_for_service_worker};
use tests::visits::setup;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_plans_and_logs_a_visit_on_a_tablet() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[0];
    let browser = Browser::start(1024, 768).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;

    browser.goto(&app.field_url("/visits")).await;
    browser.wait_for_text("[data-testid=campaigns]", "2024年寒假家访").await;
    browser.click("[data-testid=campaigns] a").await;
    browser.wait_for_text("[data-testid=students]", &student.name).await;
    browser.choose("[data-testid=filter-class]", &class.id.to_string()).await;
    browser.wait_for_text("[data-testid=students]", &student.name).await;
    browser.click(&format!("[data-testid=pick-{}]", student.id)).await;
    browser.click("[data-testid=plan-mode-cloud]").await;
    browser.fill("[data-testid=plan-link]", "https://meeting.example.cn/123").await;
    browser.click("[data-testid=plan-submit]").await;
    browser.wait_for_text("[data-testid=plan-row]", &student.name).await;
    assert!(!browser.scrolls_sideways().await, "the campaign page fits 1024 px");

    browser.click("[data-testid=plan-log]").await;
    browser.wait_for_text("[data-testid=visit-student]", &student.name).await;
    browser.click("[data-testid=mode-cloud]").await;
    browser.click("[data-testid=aspect-academic]").await;
    browser.click("[data-testid=aspect-mental_health]").await;
    browser.fill("[data-testid=visit-duration]", "45").await;
    browser.fill("[data-testid=visit-notes]", "家长很支持孩子考研").await;
    browser.fill("[data-testid=visit-sensitive]", "母亲焦虑，需关注").await;
    browser.fill("[data-testid=visit-grant]", "500").await;
    assert!(!browser.scrolls_sideways().await, "the visit form fits 1024 px");
    browser.click("[data-testid=save-visit]").await;
    browser.wait_for_text("[data-testid=visit-row]", &student.name).await;
    browser.wait_for_text("[data-testid=outbox]", "").await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;

    let (plan_id, aspects, grant): (Option<i64>, String, Option<i64>) =
        sqlx::query_as("SELECT plan_id, aspects, grant_fen FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert!(plan_id.is_some(), "logged from its plan");
    assert_eq!((aspects.as_str(), grant), ("academic,mental_health", Some(50_000)));
    let record: String = sqlx::query_scalar("SELECT record FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert!(record.contains("母亲焦虑，需关注") && record.contains("\"duration_min\":45"), "{record}");

    browser.click("[data-testid=visit-row] a").await;
    browser.wait_for_text("[data-testid=fact-sensitive]", "母亲焦虑").await;
    browser.wait_for_text("[data-testid=history-row]", "1").await;

    // A paper record of another visit, imported from the campaign's page.
    let csv = app.dir.path().join("paper.csv");
    std::fs::write(
        &csv,
        format!("学号,日期,方式,涉及方面\n{},2024/1/25,电话,就业指导\n", class.students[1].student_no),
    )
    .unwrap();
    browser.goto(&app.url(&format!("/visits/{campaign}/import"))).await;
    let input = browser.client().wait().for_element(Locator::Css("[data-testid=visit-import-file]")).await.unwrap();
    input.send_keys(&csv.display().to_string()).await.expect("choosing the file");
    browser.wait_for_text("[data-testid=import-rows]", &class.students[1].name).await;
    browser.click("[data-testid=visit-import-confirm]").await;
    browser.wait_for_text("[data-testid=import-result]", "").await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 2);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visits_logged_offline_survive_a_reload_and_reach_the_server_exactly_once() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    // A tablet held upright.
    let browser = Browser::start(768, 1024).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.goto(&app.field_url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=students]", &class.students[2].name).await;
    browser.wait_for_text("[data-testid=plan-form]", &class.counselor.username).await;
    wait_for_service_worker(&browser).await;

    set_offline(&browser, true).await;
    for (i, student) in class.students.iter().enumerate() {
        browser.click("[data-testid=log-visit]").await;
        browser.wait_for_text("[data-testid=visit-student]", &student.name).await;
        browser.choose("[data-testid=visit-student]", &student.id.to_string()).await;
        browser.click("[data-testid=aspect-career]").await;
        browser.fill("[data-testid=visit-notes]", &format!("离线记录 {i}")).await;
        browser.fill("[data-testid=visit-sensitive]", &format!("敏感内容 {i}")).await;
        assert!(!browser.scrolls_sideways().await, "the form fits 768 px");
        browser.click("[data-testid=save-visit]").await;
        browser.wait_for_text("[data-testid=pending-count]", &(i + 1).to_string()).await;
    }
    let stored = outbox_text(&browser).await;
    assert!(stored.contains("离线记录 0") && !stored.contains("敏感内容"), "sensitive notes are encrypted: {stored}");

    browser.client().refresh().await.expect("reloading while offline");
    browser.wait_for_text("[data-testid=pending-count]", "3").await;
    for student in &class.students {
        let row = browser.wait_for_text("[data-testid=pending-visit]", &student.name).await;
        assert!(row.contains("等待同步"), "{row}");
    }
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);

    set_offline(&browser, false).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 3);
    assert_eq!(app.query_i64("SELECT COUNT(DISTINCT student_id) FROM visits").await, 3);
    let record: String = sqlx::query_scalar("SELECT record FROM visits WHERE student_id = $1")
        .bind(class.students[1].id)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert!(record.contains("敏感内容 1"), "decrypted on the device before sending: {record}");
    // Retries on a timer or another online event change nothing.
    browser.click("[data-testid=sync-now]").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 3);

    assert!(!kv_keys(&browser).await.is_empty(), "lists and a key kept on the device");
    browser.click("[data-testid=sign-out]").await;
    browser.wait_for_text("#username", "").await;
    // Nothing waits, so nothing of theirs is left: no list, no key, no visit.
    assert_eq!(kv_keys(&browser).await, Vec::<String>::new(), "signing out removes the user's lists and key");
    assert_eq!(outbox_text(&browser).await, "[]");
    browser.close().await;
}

/// Two counselors share one tablet. The first logs a visit with no network and leaves without
/// signing out; their session then ends on the server. The second signs in on the same browser:
/// they see none of the first one's visits and their sync sends none of them. Back in, the first
/// counselor's visit goes out under their own name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_user_of_the_same_tablet_neither_sees_nor_sends_the_first_ones_visits() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let (first, second) = (&school.colleges[0].classes[0], &school.colleges[0].classes[1]);
    let browser = Browser::start(768, 1024).await;
    browser.sign_in(&app.address, &first.counselor.username, &first.counselor.password).await;
    browser.goto(&app.field_url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=students]", &first.students[0].name).await;
    wait_for_service_worker(&browser).await;

    set_offline(&browser, true).await;
    browser.click("[data-testid=log-visit]").await;
    browser.wait_for_text("[data-testid=visit-student]", &first.students[0].name).await;
    browser.choose("[data-testid=visit-student]", &first.students[0].id.to_string()).await;
    browser.click("[data-testid=aspect-career]").await;
    browser.fill("[data-testid=visit-notes]", "第一位辅导员的记录").await;
    browser.fill("[data-testid=visit-sensitive]", "只属于第一位").await;
    browser.click("[data-testid=save-visit]").await;
    browser.wait_for_text("[data-testid=pending-count]", "1").await;

    // The first counselor's session ends (idle timeout, say) while the tablet is offline.
    sqlx::query("DELETE FROM sessions").execute(&app.db.write).await.expect("ending the sessions");
    set_offline(&browser, false).await;
    until_signed_out(&browser, &app.address).await;
    browser.sign_in(&app.address, &second.counselor.username, &second.counselor.password).await;
    browser.goto(&app.field_url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=students]", &second.students[0].name).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    let page = browser.wait_for_text("main", "").await;
    assert!(!page.contains(&first.students[0].name), "the second user sees the first one's visit: {page}");
    browser.click("[data-testid=sync-now]").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0, "sent under the second user's session");
    let stored = outbox_text(&browser).await;
    assert!(!stored.contains("只属于第一位"), "the sensitive note is kept encrypted: {stored}");

    // The second counselor leaves the same way.
    sqlx::query("DELETE FROM sessions").execute(&app.db.write).await.expect("ending the sessions");
    until_signed_out(&browser, &app.address).await;
    browser.sign_in(&app.address, &first.counselor.username, &first.counselor.password).await;
    browser.goto(&app.field_url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    let (author, record): (i64, String) =
        sqlx::query_as("SELECT author_id, record FROM visits").fetch_one(&app.db.read).await.expect("the visit");
    assert_eq!(author, first.counselor.id.get());
    assert!(record.contains("只属于第一位"), "{record}");
    browser.close().await;
}

/// Opens the sign-in page until the app has learnt that its session is over: for offline work it
/// keeps the last person signed in until the server says otherwise.
async fn until_signed_out(browser: &Browser, base: &str) {
    for _ in 0..20 {
        browser.goto(&format!("{base}/login")).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        if browser.eval("return !!document.querySelector('#username')").await == serde_json::json!(true) {
            return;
        }
    }
    panic!("the sign-in page never showed: the app still believes someone is signed in");
}
