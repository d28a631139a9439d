//! Follow-ups that finish: added to a visit later, reassigned, closed with an outcome and
//! reopened (each audited), the reminders (due this week, overdue; a leader's college, the
//! school for admins) and referrals to the school's service departments, whose staff see and
//! close only what is referred to them and nothing else of the student's record.

use reqwest::StatusCode;
use serde_json::Value;
use shared::follow_ups::{DueCount, DueFollowUps, FollowUpAssignment, FollowUpClose, FollowUpInput, Referral};
use shared::users::{CreatedAccount, NewAccount};
use shared::visits::{FollowUp, FollowUpStatus, Visit};
use shared::{Department, Role};
use tests::visits::{full_visit, setup};
use tests::{error_body, json_of, TestApp};

/// A date `days` from today in the school's time zone (UTC+8), as the server counts.
fn day(days: i64) -> String {
    backend::visits::follow_ups::days_after(&backend::visits::read::today(), days)
}

fn input(what: &str, owner: shared::UserId, due_on: &str, department: Option<Department>) -> FollowUpInput {
    FollowUpInput { what: what.into(), owner_id: owner, due_on: due_on.into(), department }
}

async fn add(app: &TestApp, client: &reqwest::Client, visit: shared::VisitId, body: &FollowUpInput) -> FollowUp {
    let path = format!("/api/visits/{visit}/follow-ups");
    json_of(app.post_json(client, &path, body).await, &path).await
}

#[tokio::test]
async fn a_follow_up_added_later_is_reassigned_closed_with_an_outcome_and_reopened() {
    let (app, school, campaign) = setup().await;
    let college = &school.colleges[0];
    let class = &college.classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let mut sent = full_visit(campaign, class.students[0].id, class.counselor.id);
    sent.follow_ups.clear();
    let visit = app.log_visit(&counselor, &sent).await;
    assert!(visit.follow_ups.is_empty());

    // Added a week after the visit, referred to the counselling centre.
    let due = day(3);
    let added = add(
        &app,
        &counselor,
        visit.id,
        &input("  预约心理咨询  ", class.counselor.id, &due, Some(Department::Counselling)),
    )
    .await;
    assert_eq!((added.what.as_str(), added.due_on.as_str()), ("预约心理咨询", due.as_str()), "trimmed");
    assert_eq!(
        (added.department, added.status, added.owner.id),
        (Some(Department::Counselling), FollowUpStatus::Open, class.counselor.id)
    );
    assert_eq!(added.class_name, class.name);
    let again: Visit = app.get_json(&counselor, &format!("/api/visits/{}", visit.id)).await;
    assert_eq!(again.follow_ups, std::slice::from_ref(&added));

    // Reassigned to the class advisor, to the career centre, later.
    let advisor = app.signed_in(&college.advisor).await;
    let later = day(10);
    let assignment = FollowUpAssignment {
        owner_id: college.advisor.id,
        department: Some(Department::Career),
        due_on: later.clone(),
    };
    let moved: FollowUp =
        json_of(app.put_json(&counselor, &format!("/api/follow-ups/{}", added.id), &assignment).await, "reassign")
            .await;
    assert_eq!(
        (moved.owner.id, moved.department, moved.due_on.as_str()),
        (college.advisor.id, Some(Department::Career), later.as_str())
    );
    let theirs: Vec<FollowUp> = app.get_json(&advisor, "/api/follow-ups").await;
    assert_eq!(theirs.iter().map(|f| f.id).collect::<Vec<_>>(), [added.id], "the new owner's list");
    let mine: Vec<FollowUp> = app.get_json(&counselor, "/api/follow-ups").await;
    assert!(mine.is_empty(), "no longer the counselor's: {mine:?}");

    // The new owner closes it with what came of it.
    let close = FollowUpClose { outcome: " 学生已在就业中心登记 ".into() };
    let path = format!("/api/follow-ups/{}/close", added.id);
    assert_eq!(app.post_json(&advisor, &path, &close).await.status(), StatusCode::NO_CONTENT);
    let closed: Visit = app.get_json(&counselor, &format!("/api/visits/{}", visit.id)).await;
    let f = &closed.follow_ups[0];
    assert_eq!((f.status, f.outcome.as_deref()), (FollowUpStatus::Done, Some("学生已在就业中心登记")));
    assert_eq!(f.done_by.as_ref().map(|p| p.id), Some(college.advisor.id));
    // Closed twice: 409.
    let (status, error) = error_body(app.post_json(&advisor, &path, &close).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::CONFLICT, "conflict"));
    let done: Vec<FollowUp> = app.get_json(&advisor, "/api/follow-ups?status=done").await;
    assert_eq!(done.len(), 1);

    // The visit's author opens it again; it is open, the outcome kept for the record.
    let reopen = format!("/api/follow-ups/{}/reopen", added.id);
    assert_eq!(app.post_json(&counselor, &reopen, &()).await.status(), StatusCode::NO_CONTENT);
    let reopened: Visit = app.get_json(&counselor, &format!("/api/visits/{}", visit.id)).await;
    assert_eq!((reopened.follow_ups[0].status, reopened.follow_ups[0].done_by.clone()), (FollowUpStatus::Open, None));
    let (status, _) = error_body(app.post_json(&counselor, &reopen, &()).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "open already");

    // Each change is in the audit log, under the student.
    let audited = app
        .query_i64(&format!(
            "SELECT COUNT(*) FROM audit_log WHERE fields = 'follow_up' AND action = 'update' AND student_id = {}",
            class.students[0].id
        ))
        .await;
    assert_eq!(audited, 4, "added, reassigned, closed, reopened");
}

#[tokio::test]
async fn only_those_it_concerns_may_add_close_or_reassign_a_follow_up() {
    let (app, school, campaign) = setup().await;
    let college = &school.colleges[0];
    let [class, other_class] = &college.classes;
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let id = visit.follow_ups[0].id;
    let other = app.signed_in(&other_class.counselor).await;
    let leader = app.signed_in(&college.leader).await;
    let other_leader = app.signed_in(&school.colleges[1].leader).await;
    let due = day(5);

    // Adding: whoever may see the visit.
    let body = input("家访后电话回访", class.counselor.id, &due, None);
    let path = format!("/api/visits/{}/follow-ups", visit.id);
    assert_eq!(app.post_json(&other, &path, &body).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post_json(&other_leader, &path, &body).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post_json(&leader, &path, &body).await.status(), StatusCode::OK);
    assert_eq!(app.post_json(&other, "/api/visits/999999/follow-ups", &body).await.status(), StatusCode::NOT_FOUND);

    // Closing: the owner, the author or the department; not the college's leader.
    let close = FollowUpClose { outcome: "已完成".into() };
    let close_path = format!("/api/follow-ups/{id}/close");
    for client in [&other, &leader, &other_leader] {
        assert_eq!(app.post_json(client, &close_path, &close).await.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(app.post_json(&other, "/api/follow-ups/999999/close", &close).await.status(), StatusCode::NOT_FOUND);

    // Reassigning: also whoever's scope holds the student (the college's leader), no one else.
    let assignment = FollowUpAssignment { owner_id: class.counselor.id, department: None, due_on: due.clone() };
    let assign_path = format!("/api/follow-ups/{id}");
    assert_eq!(app.put_json(&other, &assign_path, &assignment).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.put_json(&other_leader, &assign_path, &assignment).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.put_json(&leader, &assign_path, &assignment).await.status(), StatusCode::OK);
    assert_eq!(app.post_json(&counselor, &close_path, &close).await.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn bad_follow_up_input_is_refused_field_by_field_in_the_users_language() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let centre = app.add_service_staff("xinli", Department::Counselling).await;

    let body = input("  ", centre.id, "2024-02-30", None);
    let (status, error) =
        error_body(app.post_json(&counselor, &format!("/api/visits/{}/follow-ups", visit.id), &body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error.fields.keys().map(String::as_str).collect::<Vec<_>>(),
        ["due_on", "owner_id", "what"],
        "{error:?}"
    );
    assert_eq!(error.fields["what"], "请填写要做的事");

    let id = visit.follow_ups[0].id;
    let assignment = FollowUpAssignment { owner_id: 999_999.into(), department: None, due_on: "tomorrow".into() };
    let (status, error) =
        error_body(app.put_json(&counselor, &format!("/api/follow-ups/{id}"), &assignment).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.fields.keys().map(String::as_str).collect::<Vec<_>>(), ["due_on", "owner_id"], "{error:?}");

    let response = counselor
        .post(app.url(&format!("/api/follow-ups/{id}/close")))
        .header("accept-language", "en")
        .json(&FollowUpClose { outcome: " ".into() })
        .send()
        .await
        .expect("closing");
    let (status, error) = error_body(response).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error.fields["outcome"], "Say what came of it");
    // An unknown department is not a department.
    let response = app
        .post_json(
            &counselor,
            &format!("/api/visits/{}/follow-ups", visit.id),
            &serde_json::json!({"what": "x", "owner_id": class.counselor.id, "due_on": "2024-03-01", "department": "library"}),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn service_staff_see_and_close_only_their_departments_referrals_and_nothing_else() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, student.id, class.counselor.id)).await;
    let due = day(2);
    let referred = add(
        &app,
        &counselor,
        visit.id,
        &input("安排心理咨询", class.counselor.id, &due, Some(Department::Counselling)),
    )
    .await;
    let elsewhere = add(
        &app,
        &counselor,
        visit.id,
        &input("申请临时困难补助", class.counselor.id, &due, Some(Department::FinancialAid)),
    )
    .await;
    let centre_account = app.add_service_staff("xinli", Department::Counselling).await;
    let centre = app.signed_in(&centre_account).await;

    // Their list: the referral, with the student's name and class and the follow-up's text only.
    let response = app.get(&centre, "/api/follow-ups/referred").await;
    let raw: Value = json_of(response, "referrals").await;
    let items = raw.as_array().expect("a list");
    assert_eq!(items.len(), 1, "{raw}");
    let mut keys: Vec<&str> = items[0].as_object().expect("an object").keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["class_name", "department", "due_on", "id", "outcome", "overdue", "owner", "status", "student_name", "what"],
        "nothing else of the record"
    );
    let referrals: Vec<Referral> = serde_json::from_value(raw).expect("referrals");
    assert_eq!(
        (
            referrals[0].id.get(),
            referrals[0].student_name.as_str(),
            referrals[0].class_name.as_str(),
            referrals[0].what.as_str()
        ),
        (referred.id, student.name.as_str(), class.name.as_str(), "安排心理咨询")
    );
    let count: DueCount = app.get_json(&centre, "/api/follow-ups/due/count").await;
    assert_eq!(count, DueCount { due: 1, overdue: 0 });

    // Nothing else of the student: not the visit (notes, sensitive notes), not the student's
    // page, lists or other follow-ups; the other department's referral does not exist for them.
    for path in [
        format!("/api/visits/{}", visit.id),
        format!("/api/visits/{}/revisions", visit.id),
        format!("/api/students/{}", student.id),
        "/api/students".to_string(),
        format!("/api/visits?student_id={}", student.id),
        "/api/follow-ups".to_string(),
        "/api/follow-ups/due".to_string(),
        format!("/api/visits/students?campaign_id={campaign}"),
        "/api/meetings".to_string(),
        "/api/campaigns".to_string(),
        format!("/api/campaigns/{campaign}/summary"),
    ] {
        let (status, error) = error_body(app.get(&centre, &path).await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "GET {path}");
    }
    let body = input("x", class.counselor.id, &due, None);
    let response = app.post_json(&centre, &format!("/api/visits/{}/follow-ups", visit.id), &body).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "adding");
    let assignment = FollowUpAssignment { owner_id: class.counselor.id, department: None, due_on: due.clone() };
    let response = app.put_json(&centre, &format!("/api/follow-ups/{}", referred.id), &assignment).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN, "reassigning");
    let close = FollowUpClose { outcome: "已预约，每周一次咨询".into() };
    let response = app.post_json(&centre, &format!("/api/follow-ups/{}/close", elsewhere.id), &close).await;
    assert_eq!(error_body(response).await.0, StatusCode::NOT_FOUND, "another department's referral");

    // They close theirs with an outcome; the counselor sees who closed it and what came of it.
    let response = app.post_json(&centre, &format!("/api/follow-ups/{}/close", referred.id), &close).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let open: Vec<Referral> = app.get_json(&centre, "/api/follow-ups/referred").await;
    assert!(open.is_empty(), "{open:?}");
    let done: Vec<Referral> = app.get_json(&centre, "/api/follow-ups/referred?status=done").await;
    assert_eq!(done[0].outcome.as_deref(), Some("已预约，每周一次咨询"));
    let seen: Visit = app.get_json(&counselor, &format!("/api/visits/{}", visit.id)).await;
    let closed = seen.follow_ups.iter().find(|f| f.id == referred.id).expect("the referral");
    assert_eq!(closed.done_by.as_ref().map(|p| p.id), Some(centre_account.id));
    assert_eq!(closed.status, FollowUpStatus::Done);
    // And may open it again.
    let response = app.post_json(&centre, &format!("/api/follow-ups/{}/reopen", referred.id), &()).await;
    assert_eq!(response.status(), StatusCode::NO_CONTENT);

    // Others are not service staff: their referral list is refused.
    let response = app.get(&counselor, "/api/follow-ups/referred").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // A follow-up is not owned by service staff: the department is named instead.
    let body = input("x", centre_account.id, &due, None);
    let (status, error) =
        error_body(app.post_json(&counselor, &format!("/api/visits/{}/follow-ups", visit.id), &body).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("owner_id"), "{error:?}");
}

#[tokio::test]
async fn reminders_count_what_is_due_this_week_and_leaders_see_their_colleges_overdue_follow_ups() {
    let (app, school, campaign) = setup().await;
    let college = &school.colleges[0];
    let class = &college.classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    // `full_visit`'s follow-up is due 2024-02-20: long overdue.
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let overdue = visit.follow_ups[0].id;
    let soon = add(&app, &counselor, visit.id, &input("本周回访", class.counselor.id, &day(6), None)).await;
    add(&app, &counselor, visit.id, &input("下月回访", class.counselor.id, &day(7), None)).await;
    let done = add(&app, &counselor, visit.id, &input("已办", class.counselor.id, &day(1), None)).await;
    let close = FollowUpClose { outcome: "已办完".into() };
    app.post_json(&counselor, &format!("/api/follow-ups/{}/close", done.id), &close).await;
    let c2 = &school.colleges[1].classes[0];
    let counselor2 = app.signed_in(&c2.counselor).await;
    let visit2 = app.log_visit(&counselor2, &full_visit(campaign, c2.students[0].id, c2.counselor.id)).await;

    let count: DueCount = app.get_json(&counselor, "/api/follow-ups/due/count").await;
    assert_eq!(count, DueCount { due: 2, overdue: 1 });
    let due: DueFollowUps = app.get_json(&counselor, "/api/follow-ups/due").await;
    assert_eq!(due.mine.iter().map(|f| f.id).collect::<Vec<_>>(), [overdue, soon.id]);
    assert!(due.mine[0].overdue && !due.mine[1].overdue);
    assert!(due.overdue.is_empty(), "a counselor oversees no one");
    assert_eq!((due.today.clone(), due.week_end.clone()), (day(0), day(6)));

    let leader = app.signed_in(&college.leader).await;
    let seen: DueFollowUps = app.get_json(&leader, "/api/follow-ups/due").await;
    assert_eq!(seen.overdue.iter().map(|f| f.id).collect::<Vec<_>>(), [overdue], "their college's only");
    assert!(seen.mine.is_empty());
    let leader2 = app.signed_in(&school.colleges[1].leader).await;
    let seen: DueFollowUps = app.get_json(&leader2, "/api/follow-ups/due").await;
    assert_eq!(seen.overdue.iter().map(|f| f.id).collect::<Vec<_>>(), [visit2.follow_ups[0].id]);
    let admin = app.signed_in(&school.admin).await;
    let seen: DueFollowUps = app.get_json(&admin, "/api/follow-ups/due").await;
    let mut ids: Vec<i64> = seen.overdue.iter().map(|f| f.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [overdue, visit2.follow_ups[0].id], "the school's");
}

#[tokio::test]
async fn admins_put_service_staff_in_a_department() {
    let app = tests::spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let account = |username: &str, role, college_id, department| NewAccount {
        username: username.into(),
        display_name: username.into(),
        role,
        college_id,
        department,
        email: None,
    };
    let created: CreatedAccount = json_of(
        app.post_json(
            &admin,
            "/api/users",
            &account("xinli02", Role::ServiceStaff, None, Some(Department::Counselling)),
        )
        .await,
        "a service staff account",
    )
    .await;
    assert_eq!((created.user.role, created.user.department), (Role::ServiceStaff, Some(Department::Counselling)));

    let college = Some(school.colleges[0].id);
    for (body, field) in [
        (account("xinli03", Role::ServiceStaff, None, None), "department"),
        (account("xinli04", Role::ServiceStaff, college, Some(Department::Career)), "college_id"),
        (account("fudao9", Role::Counselor, college, Some(Department::Career)), "department"),
    ] {
        let (status, error) = error_body(app.post_json(&admin, "/api/users", &body).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(error.fields.contains_key(field), "{field}: {error:?}");
    }
}
