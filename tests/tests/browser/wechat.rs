//! WeChat: the parent's page inside WeChat's built-in browser (its user agent, a 360×640 phone),
//! where the calendar file cannot be downloaded; and the counselor's sharing for the class's
//! WeChat group — a poster and a QR code as PNG, and the invitation text to copy.

use tests::browser::{Browser, WECHAT_USER_AGENT};
use tests::meetings::{token_of, SeededMeeting};
use tests::offline::eval_async;

async fn wait_until(browser: &Browser, js: &str) {
    for _ in 0..100 {
        if browser.eval(js).await == true {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("not true within 10 s: {js}");
}

/// A parent who does not know the student number opens the class link in WeChat, names the
/// child, and sees the time and place to copy instead of the calendar download; the session
/// cookie keeps them in when the page is opened again; no service worker, a clean history.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parents_page_works_inside_wechat_on_a_small_phone() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { school, links, .. } = app.seed_meeting().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[1];
    let class_url = links.class_link.and_then(|l| l.url).expect("a class link");

    let phone = Browser::start_as(360, 640, WECHAT_USER_AGENT).await;
    let agent = phone.eval("return navigator.userAgent;").await;
    assert!(agent.as_str().unwrap().contains("MicroMessenger"), "{agent}");
    phone.goto(&app.url(&format!("/f#c={}", token_of(&class_url)))).await;
    phone.wait_for_text("main", &class.name).await;
    phone.click("[data-testid=identify-switch]").await;
    phone.fill("[data-testid=student-name]", &student.name).await;
    phone.fill("[data-testid=last-four]", &tests::GUARDIAN_PHONE[7..]).await;
    phone.click("main button[type=submit]").await;
    phone.wait_for_text("[data-testid=family-child]", &student.name).await;
    assert_eq!(phone.eval("return location.pathname + location.hash;").await, "/f", "the token left the address");

    // No silent download: the time and place, to copy, and how to reach the calendar.
    assert_eq!(phone.eval("return !!document.querySelector('[data-testid=ics]');").await, false);
    let note = phone.wait_for_text("[data-testid=wechat-calendar]", "在浏览器打开").await;
    assert!(note.contains("教学楼 A101") && note.contains("学业规划与就业指导"), "{note}");
    let when = phone.eval("return document.querySelector('[data-testid=family-when]').innerText;").await;
    let text = phone.eval("return document.querySelector('[data-testid=wechat-calendar-text]').innerText;").await;
    assert!(text.as_str().unwrap().contains(when.as_str().unwrap()), "{text} has {when}");
    phone.click("[data-testid=wechat-copy]").await;
    // Copied, or (where the browser refuses the Clipboard API, as WeChat may) how to copy by hand.
    let said = phone.wait_for_text_without("[data-testid=wechat-copy]", "", "复制时间和地点").await;
    assert!(said.contains("已复制") || said.contains("长按"), "{said}");
    assert!(!phone.scrolls_sideways().await, "fits 360 px");

    // Answering works, and the page opened again (no link) is still theirs: the cookie held.
    phone.click("[data-testid=answer-online]").await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名线上参加").await;
    phone.goto(&app.url("/f")).await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名线上参加").await;
    let workers = eval_async(
        &phone,
        "return navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).length : 0;",
    )
    .await;
    assert_eq!(workers, 0, "no service worker on the parent's page");
    phone.close().await;
}

/// The counselor's meeting page draws a poster (theme, class, time, place, the class QR code)
/// as a PNG, offers the QR code as a PNG, and copies an invitation text with the class link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counselor_shares_the_meeting_in_the_class_wechat_group() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { school, meeting, links, .. } = app.seed_meeting().await;
    let class = &school.colleges[0].classes[0];
    let class_url = links.class_link.and_then(|l| l.url).expect("a class link");

    let tablet = Browser::start(1024, 768).await;
    tablet.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    tablet.goto(&app.url(&format!("/meetings/{}", meeting.id))).await;
    tablet.wait_for_text("[data-testid=class-link]", "").await;

    tablet.click("[data-testid=make-poster]").await;
    wait_until(
        &tablet,
        "const i = document.querySelector('[data-testid=poster]'); return !!i && i.complete && i.naturalWidth > 0;",
    )
    .await;
    let poster = tablet
        .eval(
            "const i = document.querySelector('[data-testid=poster]'); \
             return [i.src.slice(0, 22), i.naturalWidth, i.naturalHeight, i.alt];",
        )
        .await;
    assert_eq!(poster[0], "data:image/png;base64,", "{poster}");
    assert!(
        poster[1].as_u64().unwrap() >= 720 && poster[2].as_u64().unwrap() > poster[1].as_u64().unwrap(),
        "{poster}"
    );
    let alt = poster[3].as_str().unwrap();
    assert!(alt.contains("学业规划与就业指导") && alt.contains(&class.name) && alt.contains("教学楼 A101"), "{alt}");
    let download =
        tablet.eval("return document.querySelector('[data-testid=poster-download]').getAttribute('download');").await;
    assert!(download.as_str().unwrap().ends_with(".png"), "{download}");

    tablet.click("[data-testid=qr-png]").await;
    wait_until(&tablet, "const a = document.querySelector('[data-testid=qr-png-link]'); return !!a && a.href.startsWith('data:image/png');").await;

    tablet.click("[data-testid=copy-invitation]").await;
    let text = tablet.eval("return document.querySelector('[data-testid=invitation-text]').value;").await;
    let text = text.as_str().unwrap();
    assert!(text.contains(&class_url) && text.contains("学业规划与就业指导") && text.contains("教学楼 A101"), "{text}");
    assert!(text.contains("学号") && text.contains("姓名"), "how to identify: {text}");
    tablet.close().await;
}
