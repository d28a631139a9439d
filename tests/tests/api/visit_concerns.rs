//! Concerns into visits and the answer back to the parent (issue 15, items 1 and 2): a campaign's
//! open concerns on the plan, sensitive ones only within the caller's own scope, a visit that
//! addresses them with a reply, the parent's page showing that reply and nothing of the visit's
//! notes, and the offline sync storing it once.

use reqwest::StatusCode;
use shared::concerns::OpenConcern;
use shared::meetings::Topic;
use shared::visits::{PlanStudent, SyncRequest, SyncResponse, SyncStatus};
use tests::concerns::{addressing, ACADEMIC, REPLY, SENSITIVE};
use tests::visits::{full_visit, setup};
use tests::{error_body, json_of, TestApp};

async fn open_concerns(app: &TestApp, client: &reqwest::Client, campaign: i64) -> Vec<OpenConcern> {
    app.get_json(client, &format!("/api/visits/concerns?campaign_id={campaign}")).await
}

async fn with_concerns(app: &TestApp, client: &reqwest::Client, campaign: i64) -> Vec<shared::StudentId> {
    let path = format!("/api/visits/students?campaign_id={campaign}&has_concerns=true");
    app.get_json::<Vec<PlanStudent>>(client, &path).await.iter().map(|s| s.id).collect()
}

#[tokio::test]
async fn the_campaigns_open_concerns_show_on_the_plan_and_sensitive_ones_only_within_the_callers_scope() {
    let (app, school, campaign) = setup().await;
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    // The same family at a meeting of no campaign, and another campaign: neither belongs here.
    let elsewhere = app.raise_concerns(&school, None).await;
    let other_campaign = app.add_campaign("2024年暑假家访").await;
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;

    let open = open_concerns(&app, &counselor, campaign).await;
    let topics: Vec<(i64, Topic, &str)> = open.iter().map(|c| (c.id.get(), c.topic, c.text.as_str())).collect();
    assert_eq!(
        topics,
        [(raised.academic, Topic::Academic, ACADEMIC), (raised.sensitive, Topic::MentalHealth, SENSITIVE)]
    );
    assert!(open.iter().all(|c| c.student_id == raised.student && c.meeting_id == raised.meeting));
    assert!(!open.iter().any(|c| c.id.get() == elsewhere.academic));
    assert_eq!(open[1].aspect(), shared::Aspect::MentalHealth, "the map of topics to aspects");
    let one: Vec<OpenConcern> = app
        .get_json(&counselor, &format!("/api/visits/concerns?campaign_id={campaign}&student_id={}", raised.student))
        .await;
    assert_eq!(one, open);
    assert_eq!(with_concerns(&app, &counselor, campaign).await, [raised.student]);
    assert!(open_concerns(&app, &counselor, other_campaign).await.is_empty(), "this campaign's only");
    assert!(with_concerns(&app, &counselor, other_campaign).await.is_empty(), "not any concern ever");
    let audited =
        app.query_i64("SELECT COUNT(*) FROM audit_log WHERE fields = 'meeting_concern' AND action = 'read'").await;
    assert!(audited >= 2, "reading a sensitive concern is audited: {audited}");

    // A team leader from another college reaches the student through the campaign's team, but
    // not their mental health.
    let (_, leader) = app.team_leader(&school, campaign).await;
    let seen: Vec<i64> = open_concerns(&app, &leader, campaign).await.iter().map(|c| c.id.get()).collect();
    assert_eq!(seen, [raised.academic]);
    assert_eq!(with_concerns(&app, &leader, campaign).await, [raised.student]);
    let other_counselor = app.signed_in(&school.colleges[0].classes[1].counselor).await;
    assert!(open_concerns(&app, &other_counselor, campaign).await.is_empty(), "another class's counselor");

    // Unknown campaign: 404; bad query: 422.
    let missing = app.get(&counselor, "/api/visits/concerns?campaign_id=999999").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let bad = app.get(&counselor, "/api/visits/concerns?campaign_id=x").await;
    assert_eq!(error_body(bad).await.0, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_visit_addresses_concerns_with_a_reply_and_the_parent_reads_it_without_the_visits_notes() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    let counselor = app.signed_in(&class.counselor).await;

    // Refused: a concern of another student, a reply over 200 characters.
    let other_student = class.students.iter().map(|s| s.id).find(|s| *s != raised.student).unwrap();
    let wrong = addressing(full_visit(campaign, other_student, class.counselor.id), &[(raised.academic, "")]);
    let (status, error) = error_body(app.post_json(&counselor, "/api/visits", &wrong).await).await;
    assert_eq!((status, error.fields.contains_key("addressed")), (StatusCode::UNPROCESSABLE_ENTITY, true));
    let long = "长".repeat(201);
    let wordy = addressing(full_visit(campaign, raised.student, class.counselor.id), &[(raised.academic, &long)]);
    let (status, error) = error_body(app.post_json(&counselor, "/api/visits", &wordy).await).await;
    assert_eq!((status, error.fields.contains_key("addressed.0.reply")), (StatusCode::UNPROCESSABLE_ENTITY, true));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM meeting_concerns WHERE visit_id IS NOT NULL").await, 0);

    let visit = addressing(
        full_visit(campaign, raised.student, class.counselor.id),
        &[(raised.academic, REPLY), (raised.sensitive, "")],
    );
    let stored = app.log_visit(&counselor, &visit).await;
    let (visit_id, reply): (Option<shared::VisitId>, Option<String>) =
        sqlx::query_as("SELECT visit_id, reply FROM meeting_concerns WHERE id = $1")
            .bind(raised.academic)
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!((visit_id, reply.as_deref()), (Some(stored.id), Some(REPLY)));
    assert!(open_concerns(&app, &counselor, campaign).await.is_empty(), "addressed: no longer open");
    assert!(with_concerns(&app, &counselor, campaign).await.is_empty(), "has_concerns means open ones");
    let audited =
        app.query_i64("SELECT COUNT(*) FROM audit_log WHERE fields = 'meeting_concern' AND action = 'update'").await;
    assert_eq!(audited, 1, "answering a sensitive concern is audited");

    // The parent's page: discussed, with the reply; the visit's notes never.
    let page = app.family_page(&raised.family).await;
    let shown: Vec<(i64, bool, Option<&str>)> =
        page.concerns.iter().map(|c| (c.id, c.addressed, c.reply.as_deref())).collect();
    assert_eq!(shown, [(raised.academic, true, Some(REPLY)), (raised.sensitive, true, None)]);
    let raw = app.get(&raised.family, "/api/family/me").await.text().await.unwrap();
    for secret in [&visit.record.notes, visit.record.sensitive_notes.as_ref().unwrap(), &visit.record.answers] {
        assert!(!raw.contains(secret.as_str()), "{secret} on the parent's page");
    }
    // It stays, as the visit's record.
    let path = format!("/api/family/concerns/{}", raised.academic);
    let removed = app.send_json(&raised.family, "DELETE", &path, &serde_json::json!(null)).await;
    assert_eq!(error_body(removed).await.0, StatusCode::CONFLICT);

    // A later visit addressing it again keeps the first reply.
    let again =
        addressing(full_visit(campaign, raised.student, class.counselor.id), &[(raised.academic, "另一次答复")]);
    app.log_visit(&counselor, &again).await;
    let page = app.family_page(&raised.family).await;
    assert_eq!(page.concerns[0].reply.as_deref(), Some(REPLY));
}

#[tokio::test]
async fn a_team_leader_cannot_address_a_sensitive_concern_they_may_not_see() {
    let (app, school, campaign) = setup().await;
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    let (leader, client) = app.team_leader(&school, campaign).await;
    let visit = addressing(full_visit(campaign, raised.student, leader.id), &[(raised.sensitive, "")]);
    let (status, error) = error_body(app.post_json(&client, "/api/visits", &visit).await).await;
    assert_eq!((status, error.fields.contains_key("addressed")), (StatusCode::UNPROCESSABLE_ENTITY, true));
    let visit = addressing(full_visit(campaign, raised.student, leader.id), &[(raised.academic, REPLY)]);
    app.log_visit(&client, &visit).await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM meeting_concerns WHERE visit_id IS NOT NULL").await, 1);
}

#[tokio::test]
async fn a_visit_logged_offline_that_addresses_concerns_is_stored_once() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    let counselor = app.signed_in(&class.counselor).await;
    let visit = addressing(
        full_visit(campaign, raised.student, class.counselor.id),
        &[(raised.academic, REPLY), (raised.sensitive, "会持续关注")],
    );
    let sync = |visits| {
        let (app, counselor) = (&app, &counselor);
        async move {
            let response = app.post_json(counselor, "/api/visits/sync", &SyncRequest { visits }).await;
            json_of::<SyncResponse>(response, "sync").await
        }
    };
    // The batch reached the server but the answer was lost: sent again, twice in one batch.
    let first = sync(vec![visit.clone()]).await;
    assert_eq!(first.results[0].status, SyncStatus::Stored);
    let again = sync(vec![visit.clone(), visit.clone()]).await;
    assert!(again.results.iter().all(|r| r.status == SyncStatus::Duplicate && r.visit_id == first.results[0].visit_id));
    assert_eq!(app.visits_with_client_id(&visit.client_id).await, 1);
    let marked: Vec<(i64, Option<shared::VisitId>, Option<String>)> =
        sqlx::query_as("SELECT id, visit_id, reply FROM meeting_concerns WHERE student_id = $1 ORDER BY id")
            .bind(raised.student)
            .fetch_all(&app.db.read)
            .await
            .unwrap();
    let id = first.results[0].visit_id;
    assert_eq!(
        marked,
        [(raised.academic, id, Some(REPLY.to_string())), (raised.sensitive, id, Some("会持续关注".to_string()))]
    );
    let audited =
        app.query_i64("SELECT COUNT(*) FROM audit_log WHERE fields = 'meeting_concern' AND action = 'update'").await;
    assert_eq!(audited, 1, "one write, one audit entry");
    let page = app.family_page(&raised.family).await;
    assert!(page.concerns.iter().all(|c| c.addressed));
}
