//! The parent's slim page (`/f`, its own program): everything a parent can do there, on a phone —
//! the party size, a changed answer, a concern added and removed, the language switch (kept on
//! the next visit), the calendar file, withdrawing, and feedback after the meeting — and how the
//! server sends it (its own start page at `/f`, pre-compressed, hashed files cached for a year).

use shared::meetings::FamilyPage;
use tests::browser::Browser;
use tests::meetings::{token_of, SeededMeeting};
use tests::offline::eval_async;

/// The class link from the group chat: the parent names the child by student number and the
/// last four digits of their phone, is refused with the server's own message when they do not
/// match, and gets in when they do; a link that does not exist says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_identifies_through_the_class_link_and_bad_links_say_why() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { school, links, .. } = app.seed_meeting().await;
    let class = &school.colleges[0].classes[0];
    let student = &class.students[1];
    let class_url = links.class_link.and_then(|l| l.url).expect("a class link");

    let phone = Browser::start(390, 844).await;
    phone.goto(&app.url(&format!("/f#c={}", token_of(&class_url)))).await;
    phone.wait_for_text("main", "学业规划与就业指导").await;
    phone.wait_for_text("main", &class.name).await;
    phone.fill("[data-testid=student-no]", &student.student_no).await;
    phone.fill("[data-testid=last-four]", "0000").await;
    phone.click("main button[type=submit]").await;
    let refused = phone.wait_for_text("[data-testid=identify-error]", "").await;
    assert!(!refused.trim().is_empty() && !refused.contains("服务器错误"), "the server's own message: {refused}");

    phone.fill("[data-testid=last-four]", &tests::GUARDIAN_PHONE[7..]).await;
    phone.click("main button[type=submit]").await;
    phone.wait_for_text("[data-testid=family-child]", &student.name).await;
    phone.click("[data-testid=answer-online]").await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名线上参加").await;

    phone.goto(&app.url("/f#t=no-such-link")).await;
    let error = phone.wait_for_text("[data-testid=family-error]", "").await;
    assert!(!error.trim().is_empty() && !error.contains("服务器错误"), "why the link does not open: {error}");
    phone.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_does_everything_the_page_offers() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { staff, meeting, links, .. } = app.seed_meeting().await;
    let url = links.families[0].url.clone().unwrap();

    let phone = Browser::start(390, 844).await;
    phone.goto(&app.url(&format!("/f#t={}", token_of(&url)))).await;
    phone.wait_for_text("[data-testid=family-theme]", "学业规划与就业指导").await;
    let slim = phone.eval("return performance.getEntriesByType('resource').map((e) => e.name).join(' ');").await;
    assert!(slim.as_str().unwrap().contains("/f/family-"), "the parent's own program: {slim}");

    // Two people, then a third: a changed size is sent at once.
    phone.choose("[data-testid=people]", "2").await;
    phone.click("[data-testid=answer-in_person]").await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名到场参加，2 人").await;
    phone.choose("[data-testid=people]", "3").await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名到场参加，3 人").await;

    // A concern, added and removed.
    phone.fill("[data-testid=concern-text]", "想了解转专业政策").await;
    phone.click("[data-testid=concern-add]").await;
    phone.wait_for_text("[data-testid=my-concerns]", "想了解转专业政策").await;
    phone.click("[data-testid=my-concerns] button").await;
    wait_until(&phone, "return !document.querySelector('[data-testid=my-concerns] li');").await;

    // English, also after the page is opened again (the session cookie, no link this time).
    phone.click("[data-testid=lang-toggle]").await;
    phone.wait_for_text("[data-testid=answer-status]", "You are coming in person: 3 people.").await;
    phone.goto(&app.url("/f")).await;
    phone.wait_for_text("[data-testid=answer-status]", "You are coming in person: 3 people.").await;
    assert_eq!(phone.eval("return document.documentElement.lang;").await, "en");

    // The calendar file the button downloads.
    let ics = "const a = document.querySelector('[data-testid=ics]'); \
               const r = await fetch(a.href); return [a.download, r.headers.get('content-type'), await r.text()];";
    let ics = eval_async(&phone, ics).await;
    assert_eq!(ics[0], "meeting.ics");
    assert!(ics[1].as_str().unwrap().starts_with("text/calendar"), "{ics}");
    assert!(ics[2].as_str().unwrap().contains("BEGIN:VCALENDAR"), "{ics}");

    // Withdrawn: no answer any more.
    phone.click("[data-testid=withdraw]").await;
    phone.wait_for_text("[data-testid=answer-status]", "You have not answered yet.").await;
    let (family, _) = app.family(&url).await;
    let page: FamilyPage = app.get_json(&family, "/api/family/me").await;
    assert!(page.answer.is_none(), "withdrawn on the server too");

    // After the meeting: feedback, in Chinese again.
    let held = format!("/api/meetings/{}/held", meeting.id);
    assert!(app.post_json(&staff, &held, &()).await.status().is_success());
    phone.click("[data-testid=lang-toggle]").await;
    phone.goto(&app.url("/f")).await;
    phone.click("[data-testid=rating-4]").await;
    phone.fill("#suggestions", "希望多讲就业").await;
    phone.click("[data-testid=feedback-send]").await;
    phone.wait_for_text("[data-testid=feedback-thanks]", "感谢您的反馈").await;
    let page: FamilyPage = app.get_json(&family, "/api/family/me").await;
    let feedback = page.feedback.expect("feedback stored");
    assert_eq!((feedback.rating, feedback.suggestions.as_str()), (4, "希望多讲就业"));
    assert!(!phone.scrolls_sideways().await, "no horizontal scrolling on a phone");
    phone.close().await;
}

#[tokio::test]
async fn the_parents_page_is_sent_slim_compressed_and_cached() {
    let Some(dist) = tests::static_dir().filter(|d| d.join("f/index.html").is_file()) else {
        eprintln!("note: no built parent's page (frontend/dist/f): skipped");
        return;
    };
    let app = tests::spawn_app().await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let family_index = std::fs::read_to_string(dist.join("f/index.html")).unwrap();
    for path in ["/f", "/f/"] {
        let response = client.get(app.url(path)).header("accept-encoding", "br, gzip").send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}: its own page at once, no redirect");
        assert_eq!(response.headers()["content-encoding"], "br", "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_string();
        assert!(csp.contains("'sha256-"), "the start-up scripts are allowed by hash: {csp}");
    }
    let plain = client.get(app.url("/f")).send().await.unwrap().text().await.unwrap();
    assert_eq!(plain, family_index);
    let staff_page = client.get(app.url("/meetings")).send().await.unwrap().text().await.unwrap();
    assert!(!staff_page.contains("/f/family-"), "other routes keep the staff app");
    let wasm = family_index.split('"').find(|s| s.starts_with("/f/family-") && s.ends_with(".wasm")).unwrap();
    let response = client.get(app.url(wasm)).header("accept-encoding", "br").send().await.unwrap();
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
}

async fn wait_until(phone: &Browser, js: &str) {
    for _ in 0..100 {
        if phone.eval(js).await == true {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("not true within 10 s: {js}");
}
