//! Typical cases and photos on the counselor's tablet (1024×768): a visit flagged with a story
//! and a photo attached, shrunk in the browser to a JPEG of at most 1600 px, shown as a
//! thumbnail; and a visit logged offline with a photo, which reaches the server once, with its
//! photo, when the network returns.

use fantoccini::Locator;
use tests::browser::Browser;
use tests::cases::png;
use tests::offline::{eventually, outbox_text, set_offline, wait_for_service_worker};
use tests::visits::{full_visit, setup};
use tests::TestApp;

/// A picture larger than the tablet keeps (2400×1800), written where the browser can read it.
fn big_picture(app: &TestApp) -> String {
    let path = app.dir.path().join("家访照片.png");
    std::fs::write(&path, png(2400, 1800)).expect("writing the picture");
    path.display().to_string()
}

async fn choose_file(browser: &Browser, css: &str, path: &str) {
    let input = browser.client().wait().for_element(Locator::Css(css)).await.expect("the file input");
    input.send_keys(path).await.expect("choosing the file");
}

/// A JPEG's width and height, from its start-of-frame segment.
fn jpeg_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..3], &[0xFF, 0xD8, 0xFF], "a JPEG");
    let mut at = 2;
    while at + 9 < bytes.len() {
        let (marker, length) = (bytes[at + 1], usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]])));
        if (0xC0..=0xC2).contains(&marker) {
            let height = u16::from_be_bytes([bytes[at + 5], bytes[at + 6]]);
            let width = u16::from_be_bytes([bytes[at + 7], bytes[at + 8]]);
            return (width.into(), height.into());
        }
        at += 2 + length;
    }
    panic!("no frame header in the JPEG");
}

async fn stored_photos(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    sqlx::query_as("SELECT content_type, content FROM visit_photos ORDER BY id").fetch_all(&app.db.read).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_flags_a_typical_case_and_attaches_a_photo_shrunk_on_the_tablet() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let visit = app.log_visit(&counselor, &full_visit(campaign, class.students[0].id, class.counselor.id)).await;
    let browser = Browser::start(1024, 768).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.goto(&app.url(&format!("/visit/{}", visit.id))).await;

    browser.fill("[data-testid=case-story-input]", "学生在家访后主动参加学业帮扶，成绩进步明显").await;
    browser.click("[data-testid=flag-case]").await;
    browser.wait_for_text("[data-testid=case-story]", "成绩进步明显").await;
    browser.wait_for_text("[data-testid=case-flagged]", "").await;
    let story: String = sqlx::query_scalar("SELECT story FROM visit_cases").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(story, "学生在家访后主动参加学业帮扶，成绩进步明显");

    choose_file(&browser, "[data-testid=case-panel] [data-testid=photo-input]", &big_picture(&app)).await;
    browser.wait_for_text("[data-testid=photo-count]", "1").await;
    let loaded = "const img = document.querySelector('[data-testid=visit-photo]'); \
                  return !!img && img.complete && img.naturalWidth > 0;";
    eventually("the thumbnail shows", 10, || async { browser.eval(loaded).await == true }).await;
    let photos = stored_photos(&app).await;
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].0, "image/jpeg", "shrunk and re-encoded on the tablet");
    assert_eq!(jpeg_size(&photos[0].1), (1600, 1200), "the longer side at 1600 px");

    // Unflagged again: the story goes, the photo stays.
    browser.click("[data-testid=unflag-case]").await;
    eventually("unflagged", 10, || async { app.query_i64("SELECT COUNT(*) FROM visit_cases").await == 0 }).await;
    assert_eq!(app.photo_count(visit.id).await, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_visit_logged_offline_with_a_photo_reaches_the_server_once_with_its_photo() {
    if !Browser::ready() {
        return;
    }
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[1];
    let browser = Browser::start(1024, 768).await;
    browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    browser.goto(&app.url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=students]", &student.name).await;
    wait_for_service_worker(&browser).await;

    set_offline(&browser, true).await;
    browser.click("[data-testid=log-visit]").await;
    browser.wait_for_text("[data-testid=visit-student]", &student.name).await;
    browser.choose("[data-testid=visit-student]", &student.id.to_string()).await;
    browser.click("[data-testid=aspect-career]").await;
    choose_file(&browser, "[data-testid=photo-input]", &big_picture(&app)).await;
    let queued = "return document.querySelectorAll('[data-testid=queued-photo]').length;";
    eventually("the photo shrunk and shown", 10, || async { browser.eval(queued).await == 1 }).await;
    browser.click("[data-testid=save-visit]").await;
    browser.wait_for_text("[data-testid=pending-count]", "1").await;
    browser.wait_for_text("[data-testid=pending-photos]", "1").await;
    assert!(outbox_text(&browser).await.contains("data:image/jpeg;base64,"), "the photo waits on the device");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);

    set_offline(&browser, false).await;
    eventually("the visit and its photo stored", 30, || async {
        app.query_i64("SELECT COUNT(*) FROM visit_photos").await == 1
    })
    .await;
    browser.wait_for_text("[data-testid=all-synced]", "").await;
    assert_eq!(outbox_text(&browser).await, "[]", "nothing left on the device");
    browser.click("[data-testid=sync-now]").await;
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1, "stored once");
    let photos = stored_photos(&app).await;
    assert_eq!(photos.len(), 1, "the photo stored once");
    assert_eq!(jpeg_size(&photos[0].1), (1600, 1200));
    let on_visit = app
        .query_i64(&format!(
            "SELECT COUNT(*) FROM visits v JOIN visit_photos p ON p.visit_id = v.id WHERE v.student_id = {}",
            student.id
        ))
        .await;
    assert_eq!(on_visit, 1, "on the visit logged offline");
    browser.close().await;
}
