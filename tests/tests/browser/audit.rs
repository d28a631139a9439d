//! The audit log page at 390×844 (an admin on a phone): entries of sensitive reads, filtered by
//! user and action, without sideways scrolling.

use tests::browser::Browser;

use crate::admin::set_value;
use crate::signin::ready;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_searches_the_audit_log() {
    let Some((app, school)) = ready().await else { return };
    let class = &school.colleges[0].classes[0];
    let leader = &school.colleges[0].leader;
    for (account, student) in [(&class.counselor, &class.students[0]), (leader, &class.students[1])] {
        let client = app.signed_in(account).await;
        let _: serde_json::Value = app.get_json(&client, &format!("/api/students/{}", student.id)).await;
    }

    let browser = Browser::start(390, 844).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    // Reached from the header, where only an admin has the link.
    browser.click("[data-testid=nav-audit]").await;
    browser.wait_for_text("[data-testid=audit-count]", "共 2 条记录").await;
    let table = browser.wait_for_text("[data-testid=audit-entries]", "counselor1a").await;
    assert!(table.contains(&class.students[0].name) && table.contains("address"), "{table}");

    browser.fill("[data-testid=audit-user]", &leader.id.to_string()).await;
    browser.wait_for_text("[data-testid=audit-count]", "共 1 条记录").await;
    let table = browser.wait_for_text("[data-testid=audit-entries]", &class.students[1].name).await;
    assert!(!table.contains("counselor1a"), "{table}");
    set_value(&browser, "[data-testid=audit-action]", "export").await;
    browser.wait_for_text("[data-testid=audit-count]", "共 0 条记录").await;
    assert!(!browser.scrolls_sideways().await);
    browser.close().await;
}
