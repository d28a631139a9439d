//! The offline sync: a visit reaches the server exactly once, however often it is sent and
//! however a batch is cut off.

use reqwest::StatusCode;
use shared::sync::{chunks, request_bytes, CHUNK_BYTES, CHUNK_VISITS};
use shared::visits::{SyncRequest, SyncResponse, SyncStatus, Visit};
use tests::visits::{full_visit, longest_notes, setup};
use tests::{error_body, json_of};

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

#[tokio::test]
async fn a_tablets_chunk_of_visits_with_the_longest_notes_over_256_kib_is_accepted() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let queue: Vec<_> =
        (0..20).map(|i| longest_notes(full_visit(campaign, class.students[i % 3].id, class.counselor.id))).collect();
    // The first request the tablet would send for this queue.
    let sizes: Vec<usize> = queue.iter().map(|v| serde_json::to_string(v).unwrap().len()).collect();
    let first = chunks(&sizes, CHUNK_BYTES, CHUNK_VISITS)[0].clone();
    let bytes = request_bytes(&sizes[first.clone()]);
    assert!(bytes > 256 * 1024 && bytes > app.config.max_body_bytes, "{bytes} bytes in {first:?}");

    let response = sync(&app, &counselor, queue[first.clone()].to_vec()).await;
    assert_eq!(statuses(&response), vec![SyncStatus::Stored; first.len()]);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, first.len() as i64);
    let stored: Visit =
        app.get_json(&counselor, &format!("/api/visits/{}", response.results[0].visit_id.unwrap())).await;
    assert_eq!(stored.record.notes.chars().count(), 5000, "kept whole");
}

#[tokio::test]
async fn a_sync_body_over_the_sync_limit_is_refused_with_413_in_the_error_shape() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let limit = app.config.max_sync_body_bytes;
    assert_eq!(limit, shared::sync::SYNC_BODY_BYTES);
    // A request whose visit is padded to one byte over the limit.
    let mut visit = full_visit(campaign, class.students[0].id, class.counselor.id);
    let body =
        |visit: &shared::visits::NewVisit| serde_json::to_string(&SyncRequest { visits: vec![visit.clone()] }).unwrap();
    visit.record.gifts.clear();
    let pad = limit + 1 - body(&visit).len();
    visit.record.gifts = "x".repeat(pad);
    assert_eq!(body(&visit).len(), limit + 1);
    let send = |text: String| {
        counselor.post(app.url("/api/visits/sync")).header("content-type", "application/json").body(text).send()
    };
    let (status, error) = error_body(send(body(&visit)).await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"));
    assert!(!error.message.is_empty());
    // One byte less is read (and the visit refused alone, for its gifts' length).
    visit.record.gifts.pop();
    let response: SyncResponse = json_of(send(body(&visit)).await.unwrap(), "sync at the limit").await;
    assert_eq!(statuses(&response), [SyncStatus::Rejected]);
    assert_eq!(response.results[0].code.as_deref(), Some("validation"));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);
}
