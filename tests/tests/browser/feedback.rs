//! Issue 15 in a browser: the families' feedback on the counselor's meeting page (arriving while
//! it is open), and the live dashboard at 1280×800 showing a new visit and feedback without a
//! reload.

use serde_json::json;
use shared::meetings::{FamilyPage, Meeting};
use tests::browser::Browser;
use tests::meetings::meeting_input;
use tests::visits::full_visit;
use tests::{json_of, TestApp};

async fn give(app: &TestApp, family: &reqwest::Client, rating: i64, suggestions: &str) {
    let body = json!({ "rating": rating, "suggestions": suggestions });
    let _: FamilyPage = json_of(app.post_json(family, "/api/family/feedback", &body).await, "feedback").await;
}

/// A held meeting of the school's first class in `campaign` (if any): its id and a family
/// client per student.
async fn held_meeting(
    app: &TestApp,
    staff: &reqwest::Client,
    class: shared::ClassId,
    campaign: Option<i64>,
) -> (shared::MeetingId, Vec<reqwest::Client>) {
    let mut input = meeting_input(class, 40, 2);
    input.campaign_id = campaign.map(Into::into);
    let meeting = app.create_meeting(staff, &input).await;
    let links = app.issue_links(staff, meeting.id).await;
    let mut families = Vec::new();
    for link in &links.families {
        families.push(app.family(link.url.as_deref().unwrap()).await.0);
    }
    let _: Meeting =
        json_of(app.post_json(staff, &format!("/api/meetings/{}/held", meeting.id), &()).await, "held").await;
    (meeting.id, families)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_meeting_page_shows_the_families_ratings_and_suggestions() {
    let Some((app, school)) = crate::signin::ready().await else { return };
    let class = &school.colleges[0].classes[0];
    let staff = app.signed_in(&class.counselor).await;
    let (meeting, families) = held_meeting(&app, &staff, class.id, None).await;
    give(&app, &families[0], 4, "希望多讲就业").await;

    let tablet = Browser::start(1280, 800).await;
    tablet.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    tablet.goto(&app.url(&format!("/meetings/{meeting}"))).await;
    tablet.wait_for_text("[data-testid=feedback-average]", "4.0").await;
    tablet.wait_for_text("[data-testid=feedback-responses]", "1").await;
    tablet.wait_for_text("[data-testid=stars-4] .feedback-n", "1").await;
    tablet.wait_for_text("[data-testid=feedback-suggestions]", "希望多讲就业").await;
    let inline = tablet.eval("return document.querySelectorAll('[style]').length;").await;
    assert_eq!(inline.as_u64(), Some(0), "no inline style attributes (CSP)");

    // Another family rates while the page is open: it arrives with the page's refresh.
    give(&app, &families[1], 2, "时间太短").await;
    tablet.wait_for_text("[data-testid=feedback-responses]", "2").await;
    tablet.wait_for_text("[data-testid=feedback-average]", "3.0").await;
    tablet.wait_for_text("[data-testid=stars-2] .feedback-n", "1").await;
    let suggestions = tablet.wait_for_text("[data-testid=feedback-suggestions]", "时间太短").await;
    assert!(suggestions.contains("希望多讲就业"), "{suggestions}");
    assert!(!tablet.scrolls_sideways().await);
    tablet.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_a_new_visit_and_feedback_live_without_a_reload() {
    let Some((app, school)) = crate::signin::ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    let college = &school.colleges[0];
    let class = &college.classes[0];
    let counselor = app.signed_in(&class.counselor).await;

    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/campaigns/{campaign}/dashboard"))).await;
    browser.wait_for_text("[data-testid=dash-title]", "2024年寒假家访").await;
    browser.wait_for_text("[data-testid=card-students_reached] strong", "0").await;
    let indicator = browser.wait_for_text("[data-testid=live-indicator]", "实时").await;
    assert!(indicator.contains("更新于") && indicator.contains(':'), "{indicator}");
    // A mark that is gone if the page reloads.
    browser.eval("window.__same_page = true; return true;").await;

    // A visit logged on a tablet elsewhere: on the dashboard within seconds.
    app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let started = std::time::Instant::now();
    browser.wait_for_text("[data-testid=card-students_reached] strong", "1").await;
    let waited = started.elapsed();
    assert!(waited < std::time::Duration::from_secs(8), "the visit took {waited:?} to show");

    // Feedback after a meeting of the campaign: the table by college.
    let (_, families) = held_meeting(&app, &counselor, class.id, Some(campaign)).await;
    give(&app, &families[0], 5, "很好").await;
    let row = browser.wait_for_text(&format!("[data-testid=feedback-college-{}]", college.id), "5.0").await;
    assert!(row.contains(&college.name), "{row}");
    assert_eq!(browser.eval("return window.__same_page === true;").await, true, "no reload");
    let inline = browser.eval("return document.querySelectorAll('[style]').length;").await;
    assert_eq!(inline.as_u64(), Some(0), "no inline style attributes (CSP)");
    assert!(!browser.scrolls_sideways().await);

    // The printable report carries the feedback.
    browser.goto(&app.url(&format!("/campaigns/{campaign}/report"))).await;
    browser.wait_for_text("[data-testid=report-feedback-sentence]", "家长会后共收到家长评价1份，平均5.0分").await;
    browser.wait_for_text("[data-testid=report-suggestions]", "很好").await;
    browser.close().await;
}
