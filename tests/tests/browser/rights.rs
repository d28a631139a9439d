//! Issue 19 items 3 and 4 in a real browser at 1280×800: an admin exports everything held about
//! a student (a reason first: without one the field says so), records a correction (the edit
//! forms open), erases the student's personal data; and sets a campaign's retention periods,
//! seeing the dry run.

use tests::browser::Browser;

use crate::signin::ready;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_answers_a_family_s_requests_on_the_student_page() {
    let Some((app, school)) = ready().await else { return };
    let student = &school.colleges[0].classes[0].students[0];
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/students/{}", student.id))).await;
    browser.wait_for_text("[data-testid=rights]", "个人信息权利申请").await;

    browser.click("[data-testid=rights-export]").await;
    browser.wait_for_text("[data-testid=error-reason]", "请填写申请人和理由").await;
    browser.fill("[data-testid=rights-reason]", "母亲来电要求查阅（工单 031）").await;
    browser.click("[data-testid=rights-export]").await;
    browser.wait_for_text("[data-testid=rights-done]", "已导出").await;
    let href = browser.eval("return document.querySelector('[data-testid=rights-export-file]').href;").await;
    let href = href.as_str().unwrap_or_default().to_string();
    let json = href.split_once(',').map(|(_, data)| data.to_string()).unwrap_or_default();
    let json = browser.eval(&format!("return decodeURIComponent({json:?});")).await;
    let export: serde_json::Value = serde_json::from_str(json.as_str().unwrap_or("")).expect("the exported file");
    assert!(export["tables"]["guardians"].as_array().is_some_and(|g| !g.is_empty()), "{export}");

    browser.click("[data-testid=rights-correct]").await;
    browser.wait_for_text("[data-testid=rights-done]", "已记录更正申请").await;
    browser.wait_for_text("[data-testid=guardian-editor]", "").await;

    browser.eval("window.confirm = () => true; return true;").await;
    browser.click("[data-testid=rights-erase]").await;
    browser.wait_for_text("[data-testid=student-name]", shared::retention::ERASED_NAME).await;
    let actions: Vec<String> =
        sqlx::query_scalar("SELECT action FROM audit_log WHERE action LIKE 'rights_%' AND student_id = $1 ORDER BY id")
            .bind(student.id)
            .fetch_all(&app.db.read)
            .await
            .expect("the audit log");
    assert_eq!(actions, ["rights_export", "rights_correction", "rights_erase"]);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sets_a_campaign_s_retention_and_sees_the_dry_run() {
    let Some((app, school)) = ready().await else { return };
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/campaigns/{}", campaign.id))).await;
    browser.wait_for_text("[data-testid=retention-sensitive_notes]", "敏感记录").await;
    let shown =
        browser.eval("return document.querySelector('[data-testid=retention-days-sensitive_notes]').value;").await;
    assert_eq!(shown.as_str(), Some("180"), "the default");
    browser.fill("[data-testid=retention-days-sensitive_notes]", "4000").await;
    browser.click("[data-testid=retention-save]").await;
    browser.wait_for_text("[data-testid=retention-sensitive_notes]", "0 到 3650").await;
    browser.fill("[data-testid=retention-days-sensitive_notes]", "90").await;
    browser.click("[data-testid=retention-save]").await;
    let mut saved = None;
    for _ in 0..100 {
        saved = sqlx::query_scalar("SELECT keep_sensitive_notes_days FROM campaigns WHERE id = $1")
            .bind(campaign.id)
            .fetch_one(&app.db.read)
            .await
            .expect("the campaign");
        if saved.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(saved, Some(90i64));
    browser.wait_for_text("[data-testid=retention-would-go]", "0").await;
    browser.close().await;
}
