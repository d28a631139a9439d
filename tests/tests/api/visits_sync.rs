//! The offline sync: a visit reaches the server exactly once, however often it is sent and
//! however a batch is cut off.

use shared::visits::{SyncRequest, SyncResponse, SyncStatus, Visit};
use tests::json_of;
use tests::visits::{full_visit, setup};

async fn sync(app: &tests::TestApp, client: &reqwest::Client, visits: Vec<shared::visits::NewVisit>) -> SyncResponse {
    json_of(app.post_json(client, "/api/visits/sync", &SyncRequest { visits }).await, "sync").await
}

fn statuses(response: &SyncResponse) -> Vec<SyncStatus> {
    response.results.iter().map(|r| r.status).collect()
}

#[tokio::test]
async fn the_same_visit_sent_twice_is_stored_once() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = full_visit(campaign, class.students[0].id, class.counselor.id);

    let first = app.log_visit(&counselor, &visit).await;
    let second = app.log_visit(&counselor, &visit).await;
    assert_eq!(first.id, second.id);
    let response = sync(&app, &counselor, vec![visit.clone(), visit.clone()]).await;
    assert_eq!(statuses(&response), [SyncStatus::Duplicate, SyncStatus::Duplicate]);
    assert_eq!(response.results[0].visit_id, Some(first.id));
    // A double tap: the same visit at once from several requests.
    let mut tasks = Vec::new();
    let again = full_visit(campaign, class.students[1].id, class.counselor.id);
    for _ in 0..5 {
        let (app_url, client, body) = (app.url("/api/visits"), counselor.clone(), again.clone());
        tasks.push(tokio::spawn(async move { client.post(app_url).json(&body).send().await.unwrap().status() }));
    }
    for task in tasks {
        assert!(task.await.unwrap().is_success());
    }
    assert_eq!(app.visits_with_client_id(&visit.client_id).await, 1);
    assert_eq!(app.visits_with_client_id(&again.client_id).await, 1);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM follow_ups").await, 2, "follow-ups are not repeated either");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visit_revisions").await, 2);
}

#[tokio::test]
async fn an_interrupted_batch_sent_again_stores_each_visit_once() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let batch: Vec<_> = class.students.iter().map(|s| full_visit(campaign, s.id, class.counselor.id)).collect();

    // The connection dropped after the server stored the first two; the tablet never heard.
    let cut = sync(&app, &counselor, batch[..2].to_vec()).await;
    assert_eq!(statuses(&cut), [SyncStatus::Stored, SyncStatus::Stored]);
    let retry = sync(&app, &counselor, batch.clone()).await;
    assert_eq!(statuses(&retry), [SyncStatus::Duplicate, SyncStatus::Duplicate, SyncStatus::Stored]);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 3);
    let retry = sync(&app, &counselor, batch.clone()).await;
    assert_eq!(statuses(&retry), [SyncStatus::Duplicate; 3]);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 3);
}

#[tokio::test]
async fn a_used_client_id_with_other_content_is_a_conflict_and_bad_items_are_refused_alone() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let counselor = app.signed_in(&mine.counselor).await;
    let visit = full_visit(campaign, mine.students[0].id, mine.counselor.id);
    let stored = app.log_visit(&counselor, &visit).await;

    let mut changed = visit.clone();
    changed.record.notes = "改过的".into();
    let not_mine = full_visit(campaign, theirs.students[0].id, mine.counselor.id);
    let mut invalid = full_visit(campaign, mine.students[1].id, mine.counselor.id);
    invalid.record.date = "2024-13-45".into();
    let fine = full_visit(campaign, mine.students[2].id, mine.counselor.id);
    let response = sync(&app, &counselor, vec![changed, not_mine, invalid, fine]).await;
    assert_eq!(
        statuses(&response),
        [SyncStatus::Conflict, SyncStatus::Rejected, SyncStatus::Rejected, SyncStatus::Stored]
    );
    assert_eq!(response.results[0].visit_id, Some(stored.id));
    assert!(response.results[2].message.as_deref().unwrap_or("").contains("date"), "{response:?}");
    let now: Visit = app.get_json(&counselor, &format!("/api/visits/{}", stored.id)).await;
    assert_eq!(now.record.notes, "家庭和睦", "a conflict changes nothing");
    // Someone else sending my client_id learns nothing about my visit.
    let other = app.signed_in(&theirs.counselor).await;
    let mut theft = full_visit(campaign, theirs.students[0].id, theirs.counselor.id);
    theft.client_id = visit.client_id.clone();
    let response = sync(&app, &other, vec![theft]).await;
    assert_eq!((response.results[0].status, response.results[0].visit_id), (SyncStatus::Conflict, None));
}

#[tokio::test]
async fn a_visit_synced_into_a_closed_campaign_comes_back_refused_with_the_reason() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let before = full_visit(campaign, class.students[0].id, class.counselor.id);
    assert_eq!(statuses(&sync(&app, &counselor, vec![before.clone()]).await), [SyncStatus::Stored]);
    // Logged on the tablet while the campaign was open; the network came back after it closed.
    app.close_campaign(campaign).await;
    let late = full_visit(campaign, class.students[1].id, class.counselor.id);
    let response = sync(&app, &counselor, vec![before, late.clone()]).await;
    // One stored before the closing, sent again (its answer was lost), is still recognised.
    assert_eq!(statuses(&response), [SyncStatus::Duplicate, SyncStatus::Rejected], "{response:?}");
    assert!(response.results[0].visit_id.is_some());
    let refused = &response.results[1];
    assert_eq!(
        (refused.client_id.as_str(), refused.code.as_deref()),
        (late.client_id.as_str(), Some("campaign_closed"))
    );
    let message = refused.message.as_deref().unwrap_or("");
    assert!(message.contains("该活动已结束"), "the reason, in the user's language: {response:?}");
    assert_eq!(app.visits_with_client_id(&late.client_id).await, 0);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1);
}

#[tokio::test]
async fn a_synced_visit_with_a_member_who_may_not_see_the_student_is_refused_alone() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let counselor = app.signed_in(&mine.counselor).await;
    let mut outsider = full_visit(campaign, mine.students[0].id, mine.counselor.id);
    outsider.record.member_ids = vec![school.colleges[1].leader.id];
    let mut colleague = full_visit(campaign, mine.students[1].id, mine.counselor.id);
    colleague.record.member_ids = vec![school.colleges[0].advisor.id];
    let mut not_in_scope = full_visit(campaign, mine.students[2].id, mine.counselor.id);
    not_in_scope.record.member_ids = vec![theirs.counselor.id];
    let response = sync(&app, &counselor, vec![outsider, colleague, not_in_scope]).await;
    assert_eq!(statuses(&response), [SyncStatus::Rejected, SyncStatus::Stored, SyncStatus::Rejected]);
    for refused in [&response.results[0], &response.results[2]] {
        assert_eq!(refused.code.as_deref(), Some("validation"));
        assert!(refused.message.as_deref().unwrap_or("").starts_with("member_ids:"), "{response:?}");
    }
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visit_members").await, 1);
}
