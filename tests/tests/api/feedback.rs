//! Parents' feedback shown to staff (issue 15, item 5): a meeting's ratings and suggestions, the
//! dashboard's feedback by college within the caller's scope, the export's sheet and the report;
//! and the live dashboard's ETag (item 6): it changes after a visit, an answer or feedback —
//! on whichever instance it was written — and answers 304 otherwise.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::header::{ETAG, IF_NONE_MATCH};
use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::dashboard::CampaignSummary;
use shared::feedback::MeetingFeedback;
use shared::meetings::{Attendance, FamilyPage, Meeting};
use tests::meetings::meeting_input;
use tests::visits::{full_visit, setup};
use tests::{error_body, json_of, TestApp};

/// A meeting of `class` in the campaign, held, and one family client per student of the class.
async fn held_meeting(
    app: &TestApp,
    staff: &Client,
    class: shared::ClassId,
    campaign: i64,
) -> (shared::MeetingId, Vec<Client>) {
    let mut input = meeting_input(class, 40, 2);
    input.campaign_id = Some(campaign.into());
    let meeting = app.create_meeting(staff, &input).await;
    let links = app.issue_links(staff, meeting.id).await;
    let mut families = Vec::new();
    for link in &links.families {
        families.push(app.family(link.url.as_deref().expect("a family link")).await.0);
    }
    let _: Meeting =
        json_of(app.post_json(staff, &format!("/api/meetings/{}/held", meeting.id), &()).await, "held").await;
    (meeting.id, families)
}

async fn give(app: &TestApp, family: &Client, rating: i64, suggestions: &str) {
    let body = json!({ "rating": rating, "suggestions": suggestions });
    let _: FamilyPage = json_of(app.post_json(family, "/api/family/feedback", &body).await, "feedback").await;
}

fn summary_of(summary: &CampaignSummary) -> Vec<(i64, i64, i64)> {
    summary.feedback_by_college.iter().map(|c| (c.college_id, c.ratings.responses, c.ratings.rating_sum)).collect()
}

#[tokio::test]
async fn feedback_reaches_the_meeting_page_the_dashboard_the_export_and_the_report_within_scope() {
    let (app, school, campaign) = setup().await;
    let (c1, c2) = (&school.colleges[0], &school.colleges[1]);
    let (a, b, c) = (&c1.classes[0], &c1.classes[1], &c2.classes[0]);
    let counselor_a = app.signed_in(&a.counselor).await;
    let counselor_c = app.signed_in(&c.counselor).await;
    let (meeting_a, families_a) = held_meeting(&app, &counselor_a, a.id, campaign).await;
    let (_, families_c) = held_meeting(&app, &counselor_c, c.id, campaign).await;
    give(&app, &families_a[0], 5, "  希望多讲就业  ").await;
    give(&app, &families_a[1], 3, "").await;
    give(&app, &families_a[2], 4, "时间可以再长一些").await;
    // Given again, the family's rating replaces its last.
    give(&app, &families_a[2], 2, "时间可以再长一些").await;
    give(&app, &families_c[0], 1, "没有听清").await;

    // The meeting page: ratings with each star's count, the suggestions (trimmed, none empty),
    // and nothing about who gave them.
    let path = format!("/api/meetings/{meeting_a}/feedback");
    let response = app.get(&counselor_a, &path).await;
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.unwrap();
    let f: MeetingFeedback = serde_json::from_str(&text).unwrap();
    assert_eq!((f.ratings.responses, f.ratings.rating_sum), (3, 10));
    assert_eq!(f.ratings.stars, vec![0, 1, 1, 0, 1]);
    assert_eq!(f.ratings.average_text(), "3.3");
    let texts: Vec<&str> = f.suggestions.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(texts.contains(&"希望多讲就业") && texts.contains(&"时间可以再长一些"), "{texts:?}");
    assert!(f.suggestions.iter().all(|s| s.date.len() == 10 && s.class == a.name));
    for hidden in ["phone", "guardian", "student"] {
        assert!(!text.contains(hidden), "{hidden} in {text}");
    }
    // Another class's counselor may not read it; the college leader may.
    let counselor_b = app.signed_in(&b.counselor).await;
    assert_eq!(app.get(&counselor_b, &path).await.status(), StatusCode::FORBIDDEN);
    let leader1 = app.signed_in(&c1.leader).await;
    assert_eq!(app.get(&leader1, &path).await.status(), StatusCode::OK);
    let (status, _) = error_body(app.get(&counselor_a, "/api/meetings/999999/feedback").await).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The dashboard: per college, within scope and filters.
    let admin = app.signed_in(&school.admin).await;
    let all = app.summary(&admin, campaign, "").await;
    assert_eq!(summary_of(&all), vec![(c1.id, 3, 10), (c2.id, 1, 1)]);
    assert_eq!(all.feedback_suggestions.len(), 3);
    let only_c2 = app.summary(&admin, campaign, &format!("?college_id={}", c2.id)).await;
    assert_eq!(summary_of(&only_c2), vec![(c2.id, 1, 1)]);
    // Mode and dates filter visits, not feedback.
    let by_mode = app.summary(&admin, campaign, "?mode=cloud&from=2024-01-01").await;
    assert_eq!(summary_of(&by_mode), summary_of(&all));
    let leader = app.summary(&leader1, campaign, "").await;
    assert_eq!(summary_of(&leader), vec![(c1.id, 3, 10)]);
    assert!(leader.feedback_suggestions.iter().all(|s| s.college == c1.name), "{:?}", leader.feedback_suggestions);
    assert_eq!(summary_of(&app.summary(&counselor_a, campaign, "").await), vec![(c1.id, 3, 10)]);
    let other = app.summary(&counselor_b, campaign, "").await;
    assert!(other.feedback_by_college.is_empty() && other.feedback_suggestions.is_empty());
    let leader2 = app.signed_in(&c2.leader).await;
    assert_eq!(summary_of(&app.summary(&leader2, campaign, "").await), vec![(c2.id, 1, 1)]);

    // The export's sheet: a row per college, then every suggestion.
    let response = app.get(&admin, &format!("/api/campaigns/{campaign}/export.xlsx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file");
    let sheet = book.worksheet_range("家长评价").expect("the feedback sheet");
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| if let Data::Empty = c { String::new() } else { c.to_string() }).collect())
        .collect();
    assert_eq!(rows[0][..3], ["学院", "评价数", "平均分"]);
    assert_eq!(rows[1][..3], [c1.name.clone(), "3".into(), "3.3".into()]);
    assert_eq!(rows[2][..3], [c2.name.clone(), "1".into(), "1".into()]);
    let texts: Vec<&str> = rows.iter().skip(5).map(|r| r[4].as_str()).collect();
    assert_eq!(texts.len(), 3, "{rows:?}");
    assert!(texts.contains(&"没有听清"), "{rows:?}");

    // The printed report (`jiafang report --format html`).
    let html = backend::dashboard::report::render(&all, &Default::default());
    assert!(html.contains("家长会后共收到家长评价4份，平均2.8分（满分5分）。"), "{html}");
    assert!(html.contains("希望多讲就业") && html.contains(&c2.name), "{html}");
}

async fn etag(app: &TestApp, client: &Client, path: &str, seen: Option<&str>) -> (StatusCode, String) {
    let mut request = client.get(app.url(path));
    if let Some(seen) = seen {
        request = request.header(IF_NONE_MATCH, seen);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let tag = response.headers().get(ETAG).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = response.bytes().await.unwrap();
    if status == StatusCode::NOT_MODIFIED {
        assert!(body.is_empty(), "a 304 has no body");
    }
    (status, tag)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_summary_etag_changes_after_a_visit_an_answer_or_feedback_on_any_instance_and_304_otherwise() {
    let (one, school, campaign) = setup().await;
    let two = one.spawn_peer().await;
    let (c1, c2) = (&school.colleges[0], &school.colleges[1]);
    let class = &c1.classes[0];
    let admin = one.signed_in(&school.admin).await;
    let counselor = one.signed_in(&class.counselor).await;
    let path = format!("/api/campaigns/{campaign}/summary");

    let (status, tag) = etag(&one, &admin, &path, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(tag.starts_with('"') && tag.len() > 10, "{tag}");
    // Unchanged: 304 from either instance, and again.
    assert_eq!(etag(&one, &admin, &path, Some(&tag)).await, (StatusCode::NOT_MODIFIED, tag.clone()));
    assert_eq!(etag(&two, &admin, &path, Some(&tag)).await, (StatusCode::NOT_MODIFIED, tag.clone()));
    // Other filters or another scope: another tag.
    let (status, filtered) = etag(&one, &admin, &format!("{path}?college_id={}", c1.id), Some(&tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(filtered, tag);
    let (_, counselors) = etag(&one, &counselor, &path, None).await;
    assert_ne!(counselors, tag);
    // Bad filters: 422 as the summary gives them, before any tag.
    let (status, _) = error_body(one.get(&admin, &format!("{path}?from=yesterday")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A visit written on one instance: the other sees a new tag and the new figures.
    let visit = full_visit(campaign, class.students[0].id, class.counselor.id);
    one.log_visit(&counselor, &visit).await;
    let (status, after_visit) = etag(&two, &admin, &path, Some(&tag)).await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(after_visit, tag);
    assert_eq!(one.summary(&admin, campaign, "").await.figures.visits, 1);
    assert_eq!(etag(&one, &admin, &path, Some(&after_visit)).await.0, StatusCode::NOT_MODIFIED);
    // Filtered to the other college, nothing below changes what it shows.
    let (_, other_college) = etag(&one, &admin, &format!("{path}?college_id={}", c2.id), None).await;

    // A family's answer to a meeting of the campaign.
    let mut input = meeting_input(class.id, 40, 2);
    input.campaign_id = Some(campaign.into());
    let meeting = one.create_meeting(&counselor, &input).await;
    let links = one.issue_links(&counselor, meeting.id).await;
    let (family, _) = one.family(links.families[0].url.as_deref().unwrap()).await;
    let (_, before_answer) = etag(&one, &admin, &path, None).await;
    let _: FamilyPage = json_of(two.answer(&family, Attendance::InPerson, 1).await, "answer").await;
    let (status, after_answer) = etag(&one, &admin, &path, Some(&before_answer)).await;
    assert_eq!(status, StatusCode::OK, "an answer changes the sign-ups");
    assert_eq!(etag(&two, &admin, &path, Some(&after_answer)).await.0, StatusCode::NOT_MODIFIED);

    // Feedback after the meeting.
    let _: Meeting =
        json_of(one.post_json(&counselor, &format!("/api/meetings/{}/held", meeting.id), &()).await, "held").await;
    let (_, before_feedback) = etag(&one, &admin, &path, None).await;
    give(&two, &family, 4, "很好").await;
    let (status, after_feedback) = etag(&one, &admin, &path, Some(&before_feedback)).await;
    assert_eq!(status, StatusCode::OK, "feedback shows on the dashboard");
    assert_ne!(after_feedback, before_feedback);
    assert_eq!(one.summary(&admin, campaign, "").await.feedback_by_college[0].ratings.responses, 1);

    // Nothing new: 304 everywhere.
    assert_eq!(etag(&one, &admin, &path, Some(&after_feedback)).await.0, StatusCode::NOT_MODIFIED);
    assert_eq!(etag(&two, &admin, &path, Some(&after_feedback)).await.0, StatusCode::NOT_MODIFIED);
    assert_eq!(
        etag(&two, &admin, &format!("{path}?college_id={}", c2.id), Some(&other_college)).await.0,
        StatusCode::NOT_MODIFIED
    );
    two.stop().await;
}
