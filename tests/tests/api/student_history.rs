//! A student's history across campaigns (issue 15 item 3): every part for the student's own
//! counselor, newest first, with the sensitive reads audited; for a team leader from another
//! college only what their teams reach (no sensitive concern, no meetings, no aid); 404 for staff
//! who reach the student nowhere; 403 for service staff, who see only their referrals.

use reqwest::StatusCode;
use shared::follow_ups::FollowUpInput;
use shared::history::StudentHistory;
use shared::meetings::{Attendance, AttendanceMark, Topic};
use shared::visits::FollowUp;
use shared::Department;
use tests::concerns::{addressing, REPLY};
use tests::visits::{full_visit, setup};
use tests::{json_of, TestApp};

async fn history(app: &TestApp, client: &reqwest::Client, student: shared::StudentId) -> StudentHistory {
    app.get_json(client, &format!("/api/students/{student}/history")).await
}

async fn audited(app: &TestApp, user: shared::UserId, fields: &str) -> i64 {
    let sql = format!(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND fields = '{fields}' AND user_id = {}",
        user.get()
    );
    app.query_i64(&sql).await
}

#[tokio::test]
async fn a_students_history_shows_each_part_only_to_those_allowed_and_audits_the_sensitive_reads() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let raised = app.raise_concerns(&school, Some(campaign)).await;
    let counselor = app.signed_in(&class.counselor).await;
    app.answer(&raised.family, Attendance::InPerson, 2).await.error_for_status().expect("the family's answer");
    let mark = AttendanceMark { student_id: raised.student, present: true };
    let marked = app.post_json(&counselor, &format!("/api/meetings/{}/attendance", raised.meeting), &mark).await;
    assert!(marked.status().is_success(), "attendance: {}", marked.status());

    // Winter: the visit answering both concerns, and a follow-up referred to the counselling
    // centre. Summer (a later campaign): another visit, logged by someone else.
    let winter = addressing(
        full_visit(campaign, raised.student, class.counselor.id),
        &[(raised.academic, REPLY), (raised.sensitive, "")],
    );
    let winter = app.log_visit(&counselor, &winter).await;
    let referral = FollowUpInput {
        what: "转介心理中心评估".into(),
        owner_id: class.counselor.id,
        due_on: "2024-03-01".into(),
        department: Some(Department::Counselling),
    };
    let referred: FollowUp = json_of(
        app.post_json(&counselor, &format!("/api/visits/{}/follow-ups", winter.id), &referral).await,
        "referral",
    )
    .await;
    let summer_campaign = app.add_campaign("2024年暑假家访").await;
    let mut summer = full_visit(summer_campaign, raised.student, school.colleges[0].leader.id);
    (summer.record.date, summer.record.grant_fen, summer.record.gifts) = ("2024-07-15".into(), None, String::new());
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let summer = app.log_visit(&leader, &summer).await;

    // The student's counselor: everything, newest first.
    let h = history(&app, &counselor, raised.student).await;
    assert_eq!(h.student_id, raised.student);
    let visits: Vec<(shared::VisitId, &str, &str)> =
        h.visits.iter().map(|v| (v.id, v.date.as_str(), v.campaign_name.as_str())).collect();
    assert_eq!(visits, [(summer.id, "2024-07-15", "2024年暑假家访"), (winter.id, "2024-01-20", "2024年寒假家访")]);
    let concerns: Vec<(Topic, Option<shared::VisitId>, Option<&str>)> =
        h.concerns.iter().map(|c| (c.topic, c.visit_id, c.reply.as_deref())).collect();
    assert_eq!(concerns.len(), 2);
    assert!(concerns.contains(&(Topic::Academic, Some(winter.id), Some(REPLY))));
    assert!(concerns.contains(&(Topic::MentalHealth, Some(winter.id), None)));
    assert!(h.sensitive_visible);
    let meetings = h.meetings.expect("meetings for the class's counselor");
    let meeting = meetings.iter().find(|m| m.meeting_id == raised.meeting).expect("the family's meeting");
    assert_eq!((meeting.answer, meeting.people, meeting.attended), (Some(Attendance::InPerson), 2, true));
    let follow_ups: Vec<(i64, Option<Department>)> = h.follow_ups.iter().map(|f| (f.id, f.department)).collect();
    assert!(follow_ups.contains(&(referred.id, Some(Department::Counselling))), "{follow_ups:?}");
    assert_eq!(follow_ups.len(), 3, "one agreed with each visit, and the referral");
    let aid: Vec<(shared::VisitId, Option<i64>, &str)> = h
        .aid
        .as_ref()
        .expect("aid for the counselor")
        .iter()
        .map(|a| (a.visit_id, a.grant_fen, a.gifts.as_str()))
        .collect();
    assert_eq!(aid, [(winter.id, Some(50_000), "新春祝福包 1 份")], "the summer visit gave nothing");
    assert_eq!(audited(&app, class.counselor.id, "hardship_aid").await, 1);
    let concern_reads = "SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND fields = 'meeting_concern' \
                         AND detail = 'student history'";
    assert_eq!(app.query_i64(concern_reads).await, 1, "the sensitive concern's read is audited");
    let raw = app.get(&counselor, &format!("/api/students/{}/history", raised.student)).await.text().await.unwrap();
    assert!(!raw.contains("父亲去年失业"), "no visit's sensitive notes in the history");

    // A team leader from another college reaches the student through the winter campaign's team:
    // its visit and follow-ups, the academic concern; nothing sensitive, no meetings, no aid, and
    // nothing audited for them.
    let (team_leader, team) = app.team_leader(&school, campaign).await;
    let h = history(&app, &team, raised.student).await;
    assert_eq!(h.visits.iter().map(|v| v.id).collect::<Vec<_>>(), [winter.id]);
    assert_eq!(h.concerns.iter().map(|c| c.topic).collect::<Vec<_>>(), [Topic::Academic]);
    assert_eq!((h.meetings.is_none(), h.aid.is_none(), h.sensitive_visible), (true, true, false));
    assert_eq!(h.follow_ups.len(), 2);
    let team_reads = format!("SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND user_id = {}", team_leader.id);
    assert_eq!(app.query_i64(&team_reads).await, 0);

    // The class's advisor: everything, as their scope holds the class.
    let advisor = app.signed_in(&school.colleges[0].advisor).await;
    let h = history(&app, &advisor, raised.student).await;
    assert_eq!((h.visits.len(), h.concerns.len(), h.aid.map(|a| a.len())), (2, 2, Some(1)));

    // Staff who reach the student nowhere learn nothing, not even that they exist; an unknown
    // student is the same 404.
    for outsider in [&school.colleges[0].classes[1].counselor, &school.colleges[1].leader] {
        let client = app.signed_in(outsider).await;
        let response = app.get(&client, &format!("/api/students/{}/history", raised.student)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{}", outsider.username);
    }
    let missing = app.get(&counselor, "/api/students/999999/history").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // The counselling centre's staff close the referral, but never read the record.
    let centre = app.add_service_staff("xinli", Department::Counselling).await;
    let centre = app.signed_in(&centre).await;
    let response = app.get(&centre, &format!("/api/students/{}/history", raised.student)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
