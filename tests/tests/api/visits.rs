//! Home visits over the API: the round trip, who may see and correct which visits, the
//! history of corrections and stale edits.

use reqwest::StatusCode;
use shared::visits::{FollowUp, Visit, VisitConflict, VisitEdit, VisitRevision, VisitSummary};
use shared::Aspect;
use tests::visits::{full_visit, setup};
use tests::{error_body, json_of};

#[tokio::test]
async fn a_visit_round_trip_keeps_every_field() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let mut sent = full_visit(campaign, class.students[0].id, class.counselor.id);
    sent.record.member_ids = vec![school.colleges[0].advisor.id];

    let visit = app.log_visit(&counselor, &sent).await;
    assert_eq!((visit.revision, visit.author.id, visit.student_id), (1, class.counselor.id, class.students[0].id));
    assert!(visit.sensitive_visible);
    // Stored in the school's order of the eight aspects, whatever the order sent.
    let mut expected = sent.record.clone();
    expected.aspects = vec![Aspect::Academic, Aspect::MentalHealth];
    expected.member_ids = vec![school.colleges[0].advisor.id];
    assert_eq!(visit.record, expected);
    assert_eq!(visit.members.iter().map(|m| m.id).collect::<Vec<_>>(), [school.colleges[0].advisor.id]);
    assert_eq!(visit.follow_ups.len(), 1);

    let again: Visit = app.get_json(&counselor, &format!("/api/visits/{}", visit.id)).await;
    assert_eq!(again, visit);
    let list: Vec<VisitSummary> = app.get_json(&counselor, &format!("/api/visits?campaign_id={campaign}")).await;
    assert_eq!(list.iter().map(|v| v.id).collect::<Vec<_>>(), [visit.id]);
    let follow_ups: Vec<FollowUp> = app.get_json(&counselor, "/api/follow-ups").await;
    assert_eq!(
        follow_ups.iter().map(|f| (f.visit_id, f.what.as_str())).collect::<Vec<_>>(),
        [(visit.id, "联系学业导师")]
    );
    assert!(follow_ups[0].overdue, "due 2024-02-20, long past");
    let audited =
        app.query_i64("SELECT COUNT(*) FROM audit_log WHERE fields = 'sensitive_notes' AND action = 'read'").await;
    assert!(audited >= 2, "each read of the sensitive notes is audited: {audited}");
    let stored_grant = app.query_i64("SELECT grant_fen FROM visits").await;
    assert_eq!(stored_grant, 50_000, "grants are stored in fen");
}

#[tokio::test]
async fn a_counselor_cannot_see_or_change_another_counselors_visits() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let me = app.signed_in(&mine.counselor).await;
    let other = app.signed_in(&theirs.counselor).await;
    let visit = app.log_visit(&me, &full_visit(campaign, mine.students[0].id, mine.counselor.id)).await;

    app.get_error(&other, &format!("/api/visits/{}", visit.id), StatusCode::FORBIDDEN, "forbidden").await;
    app.get_error(&other, &format!("/api/visits/{}/revisions", visit.id), StatusCode::FORBIDDEN, "forbidden").await;
    let list: Vec<VisitSummary> = app.get_json(&other, "/api/visits").await;
    assert!(list.is_empty(), "{list:?}");
    let edit = VisitEdit { base_revision: 1, record: visit.record.clone() };
    let response = app.put_json(&other, &format!("/api/visits/{}", visit.id), &edit).await;
    assert_eq!(error_body(response).await.0, StatusCode::FORBIDDEN);
    // Nor log one for my student.
    let response =
        app.post_json(&other, "/api/visits", &full_visit(campaign, mine.students[1].id, theirs.counselor.id)).await;
    assert_eq!(error_body(response).await.0, StatusCode::FORBIDDEN);
    let anonymous = app.client();
    app.get_error(&anonymous, &format!("/api/visits/{}", visit.id), StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn a_class_advisor_sees_only_their_class() {
    let (app, school, campaign) = setup().await;
    let college = &school.colleges[0];
    let [advised, other] = &college.classes;
    let c1 = app.signed_in(&advised.counselor).await;
    let c2 = app.signed_in(&other.counselor).await;
    let in_class = app.log_visit(&c1, &full_visit(campaign, advised.students[0].id, advised.counselor.id)).await;
    let outside = app.log_visit(&c2, &full_visit(campaign, other.students[0].id, other.counselor.id)).await;

    let advisor = app.signed_in(&college.advisor).await;
    let seen: Visit = app.get_json(&advisor, &format!("/api/visits/{}", in_class.id)).await;
    assert!(seen.sensitive_visible && seen.record.sensitive_notes.is_some());
    app.get_error(&advisor, &format!("/api/visits/{}", outside.id), StatusCode::FORBIDDEN, "forbidden").await;
    let list: Vec<VisitSummary> = app.get_json(&advisor, "/api/visits").await;
    assert_eq!(list.iter().map(|v| v.id).collect::<Vec<_>>(), [in_class.id]);
    // The college leader sees both, and may not correct what they did not write.
    let leader = app.signed_in(&college.leader).await;
    let list: Vec<VisitSummary> = app.get_json(&leader, "/api/visits").await;
    assert_eq!(list.len(), 2);
    let edit = VisitEdit { base_revision: 1, record: in_class.record.clone() };
    let response = app.put_json(&leader, &format!("/api/visits/{}", in_class.id), &edit).await;
    assert_eq!(error_body(response).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_team_member_outside_the_class_sees_the_visit_but_not_its_sensitive_notes() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let me = app.signed_in(&mine.counselor).await;
    // Named in the campaign's team for the college: a member may take part outside their class.
    app.add_team(campaign, school.colleges[0].id, "第一小组", &[theirs.counselor.id]).await;
    let mut sent = full_visit(campaign, mine.students[0].id, mine.counselor.id);
    sent.record.member_ids = vec![theirs.counselor.id];
    let visit = app.log_visit(&me, &sent).await;

    let member = app.signed_in(&theirs.counselor).await;
    let seen: Visit = app.get_json(&member, &format!("/api/visits/{}", visit.id)).await;
    assert!(!seen.sensitive_visible);
    assert_eq!(seen.record.sensitive_notes, None);
    assert_eq!(seen.record.notes, "家庭和睦");
    let history: Vec<VisitRevision> = app.get_json(&member, &format!("/api/visits/{}/revisions", visit.id)).await;
    assert!(history.iter().all(|r| r.after.sensitive_notes.is_none()), "{history:?}");
}

#[tokio::test]
async fn corrections_are_kept_and_the_history_can_be_read() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let path = format!("/api/visits/{}", visit.id);

    let mut record = visit.record.clone();
    record.notes = "家庭和睦，孩子懂事".into();
    record.sensitive_notes = None; // unchanged
    let second: Visit =
        json_of(app.put_json(&counselor, &path, &VisitEdit { base_revision: 1, record }).await, "edit").await;
    assert_eq!(second.revision, 2);
    assert_eq!(second.record.sensitive_notes, visit.record.sensitive_notes, "absent means unchanged");
    let mut record = second.record.clone();
    record.grant_fen = Some(80_000);
    let third: Visit =
        json_of(app.put_json(&counselor, &path, &VisitEdit { base_revision: 2, record }).await, "edit").await;
    assert_eq!(third.revision, 3);

    let history: Vec<VisitRevision> = app.get_json(&counselor, &format!("{path}/revisions")).await;
    assert_eq!(history.iter().map(|r| r.revision).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(history[0].before, None);
    assert_eq!(history[0].after, visit.record);
    assert_eq!(history[1].before.as_ref().map(|b| b.notes.as_str()), Some("家庭和睦"));
    assert_eq!(history[1].after.notes, "家庭和睦，孩子懂事");
    assert_eq!(
        (history[2].before.as_ref().and_then(|b| b.grant_fen), history[2].after.grant_fen),
        (Some(50_000), Some(80_000))
    );
    assert!(history.iter().all(|r| r.changed_by.id == class.counselor.id));
}

#[tokio::test]
async fn a_stale_edit_is_a_conflict_that_returns_the_servers_version() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let path = format!("/api/visits/{}", visit.id);
    // The same author on a second device corrects the visit first.
    let tablet = app.signed_in(&class.counselor).await;
    let mut record = visit.record.clone();
    record.notes = "平板上改的".into();
    let _: Visit = json_of(app.put_json(&tablet, &path, &VisitEdit { base_revision: 1, record }).await, "edit").await;

    let mut record = visit.record.clone();
    record.notes = "电脑上改的".into();
    let response = app.put_json(&counselor, &path, &VisitEdit { base_revision: 1, record }).await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let conflict: VisitConflict = response.json().await.unwrap();
    assert_eq!(conflict.code, "conflict");
    assert_eq!((conflict.current.revision, conflict.current.record.notes.as_str()), (2, "平板上改的"));
    let now: Visit = app.get_json(&counselor, &path).await;
    assert_eq!(now.record.notes, "平板上改的", "never silently overwritten");
}

#[tokio::test]
async fn visit_members_are_staff_who_may_see_the_student_or_named_in_the_campaigns_team() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let other_college = &school.colleges[1];
    let me = app.signed_in(&mine.counselor).await;
    let student = mine.students[0].id;
    let with = |members: Vec<shared::UserId>| {
        let mut visit = full_visit(campaign, student, mine.counselor.id);
        visit.record.member_ids = members;
        visit
    };
    // Not allowed: a counselor of another class, another college's leader or counselor — all
    // active staff of the school, none of whom may see this student.
    for outsider in [theirs.counselor.id, other_college.leader.id, other_college.classes[0].counselor.id] {
        let response = app.post_json(&me, "/api/visits", &with(vec![outsider])).await;
        let (status, error) = error_body(response).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{outsider}: {error:?}");
        let message = error.fields.get("member_ids").expect("the field at fault");
        assert!(message.contains("工作组"), "in Chinese by default: {message}");
    }
    let english = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers([(reqwest::header::ACCEPT_LANGUAGE, "en".parse().unwrap())].into_iter().collect())
        .build()
        .unwrap();
    let response = app.login(&english, &mine.counselor.username, &mine.counselor.password).await;
    assert_eq!(response.status(), StatusCode::OK);
    let (_, error) = error_body(app.post_json(&english, "/api/visits", &with(vec![theirs.counselor.id])).await).await;
    assert!(error.fields["member_ids"].contains("campaign's team"), "{error:?}");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);

    // Allowed: those whose scope holds the student (advisor, college leader, admin) …
    let scope = vec![school.colleges[0].advisor.id, school.colleges[0].leader.id, school.admin.id];
    let visit = app.log_visit(&me, &with(scope.clone())).await;
    let mut members: Vec<shared::UserId> = visit.members.iter().map(|m| m.id).collect();
    members.sort();
    let mut expected = scope;
    expected.sort();
    assert_eq!(members, expected);
    // … and named members of the campaign's team for the student's college, wherever they work.
    app.add_team(campaign, school.colleges[0].id, "第一小组", &[other_college.classes[0].counselor.id]).await;
    app.log_visit(&me, &with(vec![other_college.classes[0].counselor.id])).await;
    // A team of another campaign, or for another college, does not count.
    let other_campaign = app.add_campaign("2024年暑假家访").await;
    app.add_team(other_campaign, school.colleges[0].id, "暑假小组", &[theirs.counselor.id]).await;
    app.add_team(campaign, other_college.id, "理学院小组", &[theirs.counselor.id]).await;
    let (status, _) = error_body(app.post_json(&me, "/api/visits", &with(vec![theirs.counselor.id])).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    // A correction is held to the same rule.
    let edit = VisitEdit { base_revision: visit.revision, record: with(vec![theirs.counselor.id]).record };
    let response = app.put_json(&me, &format!("/api/visits/{}", visit.id), &edit).await;
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.fields.contains_key("member_ids")), (StatusCode::UNPROCESSABLE_ENTITY, true));
    // And so is a plan's team.
    let plan = serde_json::json!({ "campaign_id": campaign, "student_ids": [student], "mode": "phone",
        "date": "2024-01-23", "member_ids": [theirs.counselor.id] });
    let (status, error) = error_body(app.post_json(&me, "/api/visits/plans", &plan).await).await;
    assert_eq!((status, error.fields.contains_key("member_ids")), (StatusCode::UNPROCESSABLE_ENTITY, true));
}

#[tokio::test]
async fn a_closed_campaign_takes_no_new_visits_plans_or_corrections() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let me = app.signed_in(&class.counselor).await;
    let sent = full_visit(campaign, class.students[0].id, class.counselor.id);
    let visit = app.log_visit(&me, &sent).await;
    app.close_campaign(campaign).await;

    let response =
        app.post_json(&me, "/api/visits", &full_visit(campaign, class.students[1].id, class.counselor.id)).await;
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "campaign_closed"), "{error:?}");
    assert!(error.message.contains("已结束"), "{error:?}");
    // The one logged before the closing, sent again, is still the same stored visit.
    assert_eq!(app.log_visit(&me, &sent).await.id, visit.id);
    let plan = serde_json::json!({ "campaign_id": campaign, "student_ids": [class.students[1].id], "mode": "phone",
        "date": "2024-01-23" });
    let (status, error) = error_body(app.post_json(&me, "/api/visits/plans", &plan).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "campaign_closed"));
    // The author's correction too: by default a closed campaign is a read-only record.
    let mut record = visit.record.clone();
    record.notes = "补记".into();
    let edit = VisitEdit { base_revision: visit.revision, record };
    let (status, error) = error_body(app.put_json(&me, &format!("/api/visits/{}", visit.id), &edit).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "campaign_closed"));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visit_plans").await, 0);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visit_revisions").await, 1);
    // It can still be read.
    let read: Visit = app.get_json(&me, &format!("/api/visits/{}", visit.id)).await;
    assert_eq!(read.record.notes, "家庭和睦");
}

#[tokio::test]
async fn where_the_school_allows_it_the_author_still_corrects_a_closed_campaigns_visit() {
    let app = tests::spawn_app_with(|c| c.closed_campaign_corrections = true).await;
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let me = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&me, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    app.close_campaign(campaign).await;

    let mut record = visit.record.clone();
    record.notes = "补记".into();
    let edit = VisitEdit { base_revision: visit.revision, record };
    let corrected: Visit = json_of(app.put_json(&me, &format!("/api/visits/{}", visit.id), &edit).await, "edit").await;
    assert_eq!(corrected.record.notes, "补记");
    // Still nothing new.
    let response =
        app.post_json(&me, "/api/visits", &full_visit(campaign, class.students[1].id, class.counselor.id)).await;
    assert_eq!(error_body(response).await.1.code, "campaign_closed");
}
