//! Planning visits: the students a counselor or team leader can visit, filters, plans and trips.

use reqwest::StatusCode;
use serde_json::json;
use shared::visits::{Plan, PlanStudent};
use tests::visits::{full_visit, setup};
use tests::{error_body, json_of};

#[tokio::test]
async fn a_counselor_plans_visits_and_groups_a_trip() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let (a, b, c) = (mine.students[0].id, mine.students[1].id, mine.students[2].id);
    sqlx::query("UPDATE students SET district = '武侯区' WHERE id IN ($1, $2)")
        .bind(a)
        .bind(b)
        .execute(&app.db.write)
        .await
        .unwrap();
    let counselor = app.signed_in(&mine.counselor).await;
    let students = |q: String| {
        let (app, counselor) = (&app, &counselor);
        async move {
            app.get_json::<Vec<PlanStudent>>(counselor, &format!("/api/visits/students?campaign_id={campaign}{q}"))
                .await
        }
    };
    assert_eq!(students(String::new()).await.len(), 3);
    assert_eq!(students("&district=武侯区".into()).await.len(), 2);
    assert_eq!(students(format!("&class_id={}", theirs.id)).await.len(), 0);
    let hardship = students("&hardship=hardship".into()).await;
    assert_eq!(hardship.len(), 3);
    let audited = app.query_i64("SELECT COUNT(*) FROM audit_log WHERE fields = 'hardship'").await;
    assert_eq!(audited, 3, "filtering by hardship reveals it: audited per student");

    let body = json!({ "campaign_id": campaign, "student_ids": [a, b], "mode": "in_person", "date": "2024-01-22",
        "time": "09:30", "member_ids": [school.colleges[0].advisor.id], "trip_name": "武侯区一日行" });
    let plans: Vec<Plan> = json_of(app.post_json(&counselor, "/api/visits/plans", &body).await, "plans").await;
    assert_eq!(plans.len(), 2);
    assert!(plans[0].trip_id.is_some() && plans[0].trip_id == plans[1].trip_id);
    assert_eq!(plans[0].members.iter().map(|m| m.id).collect::<Vec<_>>(), [school.colleges[0].advisor.id]);
    let listed: Vec<Plan> = app.get_json(&counselor, &format!("/api/visits/plans?campaign_id={campaign}")).await;
    assert_eq!(listed.len(), 2);

    // A trip spans one district; a cloud visit's link is https; another counselor's student is not mine.
    let bad_trip = json!({ "campaign_id": campaign, "student_ids": [a, c], "mode": "in_person", "date": "2024-01-22",
        "trip_name": "跨区" });
    let (status, error) = error_body(app.post_json(&counselor, "/api/visits/plans", &bad_trip).await).await;
    assert_eq!((status, error.fields.contains_key("trip_name")), (StatusCode::UNPROCESSABLE_ENTITY, true));
    let bad_link = json!({ "campaign_id": campaign, "student_ids": [c], "mode": "cloud", "date": "2024-01-23",
        "meeting_link": "http://example.com/x" });
    let (status, error) = error_body(app.post_json(&counselor, "/api/visits/plans", &bad_link).await).await;
    assert_eq!((status, error.fields.contains_key("meeting_link")), (StatusCode::UNPROCESSABLE_ENTITY, true));
    let other = json!({ "campaign_id": campaign, "student_ids": [theirs.students[0].id], "mode": "phone", "date": "2024-01-23" });
    assert_eq!(error_body(app.post_json(&counselor, "/api/visits/plans", &other).await).await.0, StatusCode::FORBIDDEN);

    // Once visited, a student leaves the "not yet visited" list and the plan shows it.
    app.log_visit(&counselor, &full_visit(campaign, a, mine.counselor.id)).await;
    let mut left: Vec<shared::StudentId> = students("&not_visited=true".into()).await.iter().map(|s| s.id).collect();
    left.sort();
    let mut expected = vec![b, c];
    expected.sort();
    assert_eq!(left, expected);
    let listed: Vec<Plan> = app.get_json(&counselor, &format!("/api/visits/plans?campaign_id={campaign}")).await;
    assert_eq!(listed.iter().filter(|p| p.visited).map(|p| p.student_id).collect::<Vec<_>>(), [a]);
}

#[tokio::test]
async fn a_team_leader_reaches_the_students_of_their_teams_college() {
    let (app, school, campaign) = setup().await;
    let leader = &school.colleges[1].classes[0].counselor;
    sqlx::query("INSERT INTO teams (campaign_id, college_id, name, leader_id) VALUES ($1, $2, '第一小组', $3)")
        .bind(campaign)
        .bind(school.colleges[0].id)
        .bind(leader.id)
        .execute(&app.db.write)
        .await
        .unwrap();
    let client = app.signed_in(leader).await;
    let reach: Vec<PlanStudent> = app.get_json(&client, &format!("/api/visits/students?campaign_id={campaign}")).await;
    assert_eq!(reach.len(), 9, "their own class and the team's college");
    // Hardship stays with those whose own scope holds the student.
    let hardship: Vec<PlanStudent> =
        app.get_json(&client, &format!("/api/visits/students?campaign_id={campaign}&hardship=hardship")).await;
    assert_eq!(hardship.len(), 3);
    let other_campaign = app.add_campaign("2024年暑假家访").await;
    let reach: Vec<PlanStudent> =
        app.get_json(&client, &format!("/api/visits/students?campaign_id={other_campaign}")).await;
    assert_eq!(reach.len(), 3, "a team leads only in its campaign");
}

#[tokio::test]
async fn students_whose_parents_raised_a_concern_at_the_meeting_can_be_picked_out() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[1];
    // A meeting of the campaign: `has_concerns` means this campaign's open concerns.
    let meeting: i64 = sqlx::query_scalar(
        "INSERT INTO meetings (class_id, campaign_id, theme, starts_at, ends_at, per_family, capacity, \
         signup_deadline, created_at, updated_at) \
         VALUES ($1, $2, '寒假安全', 1700000000, 1700003600, 2, 40, 1699990000, 1, 1) RETURNING id",
    )
    .bind(class.id)
    .bind(campaign)
    .fetch_one(&app.db.write)
    .await
    .unwrap();
    let guardian: i64 = sqlx::query_scalar("SELECT id FROM guardians WHERE student_id = $1")
        .bind(student.id)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO meeting_concerns (meeting_id, student_id, guardian_id, topic, text, created_at) \
         VALUES ($1, $2, $3, 'academic', '想了解转专业政策', 1)",
    )
    .bind(meeting)
    .bind(student.id)
    .bind(guardian)
    .execute(&app.db.write)
    .await
    .unwrap();
    let counselor = app.signed_in(&class.counselor).await;
    let path = format!("/api/visits/students?campaign_id={campaign}&has_concerns=true");
    let found: Vec<PlanStudent> = app.get_json(&counselor, &path).await;
    assert_eq!(found.iter().map(|s| s.id).collect::<Vec<_>>(), [student.id]);
}
