//! The counselor's tablet never loses a visit (issue 13, items 3 and 4): visits with long notes
//! go out in requests the server takes, a request refused for its size is halved down to single
//! visits, a visit that cannot be sent stays with the reason until its author discards it, and
//! a tablet shared by several counselors keeps each one's unsent visits for them, whoever signs
//! in or out meanwhile, online or not. All in the field app (`/field/`), as counselors use it.

use reqwest::StatusCode;
use tests::browser::Browser;
use tests::offline::{
    block_sync, block_urls, eventually, kv_keys, log_visit, outbox_text, session_cookie, set_offline,
    wait_for_service_worker,
};
use tests::visits::{long_text, setup};
use tests::{ClassFixture, School, TestApp};

/// Signs `class`'s counselor in on a tablet held upright, opens the campaign's page in the field
/// app, where counselors work (its lists are then kept on the device), and waits until the app
/// works offline.
async fn counselor_on_tablet(app: &TestApp, class: &ClassFixture, campaign: i64) -> Browser {
    let browser = Browser::start(768, 1024).await;
    open_campaign(&browser, app, class, campaign).await;
    wait_for_service_worker(&browser).await;
    browser
}

/// A fresh server, and the first class's counselor on a tablet; `None` (the test skips) without
/// a built front end or a browser.
async fn first_counselor_on_tablet() -> Option<(TestApp, School, i64, Browser)> {
    if !Browser::ready() {
        return None;
    }
    let (app, school, campaign) = setup().await;
    let browser = counselor_on_tablet(&app, &school.colleges[0].classes[0], campaign).await;
    Some((app, school, campaign, browser))
}

async fn open_campaign(browser: &Browser, app: &TestApp, class: &ClassFixture, campaign: i64) {
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.goto(&app.field_url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=students]", &class.students[0].name).await;
}

/// `/api/auth/me` with a cookie the browser held.
async fn me_status(app: &TestApp, cookie: &str) -> StatusCode {
    let response = reqwest::Client::new().get(app.url("/api/auth/me")).header("cookie", cookie).send().await;
    response.expect("asking who is signed in").status()
}

async fn signed_out(browser: &Browser) {
    browser.wait_for_text("#username", "").await;
    assert_eq!(browser.eval("return !!document.querySelector('[data-testid=who]')").await, false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_visits_with_long_notes_logged_offline_all_reach_the_server_exactly_once() {
    let Some((app, school, _, browser)) = first_counselor_on_tablet().await else { return };
    let class = &school.colleges[0].classes[0];
    set_offline(&browser, true).await;
    // Each visit's texts as long as the form takes: some 60 KB of JSON, 3.6 MB in all, where
    // fifty in one request would be far over any body limit.
    let (notes, sensitive) = (long_text(5000), long_text(5000));
    for i in 0..60 {
        log_visit(&browser, &class.students[i % 3], &notes, &sensitive, i + 1).await;
    }
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);

    set_offline(&browser, false).await;
    eventually("sixty visits stored", 60, || async { app.query_i64("SELECT COUNT(*) FROM visits").await == 60 }).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    assert_eq!(app.query_i64("SELECT COUNT(DISTINCT client_id) FROM visits").await, 60);
    let record: String = sqlx::query_scalar("SELECT record FROM visits LIMIT 1").fetch_one(&app.db.read).await.unwrap();
    let record: shared::visits::VisitRecord = serde_json::from_str(&record).unwrap();
    assert_eq!((record.notes, record.sensitive_notes), (notes, Some(sensitive)), "kept whole, decrypted");
    browser.click("[data-testid=sync-now]").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 60, "sent once");
    browser.close().await;
}

/// A server (or a proxy before it) that takes smaller requests than the tablet builds: the
/// refused request is halved until single visits go; a visit larger than the limit alone stays
/// on the tablet, shown as too large, until its author discards it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_refused_for_its_size_is_halved_down_to_single_visits_and_one_too_large_alone_stays_shown() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app_with(|config| config.max_sync_body_bytes = 48 * 1024).await;
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let browser = counselor_on_tablet(&app, class, campaign).await;
    set_offline(&browser, true).await;
    // Four visits of some 36 KB: one fits the limit, two together do not.
    let (notes, sensitive) = (long_text(3000), long_text(3000));
    for i in 0..4 {
        log_visit(&browser, &class.students[i % 3], &notes, &sensitive, i + 1).await;
    }
    // And one of 60 KB, larger than the limit alone.
    log_visit(&browser, &class.students[2], &long_text(5000), &long_text(5000), 5).await;

    set_offline(&browser, false).await;
    let row = browser.wait_for_text("[data-testid=pending-visit]", "payload_too_large").await;
    assert!(row.contains("记录太大") && row.contains(&class.students[2].name), "{row}");
    browser.wait_for_text("[data-testid=pending-count]", "1").await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 4);
    assert_eq!(app.query_i64("SELECT COUNT(DISTINCT client_id) FROM visits").await, 4);

    // It stays across a reload, until its author discards it.
    browser.client().refresh().await.expect("reloading");
    browser.wait_for_text("[data-testid=pending-reason]", "记录太大").await;
    browser.wait_for_text("[data-testid=pending-code]", "payload_too_large").await;
    assert!(outbox_text(&browser).await.contains("payload_too_large"));
    browser.click("[data-testid=pending-discard]").await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    assert_eq!(outbox_text(&browser).await, "[]");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 4);
    browser.close().await;
}

/// Two visits into a campaign closed while the tablet was offline: both stay, with the reason,
/// through sign-out and sign-in; one goes when its author discards it, the other when they send
/// it again after the campaign is reopened.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_the_server_refuses_stays_on_the_tablet_with_the_reason_until_its_author_discards_it() {
    let Some((app, school, campaign, browser)) = first_counselor_on_tablet().await else { return };
    let class = &school.colleges[0].classes[0];
    set_offline(&browser, true).await;
    log_visit(&browser, &class.students[0], "活动结束前的家访", "敏感内容", 1).await;
    log_visit(&browser, &class.students[1], "另一条家访", "敏感内容", 2).await;
    app.close_campaign(campaign).await;
    set_offline(&browser, false).await;
    eventually("both refused", 10, || async { outbox_text(&browser).await.matches("campaign_closed").count() == 2 })
        .await;
    refused_rows(&browser, &class.students[..2]).await;

    // Signing out and in again keeps them, with their reason.
    browser.click("[data-testid=sign-out]").await;
    signed_out(&browser).await;
    browser.wait_for_text("[data-testid=device-waiting-count]", "2").await;
    open_campaign(&browser, &app, class, campaign).await;
    browser.wait_for_text("[data-testid=pending-count]", "2").await;
    refused_rows(&browser, &class.students[..2]).await;
    assert!(!outbox_text(&browser).await.contains("敏感内容"), "still encrypted");

    // The first row is discarded: never sent.
    let first = browser.wait_for_text("[data-testid=pending-visit]", "").await;
    browser.click("[data-testid=pending-discard]").await;
    browser.wait_for_text("[data-testid=pending-count]", "1").await;
    let left = browser.wait_for_text("[data-testid=pending-visit]", "").await;
    assert_ne!(first, left);
    // The campaign reopened, the other is sent again and stored.
    sqlx::query("UPDATE campaigns SET status = 'active' WHERE id = $1")
        .bind(campaign)
        .execute(&app.db.write)
        .await
        .expect("reopening the campaign");
    browser.click("[data-testid=pending-retry]").await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    assert_eq!(outbox_text(&browser).await, "[]");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1);
    browser.close().await;
}

/// Each student's visit is listed as refused, with the server's reason and code.
async fn refused_rows(browser: &Browser, students: &[tests::StudentFixture]) {
    for student in students {
        let row = browser.wait_for_text("[data-testid=pending-visit]", &student.name).await;
        assert!(row.contains("该活动已结束") && row.contains("campaign_closed"), "{row}");
    }
}

/// Counselor A's visits cannot be sent when A signs out (online); B signs in on the same
/// tablet, works and signs out; A's visits are still there when A signs in again, and go out
/// under A's name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unsent_visits_survive_another_user_signing_out_and_go_out_under_their_authors_name() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let (a, b) = (&school.colleges[0].classes[0], &school.colleges[0].classes[1]);
    let browser = counselor_on_tablet(&app, a, campaign).await;
    set_offline(&browser, true).await;
    log_visit(&browser, &a.students[0], "A 的第一条", "只属于 A", 1).await;
    log_visit(&browser, &a.students[1], "A 的第二条", "只属于 A", 2).await;
    // Back online, but the sync does not get through before A leaves.
    block_sync(&browser, true).await;
    set_offline(&browser, false).await;
    browser.click("[data-testid=sign-out]").await;
    signed_out(&browser).await;
    browser.wait_for_text("[data-testid=device-waiting-count]", "2").await;
    assert!(kv_keys(&browser).await.iter().all(|k| k.starts_with("key:")), "A's lists are gone");
    block_sync(&browser, false).await;

    open_campaign(&browser, &app, b, campaign).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    let page = browser.wait_for_text("main", "").await;
    assert!(!page.contains(&a.students[0].name), "B sees none of A's visits: {page}");
    set_offline(&browser, true).await;
    log_visit(&browser, &b.students[0], "B 的记录", "只属于 B", 1).await;
    set_offline(&browser, false).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    browser.click("[data-testid=sign-out]").await;
    signed_out(&browser).await;
    let stored = outbox_text(&browser).await;
    assert!(stored.contains("A 的第一条") && stored.contains("A 的第二条"), "{stored}");
    assert!(!stored.contains("只属于"), "sensitive notes stay encrypted: {stored}");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1, "only B's");

    open_campaign(&browser, &app, a, campaign).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    let authors: Vec<(i64, String)> = sqlx::query_as("SELECT author_id, record FROM visits ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .expect("the visits");
    assert_eq!(authors.len(), 3);
    assert_eq!(authors[0].0, b.counselor.id.get());
    for (author, record) in &authors[1..] {
        assert_eq!(*author, a.counselor.id.get());
        assert!(record.contains("只属于 A"), "decrypted with A's key: {record}");
    }
    browser.close().await;
}

/// Chosen: signing out without network ends the session on the tablet at once (the app never
/// uses it again, so a reload shows the sign-in page) and on the server as soon as the network
/// returns.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_out_offline_ends_the_session_on_the_tablet_at_once_and_on_the_server_when_the_network_returns() {
    let Some((app, school, campaign, browser)) = first_counselor_on_tablet().await else { return };
    let class = &school.colleges[0].classes[0];
    let cookie = session_cookie(&browser).await;
    assert_eq!(me_status(&app, &cookie).await, StatusCode::OK);

    set_offline(&browser, true).await;
    log_visit(&browser, &class.students[0], "离线退出前的记录", "敏感", 1).await;
    browser.click("[data-testid=sign-out]").await;
    signed_out(&browser).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(me_status(&app, &cookie).await, StatusCode::OK, "the server has not heard yet");

    // Chromium's offline emulation does not reliably hold across a reload (the reloaded page may
    // reach the network), so the sign-out request itself stays cut off while the page reloads:
    // the tablet must stay signed out on its own, and the session must not be used meanwhile.
    block_urls(&browser, &["*/api/auth/logout"]).await;
    set_offline(&browser, false).await;
    browser.client().refresh().await.expect("reloading with the sign-out still cut off");
    signed_out(&browser).await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    signed_out(&browser).await;
    assert_eq!(me_status(&app, &cookie).await, StatusCode::OK, "still alive on the server, unused");

    // With the network really back, the next start sends the sign-out.
    block_urls(&browser, &[]).await;
    browser.client().refresh().await.expect("reloading online");
    eventually("the old session ended on the server", 10, || async {
        me_status(&app, &cookie).await == StatusCode::UNAUTHORIZED
    })
    .await;
    signed_out(&browser).await;
    browser.wait_for_text("[data-testid=device-waiting-count]", "1").await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0, "nothing sent after the sign-out");

    // Back in, the visit goes out under the counselor's name.
    open_campaign(&browser, &app, class, campaign).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    let author: i64 = sqlx::query_scalar("SELECT author_id FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(author, class.counselor.id.get());
    browser.close().await;
}

/// The server ends the session (401): that user's cached lists leave the tablet at once, their
/// unsent visits and the key that reads them stay.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_wipes_the_users_cached_lists_but_not_their_unsent_visits() {
    let Some((app, school, campaign, browser)) = first_counselor_on_tablet().await else { return };
    let class = &school.colleges[0].classes[0];
    let lists = format!("u{}:students:{campaign}", class.counselor.id);
    assert!(kv_keys(&browser).await.contains(&lists), "{:?}", kv_keys(&browser).await);
    set_offline(&browser, true).await;
    log_visit(&browser, &class.students[0], "会话结束前的记录", "敏感", 1).await;

    sqlx::query("DELETE FROM sessions").execute(&app.db.write).await.expect("ending the sessions");
    // Back online, the sync is answered 401.
    set_offline(&browser, false).await;
    signed_out(&browser).await;
    eventually("the lists wiped", 10, || async { kv_keys(&browser).await == [format!("key:{}", class.counselor.id)] })
        .await;
    assert!(outbox_text(&browser).await.contains("会话结束前的记录"), "the unsent visit stays");

    open_campaign(&browser, &app, class, campaign).await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    let record: String = sqlx::query_scalar("SELECT record FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert!(record.contains("敏感"), "{record}");
    browser.close().await;
}
