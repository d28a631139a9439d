//! Delivery of the outbox by the background worker (issue 16), through real local servers: an
//! HTTP receiver standing for the school's SMS gateway or the WeCom robot, and aiosmtpd for
//! e-mail. Two instances share the database, as behind a load balancer: each message must
//! arrive exactly once, and only a channel's acceptance marks it sent.

use std::collections::HashMap;
use std::time::Duration;

use backend::notify::config::{Hidden, Pacing, SmsConfig, SmtpConfig};
use shared::meetings::{Attendance, ChannelsInfo, DeliveryStatus, MessageKind, OutboxMessage};
use tests::receivers::{HttpReceiver, SmtpServer};
use tests::{spawn_app, spawn_app_with, TestApp};

const TOKEN: &str = "gateway-token-7f3a";

/// Quick tries for tests: a round every 50 ms, one second before the first retry.
pub(crate) fn quick() -> Pacing {
    Pacing { poll_ms: 50, backoff_base_secs: 1, max_attempts: 8, lease_secs: 120, schedule_every_secs: 1 }
}

/// A server whose SMS goes to `receiver` (the token in a file of `dir`).
pub(crate) async fn sms_app(receiver: &HttpReceiver, dir: &tempfile::TempDir) -> TestApp {
    let token_file = dir.path().join("sms-token");
    std::fs::write(&token_file, format!("{TOKEN}\n")).unwrap();
    let url = receiver.url.clone();
    spawn_app_with(move |c| {
        c.channels.public_url = Some("https://jiafang.example.edu.cn".into());
        c.channels.sms = Some(SmsConfig::Http { url, token_file });
        c.channels.pacing = quick();
    })
    .await
}

async fn outbox(app: &TestApp, staff: &reqwest::Client, meeting: shared::MeetingId) -> Vec<OutboxMessage> {
    app.get_json(staff, &format!("/api/meetings/{meeting}/messages")).await
}

/// Polls `check` every 100 ms for up to 30 s.
pub(crate) async fn wait_for(what: &str, mut check: impl AsyncFnMut() -> bool) {
    for _ in 0..300 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("waited 30 s for {what}");
}

/// How many accepted requests each message id got.
fn per_id(receiver: &HttpReceiver) -> HashMap<i64, usize> {
    let mut counts = HashMap::new();
    for r in receiver.accepted() {
        *counts.entry(r.body["id"].as_i64().expect("an id")).or_default() += 1;
    }
    counts
}

#[tokio::test]
async fn two_instances_deliver_each_reminder_once_through_the_sms_gateway() {
    let receiver = HttpReceiver::start(200).await;
    let dir = tempfile::tempdir().unwrap();
    let app = sms_app(&receiver, &dir).await;
    let peer = app.spawn_peer().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    // Enough families that both instances claim at once.
    app.add_families(class.id, "D", 40).await;
    let staff = app.signed_in(&class.counselor).await;
    let channels: ChannelsInfo = app.get_json(&staff, "/api/messages/channels").await;
    assert_eq!(channels, ChannelsInfo { sms: Some("http".into()), email: false, wecom: false });
    let meeting = app.create_meeting(&staff, &tests::meetings::meeting_input(class.id, 100, 2)).await;
    let links = app.issue_links(&staff, meeting.id).await;
    for link in &links.families[..5] {
        let (family, _) = app.family(link.url.as_deref().unwrap()).await;
        let _ = app.answer(&family, Attendance::InPerson, 1).await;
    }
    let queued: Vec<OutboxMessage> = tests::json_of(
        app.post_json(&staff, &format!("/api/meetings/{}/reminders", meeting.id), &()).await,
        "reminders",
    )
    .await;
    let reminders: Vec<_> = queued.iter().filter(|m| m.kind == MessageKind::Reminder).collect();
    assert_eq!(reminders.len(), 5);
    assert!(queued.len() >= 45, "{} messages", queued.len());

    wait_for("every message sent", async || {
        outbox(&app, &staff, meeting.id).await.iter().all(|m| m.status == DeliveryStatus::Sent)
    })
    .await;
    // Longer than a round of both workers: nothing arrives twice later either.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let counts = per_id(&receiver);
    let list = outbox(&app, &staff, meeting.id).await;
    assert_eq!(counts.len(), list.len(), "every message arrived");
    assert!(counts.values().all(|n| *n == 1), "each exactly once: {counts:?}");
    assert_eq!(receiver.received().len(), list.len(), "and was sent once");
    assert!(list.iter().all(|m| m.sent_at.is_some() && m.attempts == 1 && m.last_error.is_none()));

    let accepted = receiver.accepted();
    let first = &accepted[0];
    assert_eq!(first.authorization.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    let reminder = receiver.accepted().into_iter().find(|r| r.body["text"].as_str().unwrap().contains("提醒")).unwrap();
    let text = reminder.body["text"].as_str().unwrap();
    let when = shared::meetings::format_local(meeting.details.starts_at, shared::Lang::Zh);
    assert!(text.contains(&when) && !text.contains("明天"), "the real date and time: {text}");
    assert!(reminder.body["phone"].as_str().unwrap().starts_with('1'), "{reminder:?}");
    let invitation =
        receiver.accepted().into_iter().find(|r| r.body["text"].as_str().unwrap().contains("专属链接")).unwrap();
    assert!(
        invitation.body["text"].as_str().unwrap().contains("https://jiafang.example.edu.cn/f#t="),
        "{invitation:?}"
    );
    peer.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn a_failing_gateway_leaves_messages_failed_with_the_reason_and_tries_again() {
    let receiver = HttpReceiver::start(500).await;
    let dir = tempfile::tempdir().unwrap();
    let app = sms_app(&receiver, &dir).await;
    let seeded = app.seed_meeting().await;
    let (staff, id) = (&seeded.staff, seeded.meeting.id);

    wait_for("a second try after a failure", async || {
        let list = outbox(&app, staff, id).await;
        !list.is_empty() && list.iter().all(|m| m.status == DeliveryStatus::Failed && m.attempts >= 2)
    })
    .await;
    let list = outbox(&app, staff, id).await;
    for m in &list {
        let reason = m.last_error.as_deref().unwrap();
        assert!(reason.contains("HTTP 500") && reason.contains("gateway down"), "{reason}");
        assert!(m.sent_at.is_none() && m.last_attempt_at.is_some() && m.next_attempt_at.is_some(), "{m:?}");
        assert!(!reason.contains(TOKEN));
    }
    assert!(receiver.accepted().is_empty());

    // The gateway is back: the next tries succeed; "retry now" needs no waiting for the backoff.
    receiver.answer_with(200);
    let _ = app.post_json(staff, &format!("/api/meetings/{id}/messages/send"), &()).await;
    wait_for("every message sent", async || {
        outbox(&app, staff, id).await.iter().all(|m| m.status == DeliveryStatus::Sent)
    })
    .await;
    let counts = per_id(&receiver);
    assert_eq!(counts.len(), list.len());
    assert!(counts.values().all(|n| *n == 1), "{counts:?}");
    // At least two tries each: a try counts when it is claimed, so the second may still have been
    // on its way when the gateway came back, and succeeded.
    assert!(outbox(&app, staff, id).await.iter().all(|m| m.last_error.is_none() && m.attempts >= 2));
    app.stop().await;
}

#[tokio::test]
async fn two_instances_send_the_organiser_one_email_and_one_wecom_notice_per_reminder() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = SmtpServer::start(dir.path()).await;
    let robot = HttpReceiver::start(200).await;
    let (port, webhook) = (smtp.port, robot.url.clone());
    let app = spawn_app_with(move |c| {
        c.channels.smtp = Some(SmtpConfig {
            url: format!("smtp://127.0.0.1:{port}"),
            password_file: None,
            from: "家校共育 <jiafang@example.edu.cn>".into(),
        });
        c.channels.wecom_webhook = Some(Hidden::new(webhook));
        c.channels.pacing = quick();
    })
    .await;
    let peer = app.spawn_peer().await;
    let seeded = app.seed_meeting().await;
    let counselor = &seeded.school.colleges[0].classes[0].counselor;
    sqlx::query("UPDATE users SET email = 'wang.laoshi@example.edu.cn' WHERE id = $1")
        .bind(counselor.id.get())
        .execute(&app.db.write)
        .await
        .unwrap();
    let (family, _) = app.family(seeded.links.families[0].url.as_deref().unwrap()).await;
    let _ = app.answer(&family, Attendance::Online, 1).await;
    let path = format!("/api/meetings/{}/reminders", seeded.meeting.id);
    let _ = app.post_json(&seeded.staff, &path, &()).await;
    // Queued again: no second notice.
    let _ = app.post_json(&seeded.staff, &path, &()).await;

    wait_for("the e-mail and the WeCom post", async || smtp.messages().len() == 1 && robot.accepted().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mail = smtp.messages();
    assert_eq!(mail.len(), 1, "exactly once");
    assert!(
        mail[0].contains("wang.laoshi@example.edu.cn") && mail[0].contains("jiafang@example.edu.cn"),
        "{}",
        mail[0]
    );
    let posts = robot.received();
    assert_eq!(posts.len(), 1, "exactly once: {posts:?}");
    assert_eq!(posts[0].body["msgtype"], "text");
    let content = posts[0].body["text"]["content"].as_str().unwrap();
    assert!(content.contains("家长会提醒") && content.contains("1户"), "{content}");
    let sent: Vec<(String, String)> = sqlx::query_as("SELECT channel, status FROM staff_notices ORDER BY channel")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    assert_eq!(sent, [("email".to_string(), "sent".to_string()), ("wecom".to_string(), "sent".to_string())]);
    // No SMS gateway: the guardians' texts stay queued for export.
    let list = outbox(&app, &seeded.staff, seeded.meeting.id).await;
    assert!(list.iter().all(|m| m.status == DeliveryStatus::Queued), "{list:?}");
    peer.stop().await;
    app.stop().await;
}

#[tokio::test]
async fn without_a_channel_nothing_is_sent_and_staff_mark_what_they_sent_themselves() {
    let app = spawn_app().await;
    let seeded = app.seed_meeting().await;
    let channels: ChannelsInfo = app.get_json(&seeded.staff, "/api/messages/channels").await;
    assert_eq!(channels, ChannelsInfo::default());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let list = outbox(&app, &seeded.staff, seeded.meeting.id).await;
    assert!(!list.is_empty() && list.iter().all(|m| m.status == DeliveryStatus::Queued && m.attempts == 0));
    let path = format!("/api/meetings/{}/messages/send", seeded.meeting.id);
    let marked: Vec<OutboxMessage> = tests::json_of(app.post_json(&seeded.staff, &path, &()).await, "mark").await;
    assert!(marked.iter().all(|m| m.status == DeliveryStatus::Marked && m.sent_at.is_some() && m.attempts == 0));
}

#[tokio::test]
async fn a_guardian_who_replied_td_gets_no_message() {
    let receiver = HttpReceiver::start(200).await;
    let dir = tempfile::tempdir().unwrap();
    let app = sms_app(&receiver, &dir).await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    app.add_families(class.id, "T", 3).await;
    // Guardians' phones here: 13800000000, 13800000001, 13800000002.
    let reply = |token: &str, text: &str| {
        app.client()
            .post(app.url("/api/sms/replies"))
            .bearer_auth(token)
            .json(&serde_json::json!({ "phone": "+86 138 0000 0001", "text": text }))
            .send()
    };
    assert_eq!(reply("wrong", "TD").await.unwrap().status(), reqwest::StatusCode::UNAUTHORIZED);
    let answer: shared::meetings::SmsReplyAnswer = tests::json_of(reply(TOKEN, "收到").await.unwrap(), "reply").await;
    assert_eq!(answer.opted_out, 0, "an ordinary reply changes nothing");
    let answer: shared::meetings::SmsReplyAnswer = tests::json_of(reply(TOKEN, "TD").await.unwrap(), "TD").await;
    assert_eq!(answer.opted_out, 1);

    let staff = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&staff, &tests::meetings::meeting_input(class.id, 40, 2)).await;
    app.issue_links(&staff, meeting.id).await;
    wait_for("every message handled", async || {
        outbox(&app, &staff, meeting.id).await.iter().all(|m| m.status != DeliveryStatus::Queued)
    })
    .await;
    let list = outbox(&app, &staff, meeting.id).await;
    let (out, sent): (Vec<_>, Vec<_>) = list.iter().partition(|m| m.phone.as_deref() == Some("13800000001"));
    assert_eq!(out.len(), 1);
    assert!(out[0].status == DeliveryStatus::OptedOut && out[0].sent_at.is_none() && out[0].attempts == 0, "{out:?}");
    assert!(sent.iter().all(|m| m.status == DeliveryStatus::Sent), "{sent:?}");
    assert!(receiver.received().iter().all(|r| r.body["phone"] != "13800000001"), "nothing reached them");
    assert_eq!(receiver.received().len(), sent.len());
    app.stop().await;
}

#[tokio::test]
async fn the_day_before_reminder_goes_out_by_itself_with_the_date_once() {
    let receiver = HttpReceiver::start(200).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("sms-token");
    std::fs::write(&token_file, TOKEN).unwrap();
    let url = receiver.url.clone();
    let app = spawn_app_with(move |c| {
        c.channels.public_url = Some("https://jiafang.example.edu.cn".into());
        c.channels.sms = Some(SmsConfig::Http { url, token_file });
        // Any hour: due as soon as a meeting is tomorrow.
        c.channels.reminder_hour = Some(0);
        c.channels.pacing = quick();
    })
    .await;
    let peer = app.spawn_peer().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let staff = app.signed_in(&class.counselor).await;
    // In three days: not due yet.
    let mut input = tests::meetings::meeting_input(class.id, 40, 2);
    input.starts_at += 2 * 86_400;
    input.ends_at += 2 * 86_400;
    input.signup_deadline = input.starts_at;
    let meeting = app.create_meeting(&staff, &input).await;
    let links = app.issue_links(&staff, meeting.id).await;
    let (family, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    let _ = app.answer(&family, Attendance::InPerson, 1).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let list = outbox(&app, &staff, meeting.id).await;
    assert!(list.iter().all(|m| m.kind == MessageKind::Invitation), "no reminder three days ahead: {list:?}");

    // Moved to tomorrow: the reminder is queued and sent without anyone pressing a button.
    let tomorrow = tests::meetings::meeting_input(class.id, 40, 2);
    let response = app.send_json(&staff, "PUT", &format!("/api/meetings/{}", meeting.id), &tomorrow).await;
    assert!(response.status().is_success(), "{}", response.status());
    wait_for("the reminder sent", async || {
        outbox(&app, &staff, meeting.id)
            .await
            .iter()
            .any(|m| m.kind == MessageKind::Reminder && m.status == DeliveryStatus::Sent)
    })
    .await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let reminders: Vec<_> = receiver
        .accepted()
        .into_iter()
        .filter(|r| r.body["text"].as_str().unwrap().starts_with("【家长会提醒】"))
        .collect();
    assert_eq!(reminders.len(), 1, "once, though two instances look every second: {reminders:?}");
    let when = shared::meetings::format_local(tomorrow.starts_at, shared::Lang::Zh);
    assert!(reminders[0].body["text"].as_str().unwrap().contains(&when), "{reminders:?}");
    peer.stop().await;
    app.stop().await;
}
