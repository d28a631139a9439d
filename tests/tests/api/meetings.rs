//! Parents' meetings, staff side: scheduling within scope, capacity and the waitlist under load,
//! promotion, sensitive concerns, attendance and the outbox.

use reqwest::StatusCode;
use shared::meetings::{
    AnswerStatus, Attendance, BulkCreated, ConcernGroup, ConcernInput, Meeting, OutboxMessage, Signups, Topic,
};
use tests::meetings::meeting_input;
use tests::{error_body, json_of, spawn_app};

#[tokio::test]
async fn a_counselor_schedules_meetings_for_their_own_class_only() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let [class_a, class_b] = &school.colleges[0].classes;
    let counselor = app.signed_in(&class_a.counselor).await;

    let meeting = app.create_meeting(&counselor, &meeting_input(class_a.id, 40, 2)).await;
    assert_eq!((meeting.class_id, meeting.counts.families, meeting.counts.not_answered), (class_a.id, 3, 3));

    let (status, _) =
        error_body(app.post_json(&counselor, "/api/meetings", &meeting_input(class_b.id, 40, 2)).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut nowhere = meeting_input(class_a.id, 40, 2);
    (nowhere.place, nowhere.online_url) = (None, None);
    let (status, error) = error_body(app.post_json(&counselor, "/api/meetings", &nowhere).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields.contains_key("place"), "{error:?}");

    // Another class's counselor sees neither the meeting nor its sign-ups.
    let other = app.signed_in(&class_b.counselor).await;
    app.get_error(&other, &format!("/api/meetings/{}", meeting.id), StatusCode::FORBIDDEN, "forbidden").await;
    app.get_error(&other, &format!("/api/meetings/{}/signups", meeting.id), StatusCode::FORBIDDEN, "forbidden").await;
    let listed: Vec<Meeting> = app.get_json(&other, "/api/meetings").await;
    assert!(listed.is_empty());
    app.get_error(&app.client(), "/api/meetings", StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn one_themed_meeting_is_scheduled_for_every_class_of_a_college_or_the_school() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let mut input = meeting_input(0, 60, 2);
    input.class_id = None;

    let created: BulkCreated = json_of(app.post_json(&leader, "/api/meetings/bulk", &input).await, "bulk").await;
    assert_eq!(created.created, 2, "both classes of the leader's college");
    input.college_id = Some(school.colleges[1].id);
    let (status, _) = error_body(app.post_json(&leader, "/api/meetings/bulk", &input).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "another college");
    let counselor = app.signed_in(&school.colleges[0].classes[0].counselor).await;
    let (status, _) = error_body(app.post_json(&counselor, "/api/meetings/bulk", &input).await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let admin = app.signed_in(&school.admin).await;
    input.college_id = None;
    let whole: BulkCreated = json_of(app.post_json(&admin, "/api/meetings/bulk", &input).await, "bulk").await;
    assert_eq!(whole.created, 4, "every class of the school");

    // Each class's meeting is its own: changing one leaves the others.
    let first = whole.meeting_ids[0];
    let mut changed = input.clone();
    changed.theme = "改期后的家长会".into();
    let path = format!("/api/meetings/{first}");
    let updated: Meeting = json_of(app.send_json(&admin, "PUT", &path, &changed).await, "PUT").await;
    assert_eq!(updated.details.theme, "改期后的家长会");
    let second: Meeting = app.get_json(&admin, &format!("/api/meetings/{}", whole.meeting_ids[1])).await;
    assert_eq!(second.details.theme, input.theme);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_hundred_families_answering_at_once_fill_exactly_the_capacity_and_wait_in_arrival_order() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    app.add_families(class.id, "L", 497).await;
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 30, 1)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    assert_eq!(links.families.len(), 500);

    let mut families = Vec::new();
    for link in &links.families {
        families.push(app.family(link.url.as_deref().expect("an active link")).await.0);
    }
    let app = std::sync::Arc::new(app);
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(families.len()));
    let tasks: Vec<_> = families
        .into_iter()
        .map(|family| {
            let (app, barrier) = (app.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                let page: shared::meetings::FamilyPage =
                    json_of(app.answer(&family, Attendance::InPerson, 1).await, "answer").await;
                page.answer.expect("an answer")
            })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.expect("an answering task"));
    }

    answers.sort_by_key(|a| a.queue_seq);
    let confirmed: Vec<_> = answers.iter().filter(|a| a.status == AnswerStatus::Confirmed).collect();
    assert_eq!(confirmed.len(), 30, "exactly the capacity");
    assert!(answers[..30].iter().all(|a| a.status == AnswerStatus::Confirmed), "the first 30 to arrive");
    // Positions as each family saw them at its answer: 1, 2, 3, … in arrival order.
    let positions: Vec<i64> = answers[30..].iter().map(|a| a.waitlist_position.expect("waitlisted")).collect();
    assert_eq!(positions, (1..=470).collect::<Vec<i64>>());

    let admin = app.signed_in(&school.admin).await;
    let signups: Signups = app.get_json(&admin, &format!("/api/meetings/{}/signups", meeting.id)).await;
    assert_eq!((signups.counts.in_person, signups.counts.waitlisted, signups.counts.seats_taken), (30, 470, 30));
    let mut waiting: Vec<_> = signups.families.iter().filter_map(|f| f.waitlist_position).collect();
    waiting.sort();
    assert_eq!(waiting, (1..=470).collect::<Vec<i64>>());
}

/// A large family first in the queue that stops waiting (it will join online) lets the smaller
/// family behind it take the seat it could not.
#[tokio::test]
async fn a_family_leaving_the_head_of_the_queue_lets_the_next_one_in() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 3, 3)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let mut families = Vec::new();
    for link in &links.families[..3] {
        families.push(app.family(link.url.as_deref().unwrap()).await.0);
    }
    let mut status = Vec::new();
    for (family, people) in families.iter().zip([1, 3, 1]) {
        let page: shared::meetings::FamilyPage =
            json_of(app.answer(family, Attendance::InPerson, people).await, "answer").await;
        status.push(page.answer.unwrap().status);
    }
    use AnswerStatus::*;
    assert_eq!(status, [Confirmed, Waitlisted, Waitlisted], "two seats free, but the three wait first");

    let page: shared::meetings::FamilyPage =
        json_of(app.answer(&families[1], Attendance::Online, 1).await, "online").await;
    assert_eq!(page.answer.unwrap().status, Confirmed);
    let third: shared::meetings::FamilyPage = app.get_json(&families[2], "/api/family/me").await;
    assert_eq!(third.answer.unwrap().status, Confirmed, "promoted");
}

#[tokio::test]
async fn a_withdrawal_or_a_smaller_party_promotes_the_first_family_waiting() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    app.add_families(class.id, "W", 2).await;
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 3, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let mut families = Vec::new();
    for link in &links.families[..4] {
        families.push(app.family(link.url.as_deref().unwrap()).await.0);
    }
    let mut status = Vec::new();
    for (family, people) in families.iter().zip([2, 1, 1, 1]) {
        let page: shared::meetings::FamilyPage =
            json_of(app.answer(family, Attendance::InPerson, people).await, "answer").await;
        let answer = page.answer.unwrap();
        status.push((answer.status, answer.waitlist_position));
    }
    use AnswerStatus::*;
    assert_eq!(status, [(Confirmed, None), (Confirmed, None), (Waitlisted, Some(1)), (Waitlisted, Some(2))]);

    // The first family comes with one person instead of two: the first waiting family gets in.
    let page: shared::meetings::FamilyPage =
        json_of(app.answer(&families[0], Attendance::InPerson, 1).await, "fewer").await;
    assert_eq!(page.answer.unwrap().status, Confirmed);
    let third: shared::meetings::FamilyPage = app.get_json(&families[2], "/api/family/me").await;
    assert_eq!(third.answer.unwrap().status, Confirmed, "promoted");
    let fourth: shared::meetings::FamilyPage = app.get_json(&families[3], "/api/family/me").await;
    assert_eq!(fourth.answer.unwrap().waitlist_position, Some(1));

    // The second withdraws: the fourth gets its seat.
    let response = families[1].delete(app.url("/api/family/answer")).send().await.unwrap();
    let page: shared::meetings::FamilyPage = json_of(response, "withdraw").await;
    assert!(page.answer.is_none());
    let fourth: shared::meetings::FamilyPage = app.get_json(&families[3], "/api/family/me").await;
    assert_eq!(fourth.answer.unwrap().status, Confirmed, "promoted");

    let outbox: Vec<OutboxMessage> = app.get_json(&counselor, &format!("/api/meetings/{}/messages", meeting.id)).await;
    let promotions: Vec<_> = outbox.iter().filter(|m| m.kind == shared::meetings::MessageKind::Promotion).collect();
    assert_eq!(promotions.len(), 2, "{outbox:?}");
    assert!(promotions.iter().all(|m| m.text.contains("候补") && m.text.contains("/f#t=")));
    let signups: Signups = app.get_json(&counselor, &format!("/api/meetings/{}/signups", meeting.id)).await;
    assert_eq!((signups.counts.seats_taken, signups.counts.waitlisted), (3, 0));
}

#[tokio::test]
async fn sensitive_concerns_are_only_for_staff_whose_scope_holds_the_class() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let [class_a, class_b] = &school.colleges[0].classes;
    let counselor = app.signed_in(&class_a.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class_a.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let (family, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    app.consent(&family).await;
    for (topic, text) in [(Topic::MentalHealth, "孩子最近情绪低落"), (Topic::Employment, "想了解实习机会")]
    {
        let body = ConcernInput { topic, text: text.into() };
        let _: shared::meetings::FamilyPage =
            json_of(app.post_json(&family, "/api/family/concerns", &body).await, "concern").await;
    }
    let path = format!("/api/meetings/{}/concerns", meeting.id);

    for account in [&class_a.counselor, &school.colleges[0].advisor, &school.colleges[0].leader, &school.admin] {
        let staff = app.signed_in(account).await;
        let groups: Vec<ConcernGroup> = app.get_json(&staff, &path).await;
        let mental = groups.iter().find(|g| g.topic == Topic::MentalHealth).unwrap();
        assert_eq!(mental.concerns.len(), 1, "{}", account.username);
    }
    for account in [&class_b.counselor, &school.colleges[1].leader, &school.colleges[1].classes[0].counselor] {
        let staff = app.signed_in(account).await;
        let response = app.get(&staff, &path).await;
        let status = response.status();
        let text = response.text().await.unwrap();
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", account.username);
        assert!(!text.contains("情绪低落") && !text.contains("实习"), "{text}");
    }
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE fields LIKE '%meeting_concern%'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(audited, 4, "each read of a sensitive concern is audited");
}

#[tokio::test]
async fn attendance_is_taken_by_tapping_names_and_the_meeting_marked_held() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let student = &class.students[1];
    let path = format!("/api/meetings/{}/attendance", meeting.id);
    let body = serde_json::json!({ "student_id": student.id, "present": true });
    let signups: Signups = json_of(app.post_json(&counselor, &path, &body).await, "attendance").await;
    let row = signups.families.iter().find(|f| f.student_id == student.id).unwrap();
    assert!(row.attended);
    let stranger = school.colleges[1].classes[0].students[0].id;
    let (status, _) = error_body(
        app.post_json(&counselor, &path, &serde_json::json!({ "student_id": stranger, "present": true })).await,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a student of another class");

    let held: Meeting =
        json_of(app.post_json(&counselor, &format!("/api/meetings/{}/held", meeting.id), &()).await, "held").await;
    assert!(held.held_at.is_some());
}

#[tokio::test]
async fn the_outbox_holds_invitations_and_reminders_and_exports_as_xlsx() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let (family, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    let _ = app.answer(&family, Attendance::Online, 1).await;

    let base = format!("/api/meetings/{}", meeting.id);
    let outbox: Vec<OutboxMessage> =
        json_of(app.post_json(&counselor, &format!("{base}/reminders"), &()).await, "reminders").await;
    let invitations = outbox.iter().filter(|m| m.kind == shared::meetings::MessageKind::Invitation).count();
    let reminders = outbox.iter().filter(|m| m.kind == shared::meetings::MessageKind::Reminder).count();
    assert_eq!((invitations, reminders), (3, 1));
    let first = &outbox[0];
    assert!(
        first.text.contains(links.families[0].url.as_deref().unwrap())
            || outbox.iter().any(|m| m.text.contains(links.families[0].url.as_deref().unwrap()))
    );

    let response = app.get(&counselor, &format!("{base}/qr.svg?v=1")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "image/svg+xml");
    let svg = response.text().await.unwrap();
    assert!(svg.contains("<svg") && svg.matches("shape-rendering=\"crispEdges\"").count() == 1, "{svg}");

    let response = app.get(&counselor, &format!("{base}/messages.xlsx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert_eq!(&response.bytes().await.unwrap()[..2], b"PK");

    let sent: Vec<OutboxMessage> =
        json_of(app.post_json(&counselor, &format!("{base}/messages/send"), &()).await, "send").await;
    assert!(sent.iter().all(|m| m.sent_at.is_some()));
}
