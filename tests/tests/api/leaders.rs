//! School leaders (校领导) and the Student Affairs Office on visits: staff from outside a college
//! join its teams and its visits, and the report counts them by role.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::campaigns::TeamDetail;
use shared::dashboard::CampaignSummary;
use shared::participants::{participants_sentence, RoleParticipation};
use shared::users::StaffRef;
use shared::visits::Visit;
use shared::Role;
use tests::spawn_app;
use tests::visits::full_visit;

#[tokio::test]
async fn school_leaders_and_admins_join_any_colleges_team_and_visits_and_are_counted() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let leader = app.add_account("xiaoling", Role::SchoolLeader, None).await;
    let [first, second] = &school.colleges;

    // The team picker of a college offers school-wide staff only when asked for them.
    let college_leader = app.signed_in(&first.leader).await;
    let picker: Vec<StaffRef> =
        app.get_json(&college_leader, &format!("/api/staff?college_id={}&school_wide=true", first.id)).await;
    assert!(picker.iter().any(|s| s.id == leader.id && s.role == Role::SchoolLeader), "{picker:?}");
    assert!(picker.iter().any(|s| s.id == school.admin.id), "{picker:?}");
    let college_only: Vec<StaffRef> =
        app.get_json(&college_leader, &format!("/api/staff?college_id={}", first.id)).await;
    assert!(college_only.iter().all(|s| s.college_id == Some(first.id)), "{college_only:?}");

    // A school leader leads a team of the first college and joins one of the second; the Office
    // joins both; a college leader may name them too.
    let teams = format!("/api/campaigns/{}/teams", campaign.id);
    let led = json!({"college_id": first.id, "name": "校领导带队小组", "leader_id": leader.id,
                     "member_ids": [school.admin.id]});
    let team: TeamDetail = app.send_ok(&admin, Method::POST, &teams, &led).await;
    assert_eq!(team.leader.map(|l| l.role), Some(Role::SchoolLeader));
    let joined = json!({"college_id": second.id, "name": "理学院小组", "member_ids": [leader.id, school.admin.id]});
    let team: TeamDetail = app.send_ok(&admin, Method::POST, &teams, &joined).await;
    assert!(team.members.iter().any(|m| m.id == leader.id && m.role == Role::SchoolLeader));

    let body =
        json!({"college_id": first.id, "name": "学院小组", "member_ids": [leader.id, first.classes[0].counselor.id]});
    let _: TeamDetail = app.send_ok(&college_leader, Method::POST, &teams, &body).await;

    // The counselor names them on a visit to a student of the first college.
    let class = &first.classes[0];
    let student = &class.students[0];
    let counselor = app.signed_in(&class.counselor).await;
    let mut visit = full_visit(campaign.id, student.id, class.counselor.id);
    visit.record.member_ids = vec![leader.id, school.admin.id];
    let logged: Visit = app.log_visit(&counselor, &visit).await;

    // The school leader reads it and sees their teams; leading no team there, they reach none of
    // the second college's students.
    let school_leader = app.signed_in(&leader).await;
    let read: Visit = app.get_json(&school_leader, &format!("/api/visits/{}", logged.id)).await;
    assert_eq!(read.student_id, student.id);
    let led: Vec<TeamDetail> = app.get_json(&school_leader, &teams).await;
    assert_eq!(led.len(), 3, "the one they lead and the two they joined");
    let other = &second.classes[0];
    let hidden: Visit = app
        .log_visit(
            &app.signed_in(&other.counselor).await,
            &full_visit(campaign.id, other.students[0].id, other.counselor.id),
        )
        .await;
    app.get_error(&school_leader, &format!("/api/visits/{}", hidden.id), StatusCode::FORBIDDEN, "forbidden").await;

    // Counted by role, in the API, the report's sentence and the school-wide figures they see.
    let path = format!("/api/campaigns/{}/participants", campaign.id);
    let rows: Vec<RoleParticipation> = app.get_json(&admin, &path).await;
    let of = |role: Role| rows.iter().find(|r| r.role == role).map(|r| (r.people, r.visits));
    assert_eq!(of(Role::SchoolLeader), Some((1, 1)));
    assert_eq!(of(Role::Admin), Some((1, 1)));
    assert_eq!(of(Role::Counselor), Some((2, 2)));
    assert!(participants_sentence(&rows)
        .starts_with("参与家访的工作人员：校领导1人（参与家访1次）、学工处1人（参与家访1次）"));
    let theirs: Vec<RoleParticipation> = app.get_json(&college_leader, &path).await;
    assert_eq!(theirs.iter().find(|r| r.role == Role::Counselor).map(|r| r.people), Some(1), "their college only");
    let summary: CampaignSummary =
        app.get_json(&school_leader, &format!("/api/campaigns/{}/summary", campaign.id)).await;
    assert_eq!(summary.figures.students_reached, 2, "school leaders see the whole school's figures");

    let report = app.get(&school_leader, &format!("/api/campaigns/{}/report", campaign.id)).await;
    let html = report.text().await.expect("the report");
    assert!(html.contains("校领导1人（参与家访1次）") && html.contains("本次家访共覆盖学生2人"), "{html}");
}

#[tokio::test]
async fn a_school_leader_belongs_to_no_college_and_others_cannot_join_a_foreign_team() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let body = json!({"username": "xiaoling", "display_name": "校领导 张书记", "role": "school_leader",
                      "college_id": school.colleges[0].id});
    let error =
        app.send_error(&admin, Method::POST, "/api/users", &body, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert_eq!(error.fields.keys().collect::<Vec<_>>(), ["college_id"]);
    let body = json!({"username": "xiaoling", "display_name": "校领导 张书记", "role": "school_leader"});
    assert!(app.send(&admin, Method::POST, "/api/users", Some(&body)).await.status().is_success());

    // Another college's counselor is still refused, with a message naming who may join.
    let campaign = app.create_campaign(&admin, "2024年寒假家访").await;
    let teams = format!("/api/campaigns/{}/teams", campaign.id);
    let body = json!({"college_id": school.colleges[0].id, "name": "一组",
                      "member_ids": [school.colleges[1].classes[0].counselor.id]});
    let error =
        app.send_error(&admin, Method::POST, &teams, &body, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(error.fields["member_ids"].contains("校领导"), "{error:?}");
}
