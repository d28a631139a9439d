//! The whole loop in real browsers (issue 15 item 7), on whichever database the run names: a
//! parent on a phone (390×844) raises a mental-health concern on the family page → the counselor
//! on a tablet (1024×768) sees it on the visit plan, logs the visit addressing it with a reply,
//! opens the student's page with the history from the visit list, and refers a follow-up to the
//! counselling centre → the parent's page shows it addressed with the reply → the centre's staff
//! close the follow-up with an outcome → the dashboard (1280×800), open all along, shows the
//! visit and the closed follow-up without a reload. A screenshot of each of the three screens is
//! kept (`Browser::keep_screenshot`).

use tests::browser::Browser;
use tests::meetings::token_of;

use crate::follow_ups::{close_referral, refer_to_counselling};

const CONCERN: &str = "孩子寒假期间情绪低落";
const REPLY: &str = "已与孩子谈心，建议到心理中心做一次咨询";
const REFERRAL: &str = "心理中心评估情绪状况";
const OUTCOME: &str = "已完成首次咨询，每两周复谈";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parents_concern_goes_through_the_visit_and_the_counselling_centre_to_the_live_dashboard() {
    let Some((app, school)) = crate::signin::ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let family = app.meeting_family(&school, Some(campaign)).await;
    let centre = app.add_service_staff("xinli", shared::Department::Counselling).await;

    // The dashboard, open from the start: nothing yet.
    let dashboard = Browser::start(1280, 800).await;
    dashboard.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    dashboard.goto(&app.url(&format!("/campaigns/{campaign}/dashboard"))).await;
    dashboard.wait_for_text("[data-testid=card-students_reached] strong", "0").await;
    dashboard.wait_for_text("[data-testid=live-indicator]", "实时").await;
    dashboard.eval("window.__same_page = true; return true;").await;

    // The parent raises a mental-health concern on their phone.
    let phone = Browser::start(390, 844).await;
    let family_page = app.url(&format!("/f#t={}", token_of(&family.url)));
    phone.goto(&family_page).await;
    phone.choose("[data-testid=concern-topic]", "mental_health").await;
    // The separate consent to a sensitive topic (issue 19), ticked with the concern.
    phone.click("[data-testid=sensitive-consent-agree]").await;
    phone.fill("[data-testid=concern-text]", CONCERN).await;
    phone.click("[data-testid=concern-add]").await;
    phone.wait_for_text("[data-testid=my-concerns]", CONCERN).await;
    phone.close().await;
    let concern: i64 = sqlx::query_scalar("SELECT id FROM meeting_concerns WHERE topic = 'mental_health'")
        .fetch_one(&app.db.read)
        .await
        .expect("the concern stored");

    // The counselor: the concern under the student, a plan, the visit addressing it with a reply.
    let tablet = Browser::start(1024, 768).await;
    tablet.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    tablet.goto(&app.url(&format!("/visits/{campaign}"))).await;
    tablet.wait_for_text("[data-testid=student-row]", CONCERN).await;
    tablet.click(&format!("[data-testid=pick-{}]", family.student)).await;
    tablet.click("[data-testid=plan-submit]").await;
    let plan = tablet.wait_for_text("[data-testid=plan-row]", CONCERN).await;
    assert!(plan.contains("心理健康"), "the concern's topic on the plan: {plan}");
    tablet.click("[data-testid=plan-log]").await;
    tablet.wait_for_text("[data-testid=visit-open-concerns]", CONCERN).await;
    tablet.click(&format!("[data-testid=addressed-{concern}]")).await;
    tablet.fill(&format!("[data-testid=reply-{concern}]"), REPLY).await;
    tablet.fill("[data-testid=visit-notes]", "孩子愿意接受咨询，家长配合").await;
    let counselor_shot = tablet.keep_screenshot("loop-counselor-visit-form-1024x768.png").await;
    tablet.click("[data-testid=save-visit]").await;
    tablet.wait_for_text("[data-testid=visit-row]", "").await;
    tablet.wait_for_text("[data-testid=all-synced]", "").await;

    // From the visit list to the student's page with the history, then to the visit, where the
    // counselor refers a follow-up to the counselling centre.
    tablet.click("[data-testid=visit-row] [data-testid=student-link]").await;
    let concerns = tablet.wait_for_text("[data-testid=history-concerns]", CONCERN).await;
    assert!(concerns.contains("已在家访中沟通") && concerns.contains(REPLY), "{concerns}");
    tablet.wait_for_text("[data-testid=history-visits]", "2024年寒假家访").await;
    tablet.click("[data-testid=history-visit] a").await;
    refer_to_counselling(&tablet, &class.counselor, REFERRAL).await;
    tablet.sign_out().await;

    // The parent's page: discussed during the visit, with the reply and nothing of the notes.
    let phone = Browser::start(390, 844).await;
    phone.goto(&family_page).await;
    phone.wait_for_text("[data-testid=concern-addressed]", "已在家访中沟通").await;
    let mine = phone.wait_for_text("[data-testid=my-concerns]", REPLY).await;
    assert!(!mine.contains("家长配合"), "never the visit's notes: {mine}");
    assert!(!phone.scrolls_sideways().await, "the parent's page fits 390 px");
    let parent_shot = phone.keep_screenshot("loop-parent-addressed-390x844.png").await;
    phone.close().await;

    // The centre's staff close the referral with an outcome.
    tablet.sign_in(&app.address, &centre.username, &centre.password).await;
    tablet.wait_for_text("[data-testid=referral]", REFERRAL).await;
    close_referral(&tablet, OUTCOME).await;
    tablet.close().await;

    // The dashboard caught up by itself: the visit, the closed follow-up, no reload.
    dashboard.wait_for_text("[data-testid=card-students_reached] strong", "1").await;
    dashboard.wait_for_text("[data-testid=card-follow_ups_done] strong", "1").await;
    assert_eq!(dashboard.eval("return window.__same_page === true;").await, true, "no reload");
    assert!(!dashboard.scrolls_sideways().await);
    let dashboard_shot = dashboard.keep_screenshot("loop-dashboard-1280x800.png").await;
    dashboard.close().await;
    for shot in [parent_shot, counselor_shot, dashboard_shot] {
        eprintln!("screenshot: {}", shot.display());
    }
}
