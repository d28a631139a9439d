//! Privacy (issue 19, items 1 and 2): the notice's school details that admins set, and the
//! separate consent (PIPL art. 29) a parent gives before sending a concern on mental health or
//! family finances — recorded with its time and the notice's version; withdrawn, it hides the
//! concerns sent under it from staff everywhere they read concerns.

use reqwest::{Client, StatusCode};
use shared::concerns::OpenConcern;
use shared::history::StudentHistory;
use shared::meetings::{ConcernGroup, ConcernInput, FamilyPage, Topic};
use shared::privacy::{ConsentInput, PrivacyNotice, PrivacySettings, NOTICE_VERSION};
use tests::concerns::SENSITIVE;
use tests::visits::setup;
use tests::{error_body, json_of, TestApp};

/// The concern ids each place staff read concerns shows the counselor: the campaign's open
/// concerns (plans and the visit form), the meeting's concern list, the student's history.
async fn seen_by_staff(
    app: &TestApp,
    staff: &Client,
    campaign: i64,
    meeting: shared::MeetingId,
    student: shared::StudentId,
) -> [Vec<i64>; 3] {
    let open: Vec<OpenConcern> = app.get_json(staff, &format!("/api/visits/concerns?campaign_id={campaign}")).await;
    let groups: Vec<ConcernGroup> = app.get_json(staff, &format!("/api/meetings/{meeting}/concerns")).await;
    let history: StudentHistory = app.get_json(staff, &format!("/api/students/{student}/history")).await;
    let mut at_meeting: Vec<i64> = groups.iter().flat_map(|g| g.concerns.iter().map(|c| c.id)).collect();
    at_meeting.sort();
    let mut in_history: Vec<i64> = history.concerns.iter().map(|c| c.id.get()).collect();
    in_history.sort();
    [open.iter().map(|c| c.id.get()).collect(), at_meeting, in_history]
}

async fn add_concern(app: &TestApp, family: &Client, topic: Topic, text: &str) -> reqwest::Response {
    app.post_json(family, "/api/family/concerns", &ConcernInput { topic, text: text.into() }).await
}

#[tokio::test]
async fn a_sensitive_concern_needs_the_separate_consent_recorded_with_its_time_and_the_notices_version() {
    let (app, school, campaign) = setup().await;
    let family = app.meeting_family(&school, Some(campaign)).await;
    let notice: PrivacyNotice = app.get_json(&family.family, "/api/family/privacy").await;
    assert_eq!((notice.notice_version, notice.consent.clone()), (NOTICE_VERSION, None));

    // Without the consent: refused, with the reason on the topic, in the parent's language.
    for topic in [Topic::MentalHealth, Topic::FamilyFinances] {
        let (status, error) = error_body(add_concern(&app, &family.family, topic, SENSITIVE).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error.fields.contains_key("topic"), "{error:?}");
    }
    // Other topics need none.
    assert_eq!(add_concern(&app, &family.family, Topic::Academic, "想了解转专业").await.status(), StatusCode::OK);
    // A consent given under an older notice is refused.
    let stale = ConsentInput { notice_version: NOTICE_VERSION - 1 };
    let (status, error) = error_body(app.post_json(&family.family, "/api/family/consent", &stale).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("notice_version"), "{error:?}");

    let before = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let given = app.consent(&family.family).await;
    let consent = given.consent.expect("the consent in force");
    assert_eq!(consent.notice_version, NOTICE_VERSION);
    assert!(consent.given_at >= before - 1, "given now: {}", consent.given_at);
    // Agreeing again records nothing new.
    assert_eq!(app.consent(&family.family).await.consent, Some(consent.clone()));
    let rows = app.query_i64("SELECT COUNT(*) FROM sensitive_consents").await;
    assert_eq!(rows, 1);

    let page: FamilyPage =
        json_of(add_concern(&app, &family.family, Topic::MentalHealth, SENSITIVE).await, "sent").await;
    let sent = page.concerns.last().expect("the concern").id;
    let under = app.query_i64(&format!("SELECT consent_id FROM meeting_concerns WHERE id = {sent}")).await;
    let consent_id = app.query_i64("SELECT id FROM sensitive_consents").await;
    assert_eq!(under, consent_id, "the concern keeps the consent it was sent under");
    let version = app.query_i64("SELECT notice_version FROM sensitive_consents").await;
    assert_eq!(version, NOTICE_VERSION);
}

#[tokio::test]
async fn withdrawing_the_consent_hides_its_concerns_from_staff_from_then_on() {
    let (app, school, campaign) = setup().await;
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    let both = vec![raised.academic, raised.sensitive];
    let seen = seen_by_staff(&app, &counselor, campaign, raised.meeting, raised.student).await;
    assert_eq!(seen, [both.clone(), both.clone(), both.clone()], "before: the counselor sees both");

    let withdrawn: PrivacyNotice =
        json_of(raised.family.delete(app.url("/api/family/consent")).send().await.unwrap(), "withdrawn").await;
    assert_eq!(withdrawn.consent, None);
    let at = app.query_i64("SELECT COUNT(*) FROM sensitive_consents WHERE withdrawn_at IS NOT NULL").await;
    assert_eq!(at, 1, "the withdrawal is recorded, the consent's record kept");

    let academic = vec![raised.academic];
    let seen = seen_by_staff(&app, &counselor, campaign, raised.meeting, raised.student).await;
    assert_eq!(seen, [academic.clone(), academic.clone(), academic.clone()], "after: staff no longer see it");
    let listed = format!("/api/visits/students?campaign_id={campaign}&has_concerns=true");
    let admin = app.signed_in(&school.admin).await;
    let seen = seen_by_staff(&app, &admin, campaign, raised.meeting, raised.student).await;
    assert_eq!(seen, [academic.clone(), academic.clone(), academic.clone()], "nor does an admin");
    assert_eq!(
        app.get_json::<Vec<shared::visits::PlanStudent>>(&counselor, &listed).await.len(),
        1,
        "academic still open"
    );

    // The family still sees its own concern, and may remove it.
    let page: FamilyPage = app.get_json(&raised.family, "/api/family/me").await;
    assert!(page.concerns.iter().any(|c| c.id == raised.sensitive));
    // A new sensitive concern needs a new consent; the old one stays hidden under the withdrawn one.
    let (status, _) = error_body(add_concern(&app, &raised.family, Topic::FamilyFinances, "学费").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    app.consent(&raised.family).await;
    let page: FamilyPage =
        json_of(add_concern(&app, &raised.family, Topic::FamilyFinances, "学费").await, "sent again").await;
    let new = page.concerns.last().unwrap().id;
    let seen = seen_by_staff(&app, &counselor, campaign, raised.meeting, raised.student).await;
    let now_seen = vec![raised.academic, new];
    assert_eq!(seen, [now_seen.clone(), now_seen.clone(), now_seen.clone()]);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM sensitive_consents").await, 2, "a new record");
}

#[tokio::test]
async fn admins_set_the_school_and_contact_the_notice_names() {
    let (app, school, campaign) = setup().await;
    let family = app.meeting_family(&school, Some(campaign)).await;
    let notice: PrivacyNotice = app.get_json(&family.family, "/api/family/privacy").await;
    assert_eq!((notice.school_name.as_str(), notice.contact.as_str()), ("", ""), "none until an admin saves them");

    let admin = app.signed_in(&school.admin).await;
    let settings =
        PrivacySettings { school_name: " 某某大学 ".into(), contact: "学生工作处 024-12345678".into() };
    let saved: PrivacySettings = json_of(app.put_json(&admin, "/api/settings/privacy", &settings).await, "saved").await;
    assert_eq!(saved.school_name, "某某大学", "trimmed");
    assert_eq!(app.get_json::<PrivacySettings>(&admin, "/api/settings/privacy").await, saved);
    let notice: PrivacyNotice = app.get_json(&family.family, "/api/family/privacy").await;
    assert_eq!((notice.school_name, notice.contact), (saved.school_name.clone(), saved.contact.clone()));

    let long = PrivacySettings { school_name: "校".repeat(201), contact: "办".repeat(201) };
    let (status, error) = error_body(app.put_json(&admin, "/api/settings/privacy", &long).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("school_name") && error.fields.contains_key("contact"), "{error:?}");
    // A NUL, which PostgreSQL refuses to store, is the admin's mistake to mend, not a 500.
    let control = PrivacySettings { school_name: "某某大学".into(), contact: "a\u{0}b".into() };
    let (status, error) = error_body(app.put_json(&admin, "/api/settings/privacy", &control).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields["contact"].contains("控制字符"), "{error:?}");
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    let response = app.put_json(&counselor, "/api/settings/privacy", &settings).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
