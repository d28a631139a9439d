//! Follow-ups that finish, in a real browser: a counselor adds a follow-up to a visit logged
//! before and refers it to the counselling centre, whose staff find it on their start page and
//! close it with an outcome; the navigation's badge and the due list show an overdue follow-up,
//! which is reassigned, closed with an outcome and reopened; an admin puts a new account in a
//! service department.

use shared::Department;
use tests::browser::Browser;
use tests::visits::full_visit;

use crate::admin::{exists, set_value};
use crate::signin::ready;

/// On a visit's page: a follow-up added later, owned by `owner` and referred to the counselling
/// centre (also the whole loop's step, `the_loop.rs`).
pub(crate) async fn refer_to_counselling(browser: &Browser, owner: &tests::Account, what: &str) {
    browser.wait_for_text("[data-testid=add-follow-up-later]", "").await;
    browser.fill("[data-testid=new-follow-up-what]", what).await;
    browser.wait_for_text("[data-testid=new-follow-up-owner]", &owner.username).await;
    browser.choose("[data-testid=new-follow-up-owner]", &owner.id.to_string()).await;
    browser.choose("[data-testid=new-follow-up-department]", "counselling").await;
    browser.click("[data-testid=new-follow-up-save]").await;
    let row = browser.wait_for_text("[data-testid=follow-up]", what).await;
    assert!(row.contains("心理健康教育与咨询中心"), "{row}");
}

/// On a service department's start page: its one open referral closed with `outcome`.
pub(crate) async fn close_referral(browser: &Browser, outcome: &str) {
    browser.fill("[data-testid=referral-outcome-input]", outcome).await;
    browser.click("[data-testid=referral-close]").await;
    browser.wait_for_text("[data-testid=referrals-done]", outcome).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_refers_a_follow_up_and_the_counselling_centre_closes_it() {
    let Some((app, school)) = ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[0];
    let counselor = app.signed_in(&class.counselor).await;
    let mut sent = full_visit(campaign, student.id, class.counselor.id);
    sent.follow_ups.clear();
    let visit = app.log_visit(&counselor, &sent).await;
    let centre = app.add_service_staff("xinli", Department::Counselling).await;

    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.goto(&app.url(&format!("/visit/{}", visit.id))).await;
    refer_to_counselling(&browser, &class.counselor, "预约心理咨询").await;
    browser.sign_out().await;

    // The centre's staff: their start page is their department's referrals, and nothing else.
    browser.sign_in(&app.address, &centre.username, &centre.password).await;
    let referral = browser.wait_for_text("[data-testid=referral]", "预约心理咨询").await;
    assert!(referral.contains(&student.name) && referral.contains(&class.name), "{referral}");
    assert!(!referral.contains("家庭和睦"), "no notes of the visit: {referral}");
    browser.wait_for_text("[data-testid=due-badge]", "1").await;
    assert!(!exists(&browser, "[data-testid=nav-campaigns]").await, "no campaigns for service staff");
    close_referral(&browser, "已约每周三咨询").await;

    let (status, outcome, done_by): (String, Option<String>, Option<shared::UserId>) =
        sqlx::query_as("SELECT status, outcome, done_by FROM follow_ups WHERE what = '预约心理咨询'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((status.as_str(), outcome.as_deref(), done_by), ("done", Some("已约每周三咨询"), Some(centre.id)));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_badge_and_the_due_list_show_an_overdue_follow_up_which_is_reassigned_closed_and_reopened() {
    let Some((app, school)) = ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    // Its follow-up was due on 2024-02-20: overdue.
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;

    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.wait_for_text("[data-testid=due-badge]", "1").await;
    let overdue = browser.eval("return document.querySelector('[data-testid=due-badge]').dataset.overdue;").await;
    assert_eq!(overdue, "1");
    browser.click("[data-testid=nav-follow-ups]").await;
    let row = browser.wait_for_text("[data-testid=due-mine] [data-testid=follow-up]", "联系学业导师").await;
    assert!(row.contains("已逾期"), "{row}");

    // Reassigned to the career centre, keeping its owner.
    browser.click("[data-testid=follow-up-reassign]").await;
    browser.wait_for_text("[data-testid=follow-up-owner]", &class.counselor.username).await;
    browser.choose("[data-testid=follow-up-department-select]", "career").await;
    browser.click("[data-testid=follow-up-assign-save]").await;
    browser.wait_for_text("[data-testid=follow-up-department]", "就业指导中心").await;

    // Closed with an outcome: it leaves the due list.
    browser.click("[data-testid=follow-up-close]").await;
    browser.fill("[data-testid=follow-up-outcome]", "已推荐参加就业讲座").await;
    browser.click("[data-testid=follow-up-close-save]").await;
    browser.wait_for_text("[data-testid=due-mine]", "本周没有到期的事项").await;

    // On the visit's page it is closed, with the outcome; reopened, it is open again.
    browser.goto(&app.url(&format!("/visit/{}", visit.id))).await;
    browser.wait_for_text("[data-testid=follow-up-outcome-text]", "已推荐参加就业讲座").await;
    browser.click("[data-testid=follow-up-reopen]").await;
    browser.wait_for_text("[data-testid=follow-up][data-status=open]", "联系学业导师").await;
    let (status, department): (String, Option<String>) =
        sqlx::query_as("SELECT status, department FROM follow_ups").fetch_one(&app.db.read).await.unwrap();
    assert_eq!((status.as_str(), department.as_deref()), ("open", Some("career")));
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_puts_a_new_account_in_a_service_department() {
    let Some((app, school)) = ready().await else { return };
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.click("[data-testid=nav-users]").await;
    browser.click("[data-testid=user-new]").await;
    browser.fill("[data-testid=new-username]", "zizhu.li").await;
    browser.fill("[data-testid=new-name]", "资助中心 李老师").await;
    set_value(&browser, "[data-testid=new-role]", "service_staff").await;
    browser.wait_for_text("[data-testid=new-department]", "资助管理中心").await;
    set_value(&browser, "[data-testid=new-department]", "financial_aid").await;
    browser.click("[data-testid=user-save]").await;
    browser.wait_for_text("[data-testid=user-created]", "资助中心 李老师").await;
    let (role, department): (String, Option<String>) =
        sqlx::query_as("SELECT role, department FROM users WHERE username = 'zizhu.li'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((role.as_str(), department.as_deref()), ("service_staff", Some("financial_aid")));
    browser.close().await;
}
