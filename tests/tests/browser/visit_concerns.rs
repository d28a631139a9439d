//! Concerns into visits in a real browser (issue 15): the counselor sees a family's concerns from
//! the campaign's parents' meeting under the student, on the plan and in the visit form (their
//! aspects checked), marks one addressed with a reply; the parent's phone then shows "已在家访中沟通"
//! with that reply.

use tests::browser::Browser;
use tests::concerns::{ACADEMIC, REPLY, SENSITIVE};
use tests::meetings::token_of;
use tests::visits::setup;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_answers_a_concern_in_the_visit_and_the_parent_reads_the_reply() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    let browser = Browser::start(1024, 768).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;

    // Under the student of the plan form, then on the plan.
    browser.goto(&app.url(&format!("/visits/{campaign}"))).await;
    let row = browser.wait_for_text("[data-testid=student-row]", ACADEMIC).await;
    assert!(row.contains(SENSITIVE) && row.contains("心理健康"), "their counselor sees the sensitive one: {row}");
    browser.click("[data-testid=filter-concerns]").await;
    browser.wait_for_text("[data-testid=students]", ACADEMIC).await;
    let shown = browser.eval("return document.querySelectorAll('[data-testid=student-row]').length;").await;
    assert_eq!(shown.as_i64(), Some(1), "only the student with open concerns");
    browser.click(&format!("[data-testid=pick-{}]", raised.student)).await;
    browser.click("[data-testid=plan-submit]").await;
    browser.wait_for_text("[data-testid=plan-row]", ACADEMIC).await;
    assert!(!browser.scrolls_sideways().await, "the campaign page fits 1024 px");

    // The visit form from the plan: the concerns listed, their aspects checked.
    browser.click("[data-testid=plan-log]").await;
    browser.wait_for_text("[data-testid=visit-open-concerns]", ACADEMIC).await;
    browser.wait_for_text("[data-testid=visit-open-concerns]", SENSITIVE).await;
    for aspect in ["academic", "mental_health"] {
        let pressed = browser
            .eval(&format!(
                "return document.querySelector('[data-testid=aspect-{aspect}]').getAttribute('aria-pressed');"
            ))
            .await;
        assert_eq!(pressed.as_str(), Some("true"), "{aspect} pre-checked");
    }
    browser.click(&format!("[data-testid=addressed-{}]", raised.academic)).await;
    browser.fill(&format!("[data-testid=reply-{}]", raised.academic), REPLY).await;
    browser.fill("[data-testid=visit-notes]", "家长很支持孩子转专业").await;
    assert!(!browser.scrolls_sideways().await, "the visit form fits 1024 px");
    browser.click("[data-testid=save-visit]").await;
    browser.wait_for_text("[data-testid=visit-row]", "").await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;

    let addressed: Vec<(i64, Option<String>)> =
        sqlx::query_as("SELECT id, reply FROM meeting_concerns WHERE visit_id IS NOT NULL")
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    assert_eq!(addressed, [(raised.academic, Some(REPLY.to_string()))]);
    let aspects: String = sqlx::query_scalar("SELECT aspects FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(aspects, "academic,mental_health");
    // The answered one leaves the plan once the list is read again; the other stays open.
    let plan = browser.wait_for_text_without("[data-testid=plan-row]", SENSITIVE, ACADEMIC).await;
    assert!(!plan.contains(ACADEMIC), "{plan}");
    browser.close().await;

    // The parent's phone.
    let phone = Browser::start(390, 844).await;
    phone.goto(&app.url(&format!("/f#t={}", token_of(&raised.url)))).await;
    phone.wait_for_text("[data-testid=concern-addressed]", "已在家访中沟通").await;
    let mine = phone.wait_for_text("[data-testid=my-concerns]", REPLY).await;
    assert!(mine.contains(ACADEMIC) && !mine.contains("家长很支持孩子转专业"), "the reply, not the notes: {mine}");
    let answered =
        phone.eval("return document.querySelectorAll('[data-testid=concern-addressed]:not([hidden])').length;").await;
    assert_eq!(answered.as_i64(), Some(1), "only the concern the visit addressed");
    assert!(!phone.scrolls_sideways().await, "the parent's page fits 390 px");
    phone.close().await;
}
