//! Messages in a real browser (issue 16): the meeting's outbox with each text's delivery status —
//! failed with the gateway's reason, tried again by the button, then sent — and, with no channel,
//! the plain statement that nothing is sent and the button marking texts sent by hand; an admin
//! switching a kind of message off on the campaign's page; a parent opting out on their page and
//! back in.

use std::time::Duration;

use backend::notify::config::{Pacing, SmsConfig};
use shared::meetings::{DeliveryStatus, OutboxMessage};
use shared::messages::{CampaignMessages, MessageSwitch};
use tests::browser::Browser;
use tests::meetings::{token_of, SeededMeeting};
use tests::receivers::HttpReceiver;

/// How many rows of the outbox shown have `status`.
async fn shown(browser: &Browser, status: DeliveryStatus) -> i64 {
    let js =
        format!("return document.querySelectorAll('[data-testid=outbox] li[data-status={}]').length;", status.code());
    browser.eval(&js).await.as_i64().unwrap_or(0)
}

/// Presses "show" until every row of the outbox has `status` (the page does not poll).
async fn until_all(browser: &Browser, status: DeliveryStatus, rows: i64) {
    for _ in 0..100 {
        browser.click("[data-testid=outbox-show]").await;
        tokio::time::sleep(Duration::from_millis(200)).await;
        if shown(browser, status).await == rows {
            return;
        }
    }
    panic!("the outbox never showed {rows} rows {}", status.code());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_shows_a_failure_with_its_reason_and_retries_it() {
    if !Browser::ready() {
        return;
    }
    let receiver = HttpReceiver::start(500).await;
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("sms-token");
    std::fs::write(&token_file, "token").unwrap();
    let url = receiver.url.clone();
    let app = tests::spawn_app_with(move |c| {
        c.channels.public_url = Some("https://jiafang.example.edu.cn".into());
        c.channels.sms = Some(SmsConfig::Http { url, token_file });
        // Slow retries: only the button brings the next try forward.
        c.channels.pacing =
            Pacing { poll_ms: 50, backoff_base_secs: 3600, max_attempts: 8, lease_secs: 120, schedule_every_secs: 60 };
    })
    .await;
    let SeededMeeting { school, staff, meeting, .. } = app.seed_meeting().await;
    let path = format!("/api/meetings/{}/messages", meeting.id);
    let mut rows = 0;
    for _ in 0..100 {
        let list: Vec<OutboxMessage> = app.get_json(&staff, &path).await;
        if !list.is_empty() && list.iter().all(|m| m.status == DeliveryStatus::Failed) {
            rows = list.len() as i64;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(rows > 0, "the invitations failed");

    let counselor = &school.colleges[0].classes[0].counselor;
    let browser = Browser::start(1280, 900).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.goto(&app.url(&format!("/meetings/{}", meeting.id))).await;
    browser.wait_for_text("[data-testid=outbox-send]", "立即重试失败的消息").await;
    assert_eq!(browser.eval("return !!document.querySelector('[data-testid=no-channel]');").await, false);
    browser.click("[data-testid=outbox-show]").await;
    let list = browser.wait_for_text("[data-testid=outbox]", "HTTP 500").await;
    assert!(list.contains("发送失败，将重试") && list.contains("尝试次数：1") && list.contains("下次重试"), "{list}");
    assert_eq!(shown(&browser, DeliveryStatus::Failed).await, rows);

    // The gateway is back; the button tries them again now, not in an hour.
    receiver.answer_with(200);
    browser.click("[data-testid=outbox-send]").await;
    until_all(&browser, DeliveryStatus::Sent, rows).await;
    let list = browser.wait_for_text("[data-testid=outbox]", "已发送").await;
    assert!(!list.contains("HTTP 500"), "the reason is gone once sent: {list}");
    assert_eq!(receiver.accepted().len() as i64, rows);
    browser.close().await;
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_channel_the_outbox_says_so_and_marks_texts_sent_by_hand() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { school, meeting, .. } = app.seed_meeting().await;
    let counselor = &school.colleges[0].classes[0].counselor;
    let browser = Browser::start(1280, 900).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.goto(&app.url(&format!("/meetings/{}", meeting.id))).await;
    browser.wait_for_text("[data-testid=no-channel]", "消息不会自动发送").await;
    browser.wait_for_text("[data-testid=outbox-send]", "标记为已发送").await;
    browser.click("[data-testid=outbox-show]").await;
    browser.wait_for_text("[data-testid=outbox]", "待发送").await;
    let rows = shown(&browser, DeliveryStatus::Queued).await;
    assert!(rows > 0);
    browser.click("[data-testid=outbox-send]").await;
    browser.wait_for_text("[data-testid=outbox]", "已手动标记为已发送").await;
    assert_eq!(shown(&browser, DeliveryStatus::Marked).await, rows);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_switches_a_kind_of_message_off_and_a_parent_opts_out_and_back_in() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = tests::visits::setup().await;
    let browser = Browser::start(1280, 900).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/campaigns/{campaign}"))).await;
    browser.wait_for_text("[data-testid=campaign-messages]", "报名邀请").await;
    let checked = "return document.querySelector('[data-testid=message-invitation]').checked;";
    assert_eq!(browser.eval(checked).await, true, "on by default");
    browser.click("[data-testid=message-invitation]").await;
    let admin = app.signed_in(&school.admin).await;
    let path = format!("/api/campaigns/{campaign}/messages");
    let mut saved = CampaignMessages::default();
    for _ in 0..50 {
        saved = app.get_json(&admin, &path).await;
        if !saved.off.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(saved.off, [MessageSwitch::Invitation], "saved at once");
    // Read again, the page shows it off.
    browser.goto(&app.url(&format!("/campaigns/{campaign}"))).await;
    browser.wait_for_text("[data-testid=campaign-messages]", "报名邀请").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(browser.eval(checked).await, false);
    browser.close().await;

    // A counselor sees the switches but cannot change them.
    let counselor = &school.colleges[0].classes[0].counselor;
    let staff = Browser::start(1280, 900).await;
    staff.sign_in(&app.address, &counselor.username, &counselor.password).await;
    staff.goto(&app.url(&format!("/campaigns/{campaign}"))).await;
    staff.wait_for_text("[data-testid=campaign-messages]", "报名邀请").await;
    let disabled = "return document.querySelector('[data-testid=message-reminder]').disabled;";
    assert_eq!(staff.eval(disabled).await, true);
    staff.close().await;

    // The parent stops the texts on their page, and takes them back.
    let family = app.meeting_family(&school, Some(campaign)).await;
    let opted_out = "SELECT COUNT(*) FROM guardians WHERE opted_out_at IS NOT NULL";
    let phone = Browser::start(390, 844).await;
    phone.goto(&app.url(&format!("/f#t={}", token_of(&family.url)))).await;
    phone.click("[data-testid=privacy-close]").await;
    phone.wait_for_text("[data-testid=messages-state]", "短信发送").await;
    phone.click("[data-testid=messages-toggle]").await;
    phone.wait_for_text("[data-testid=messages-state]", "已退订").await;
    assert!(app.query_i64(opted_out).await >= 1);
    phone.wait_for_text("[data-testid=messages-toggle]", "重新接收").await;
    phone.click("[data-testid=messages-toggle]").await;
    phone.wait_for_text("[data-testid=messages-state]", "短信发送").await;
    assert_eq!(app.query_i64(opted_out).await, 0);
    phone.close().await;
}
