//! Messages that follow what happens (issue 16, item 3), through real local servers (aiosmtpd
//! for e-mail, an HTTP receiver for the WeCom robot and the SMS gateway): the counselor told of
//! a new concern on a sensitive topic without its content, a department's staff of a referral,
//! owners of overdue follow-ups once a week with two instances running; each kind switched off
//! per campaign by an admin; a parent opting out on their page and back in.

use std::time::Duration;

use backend::notify::config::{Hidden, SmtpConfig};
use reqwest::StatusCode;
use shared::follow_ups::{FollowUpAssignment, FollowUpInput};
use shared::meetings::{Attendance, ConcernInput, DeliveryStatus, FamilyPage, MeetingInput, OutboxMessage, Topic};
use shared::messages::{CampaignMessages, MessageSwitch};
use shared::visits::FollowUp;
use shared::{Department, UserId};
use tests::meetings::meeting_input;
use tests::receivers::{HttpReceiver, SmtpServer};
use tests::visits::full_visit;
use tests::{json_of, spawn_app_with, TestApp};

use super::delivery::{quick, sms_app, wait_for};

const SECRET_TEXT: &str = "孩子最近失眠，情绪很低落";

/// A server with e-mail and the WeCom robot for staff, the seeded school and an active campaign.
struct Staffed {
    app: TestApp,
    smtp: SmtpServer,
    robot: HttpReceiver,
    school: tests::School,
    campaign: i64,
    _dir: tempfile::TempDir,
}

async fn staffed(reminder_hour: Option<u32>) -> Staffed {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path()).await;
    let robot = HttpReceiver::start(200).await;
    let (port, webhook) = (smtp.port, robot.url.clone());
    let app = spawn_app_with(move |c| {
        c.channels.public_url = Some("https://jiafang.example.edu.cn".into());
        c.channels.smtp = Some(SmtpConfig {
            url: format!("smtp://127.0.0.1:{port}"),
            password_file: None,
            from: "家校共育 <jiafang@example.edu.cn>".into(),
        });
        c.channels.wecom_webhook = Some(Hidden::new(webhook));
        c.channels.reminder_hour = reminder_hour;
        c.channels.pacing = quick();
    })
    .await;
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    Staffed { app, smtp, robot, school, campaign, _dir: dir }
}

async fn set_email(app: &TestApp, user: UserId, email: &str) {
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2")
        .bind(email.to_string())
        .bind(user.get())
        .execute(&app.db.write)
        .await
        .unwrap();
}

/// The staff notices stored: (user, channel, kind, text).
async fn notices(app: &TestApp) -> Vec<(Option<i64>, String, String, String)> {
    sqlx::query_as("SELECT user_id, channel, kind, text FROM staff_notices ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .unwrap()
}

async fn switch_off(app: &TestApp, admin: &reqwest::Client, campaign: i64, off: &[MessageSwitch]) {
    let body = CampaignMessages { off: off.to_vec() };
    let saved: CampaignMessages =
        json_of(app.put_json(admin, &format!("/api/campaigns/{campaign}/messages"), &body).await, "switches").await;
    assert_eq!(saved, body);
}

async fn count(app: &TestApp, sql: &str, meeting: shared::MeetingId) -> i64 {
    sqlx::query_scalar(sql).bind(meeting.get()).fetch_one(&app.db.read).await.unwrap()
}

#[tokio::test]
async fn an_admin_switches_kinds_of_message_off_per_campaign_and_none_of_them_is_queued() {
    let (app, school, campaign) = tests::visits::setup().await;
    let admin = app.signed_in(&school.admin).await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let path = format!("/api/campaigns/{campaign}/messages");
    let all_on: CampaignMessages = app.get_json(&counselor, &path).await;
    assert_eq!(all_on, CampaignMessages::default(), "every kind on by default; staff read it");
    let off = CampaignMessages { off: vec![MessageSwitch::Invitation] };
    assert_eq!(app.put_json(&counselor, &path, &off).await.status(), StatusCode::FORBIDDEN, "admins only");
    let unknown = serde_json::json!({ "off": ["fax"] });
    assert_eq!(app.put_json(&admin, &path, &unknown).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    app.get_error(&admin, "/api/campaigns/999999/messages", StatusCode::NOT_FOUND, "not_found").await;

    switch_off(&app, &admin, campaign, &[MessageSwitch::Invitation, MessageSwitch::Reminder, MessageSwitch::Promotion])
        .await;
    // Capacity 2: one family of two fills it, the next waits.
    let input = MeetingInput { campaign_id: Some(campaign.into()), ..meeting_input(class.id, 2, 2) };
    let meeting = app.create_meeting(&counselor, &input).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    assert!(links.families.len() >= 2);
    let (first, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    let (second, _) = app.family(links.families[1].url.as_deref().unwrap()).await;
    assert!(app.answer(&first, Attendance::InPerson, 2).await.status().is_success());
    assert!(app.answer(&second, Attendance::InPerson, 2).await.status().is_success());
    let _ = app.post_json(&counselor, &format!("/api/meetings/{}/reminders", meeting.id), &()).await;
    // The first family withdraws: the second is seated, without a notice.
    let withdrawn = first.delete(app.url("/api/family/answer")).send().await.unwrap();
    assert!(withdrawn.status().is_success(), "{}", withdrawn.status());
    let seated =
        count(&app, "SELECT COUNT(*) FROM meeting_answers WHERE meeting_id = $1 AND status = 'confirmed'", meeting.id)
            .await;
    assert_eq!(seated, 1, "the waiting family was seated");
    let list: Vec<OutboxMessage> = app.get_json(&counselor, &format!("/api/meetings/{}/messages", meeting.id)).await;
    assert!(list.is_empty(), "no invitation, reminder or waitlist notice: {list:?}");

    // A meeting in no campaign sends everything, as before.
    let outside = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    app.issue_links(&counselor, outside.id).await;
    let invitations = count(&app, "SELECT COUNT(*) FROM meeting_messages WHERE meeting_id = $1", outside.id).await;
    assert_eq!(invitations, links.families.len() as i64);

    // Back on: the campaign's next meeting gets its invitations.
    switch_off(&app, &admin, campaign, &[]).await;
    let again = app.create_meeting(&counselor, &input).await;
    app.issue_links(&counselor, again.id).await;
    assert!(count(&app, "SELECT COUNT(*) FROM meeting_messages WHERE meeting_id = $1", again.id).await > 0);

    // A closed campaign's switches no longer change.
    app.close_campaign(campaign).await;
    let off = CampaignMessages { off: vec![MessageSwitch::Overdue] };
    assert_eq!(app.put_json(&admin, &path, &off).await.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_sensitive_concern_tells_the_counselor_without_its_content() {
    let Staffed { app, smtp, robot, school, campaign, _dir } = staffed(None).await;
    let class = &school.colleges[0].classes[0];
    set_email(&app, class.counselor.id, "wang.laoshi@example.edu.cn").await;
    let family = app.meeting_family(&school, Some(campaign)).await;
    let student: String = sqlx::query_scalar("SELECT name FROM students WHERE id = $1")
        .bind(family.student.get())
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    app.consent(&family.family).await;
    let send = async |topic: Topic| {
        let body = ConcernInput { topic, text: SECRET_TEXT.into() };
        app.post_json(&family.family, "/api/family/concerns", &body).await
    };
    let _: FamilyPage = json_of(send(Topic::Academic).await, "an academic concern").await;
    let _: FamilyPage = json_of(send(Topic::MentalHealth).await, "a sensitive concern").await;

    wait_for("the e-mail and the WeCom post", async || smtp.messages().len() == 1 && robot.accepted().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(smtp.messages().len(), 1, "one notice: the academic concern tells nobody");
    assert!(smtp.messages()[0].contains("wang.laoshi@example.edu.cn"));
    let stored = notices(&app).await;
    let mail = stored.iter().find(|n| n.1 == "email").unwrap();
    assert_eq!((mail.0, mail.2.as_str()), (Some(class.counselor.id.get()), "sensitive_concern"));
    assert!(mail.3.contains(&student) && mail.3.contains("敏感话题"), "{}", mail.3);
    assert!(mail.3.contains(&format!("https://jiafang.example.edu.cn/meetings/{}", family.meeting)), "{}", mail.3);
    let post = robot.accepted()[0].body["text"]["content"].as_str().unwrap().to_string();
    for text in [&mail.3, &post] {
        assert!(!text.contains(SECRET_TEXT) && !text.contains("心理"), "no content, no topic: {text}");
    }
    assert!(!post.contains(&student), "the whole group reads it: no student named: {post}");

    // Switched off for the campaign: the next sensitive concern tells nobody.
    let admin = app.signed_in(&school.admin).await;
    switch_off(&app, &admin, campaign, &[MessageSwitch::SensitiveConcern]).await;
    let _: FamilyPage = json_of(send(Topic::FamilyFinances).await, "another sensitive concern").await;
    assert_eq!(notices(&app).await.len(), 2, "still the e-mail and the post of the first");
    app.stop().await;
}

async fn visit_of(app: &TestApp, school: &tests::School, campaign: i64) -> (reqwest::Client, shared::VisitId) {
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let mut sent = full_visit(campaign, class.students[0].id, class.counselor.id);
    sent.follow_ups.clear();
    let visit = app.log_visit(&counselor, &sent).await;
    (counselor, visit.id)
}

fn day(days: i64) -> String {
    backend::visits::follow_ups::days_after(&backend::visits::read::today(), days)
}

#[tokio::test]
async fn a_referral_tells_the_departments_staff() {
    let Staffed { app, smtp, robot, school, campaign, _dir } = staffed(None).await;
    let counselling = app.add_service_staff("xinli", Department::Counselling).await;
    let career = app.add_service_staff("jiuye", Department::Career).await;
    set_email(&app, counselling.id, "xinli@example.edu.cn").await;
    set_email(&app, career.id, "jiuye@example.edu.cn").await;
    let owner = school.colleges[0].classes[0].counselor.id;
    let (counselor, visit) = visit_of(&app, &school, campaign).await;
    let what = "预约心理咨询，关注睡眠";
    let body = FollowUpInput { what: what.into(), owner_id: owner, due_on: day(5), department: None };
    let path = format!("/api/visits/{visit}/follow-ups");
    let _: FollowUp = json_of(app.post_json(&counselor, &path, &body).await, "not referred").await;
    let body = FollowUpInput { department: Some(Department::Counselling), ..body };
    let referred: FollowUp = json_of(app.post_json(&counselor, &path, &body).await, "referred").await;

    wait_for("the referral's e-mail", async || smtp.messages().len() == 1).await;
    let stored = notices(&app).await;
    let mails: Vec<_> = stored.iter().filter(|n| n.1 == "email").collect();
    assert_eq!(mails.len(), 1, "{stored:?}");
    assert_eq!((mails[0].0, mails[0].2.as_str()), (Some(counselling.id.get()), "referral"));
    assert!(mails[0].3.contains(&school.colleges[0].classes[0].students[0].name), "{}", mails[0].3);
    assert!(mails[0].3.contains("https://jiafang.example.edu.cn/referrals"), "{}", mails[0].3);
    assert!(smtp.messages()[0].contains("xinli@example.edu.cn"));
    wait_for("the group's post", async || robot.accepted().len() == 1).await;
    let post = robot.accepted()[0].body["text"]["content"].as_str().unwrap().to_string();
    assert!(post.contains("心理健康教育与咨询中心"), "{post}");
    for text in [&mails[0].3, &post] {
        assert!(!text.contains(what), "not the follow-up's text: {text}");
    }
    assert!(!post.contains(&school.colleges[0].classes[0].students[0].name), "{post}");

    // Reassigned to the career centre: its staff are told; the same department again tells nobody.
    let assignment = FollowUpAssignment { owner_id: owner, department: Some(Department::Career), due_on: day(6) };
    let fpath = format!("/api/follow-ups/{}", referred.id);
    let _: FollowUp = json_of(app.put_json(&counselor, &fpath, &assignment).await, "reassigned").await;
    let _: FollowUp = json_of(app.put_json(&counselor, &fpath, &assignment).await, "again").await;
    wait_for("the career centre's e-mail", async || smtp.messages().len() == 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(smtp.messages().iter().any(|m| m.contains("jiuye@example.edu.cn")));
    let referrals = notices(&app).await.into_iter().filter(|n| n.1 == "email").count();
    assert_eq!(referrals, 2);
    app.stop().await;
}

#[tokio::test]
async fn overdue_follow_ups_are_told_to_their_owner_once_a_week_with_two_instances() {
    // Hour 0: due at once, every instance looking every second.
    let Staffed { app, smtp, robot, school, campaign, _dir } = staffed(Some(0)).await;
    let peer = app.spawn_peer().await;
    let class = &school.colleges[0].classes[0];
    set_email(&app, class.counselor.id, "wang.laoshi@example.edu.cn").await;
    let (counselor, visit) = visit_of(&app, &school, campaign).await;
    let path = format!("/api/visits/{visit}/follow-ups");
    for (what, due) in [("家访回访", day(-3)), ("补交材料", day(-1)), ("下周再联系", day(4))] {
        let body = FollowUpInput { what: what.into(), owner_id: class.counselor.id, due_on: due, department: None };
        let _: FollowUp = json_of(app.post_json(&counselor, &path, &body).await, "a follow-up").await;
    }
    wait_for("the weekly e-mail", async || smtp.messages().len() == 1).await;
    // Both instances look every second: still once.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(smtp.messages().len(), 1);
    assert_eq!(robot.accepted().len(), 1);
    let stored = notices(&app).await;
    assert!(stored.iter().all(|n| n.0 == Some(class.counselor.id.get()) && n.2 == "overdue"), "{stored:?}");
    let mail = &stored.iter().find(|n| n.1 == "email").unwrap().3;
    assert!(mail.contains("2 条") && !mail.contains("家访回访"), "how many, not what: {mail}");
    let weeks = app.query_i64("SELECT COUNT(*) FROM overdue_notice_weeks").await;
    assert_eq!(weeks, 1, "one row for the owner's week");
    peer.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn overdue_notices_switched_off_for_a_campaign_tell_nobody() {
    let Staffed { app, smtp, school, campaign, _dir, .. } = staffed(Some(0)).await;
    let class = &school.colleges[0].classes[0];
    set_email(&app, class.counselor.id, "wang.laoshi@example.edu.cn").await;
    let admin = app.signed_in(&school.admin).await;
    switch_off(&app, &admin, campaign, &[MessageSwitch::Overdue]).await;
    let (counselor, visit) = visit_of(&app, &school, campaign).await;
    let body =
        FollowUpInput { what: "家访回访".into(), owner_id: class.counselor.id, due_on: day(-3), department: None };
    let _: FollowUp =
        json_of(app.post_json(&counselor, &format!("/api/visits/{visit}/follow-ups"), &body).await, "overdue").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert!(smtp.messages().is_empty());
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM overdue_notice_weeks").await, 0);
    app.stop().await;
}

#[tokio::test]
async fn a_parent_who_opts_out_on_their_page_gets_nothing_until_they_opt_back_in() {
    let receiver = HttpReceiver::start(200).await;
    let dir = tempfile::tempdir().unwrap();
    let app = sms_app(&receiver, &dir).await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    // Phones of their own (the seeded guardians share one): 13800000000 and 13800000001.
    app.add_families(class.id, "Q", 2).await;
    let staff = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&staff, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&staff, meeting.id).await;
    let phone = "13800000000";
    let mut theirs = None;
    for link in &links.families {
        let of: Option<String> = sqlx::query_scalar("SELECT phone FROM guardians WHERE id = $1")
            .bind(link.guardian_id.unwrap())
            .fetch_one(&app.db.read)
            .await
            .unwrap();
        if of.as_deref() == Some(phone) {
            theirs = link.url.clone();
        }
    }
    let (family, _) = app.family(&theirs.expect("their link")).await;
    let outbox = async |meeting: shared::MeetingId| -> Vec<OutboxMessage> {
        app.get_json(&staff, &format!("/api/meetings/{meeting}/messages")).await
    };
    wait_for("the invitations sent", async || {
        outbox(meeting.id).await.iter().all(|m| m.status == DeliveryStatus::Sent)
    })
    .await;
    assert!(!app.family_page(&family).await.messages_off);

    let page: FamilyPage = json_of(app.post_json(&family, "/api/family/opt_out", &()).await, "opt out").await;
    assert!(page.messages_off);
    assert!(app.answer(&family, Attendance::InPerson, 1).await.status().is_success());
    let _ = app.post_json(&staff, &format!("/api/meetings/{}/reminders", meeting.id), &()).await;
    wait_for("the reminder handled", async || {
        outbox(meeting.id).await.iter().all(|m| m.status != DeliveryStatus::Queued)
    })
    .await;
    let reminder: Vec<_> =
        outbox(meeting.id).await.into_iter().filter(|m| m.kind == shared::meetings::MessageKind::Reminder).collect();
    assert_eq!(reminder.len(), 1);
    assert_eq!(reminder[0].status, DeliveryStatus::OptedOut, "{reminder:?}");
    let texts_to_them = || receiver.accepted().iter().filter(|r| r.body["phone"] == phone).count();
    assert_eq!(texts_to_them(), 1, "the invitation only");

    // Back in: the next meeting's invitation reaches them.
    let response = family.delete(app.url("/api/family/opt_out")).send().await.unwrap();
    let page: FamilyPage = json_of(response, "opt in").await;
    assert!(!page.messages_off);
    let next = app.create_meeting(&staff, &meeting_input(class.id, 40, 2)).await;
    app.issue_links(&staff, next.id).await;
    wait_for("the next invitations sent", async || {
        outbox(next.id).await.iter().all(|m| m.status == DeliveryStatus::Sent)
    })
    .await;
    assert_eq!(texts_to_them(), 2);
    app.stop().await;
}
