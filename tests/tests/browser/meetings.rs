//! Parents' meetings in a real browser: a parent on a phone (390×844) opens their link, answers,
//! adds a concern and changes the answer; the counselor's tablet page (1024×768) shows it and
//! takes attendance; axe-core finds no serious accessibility problem on the parent's pages.

use std::time::Duration;

use shared::meetings::{Attendance, Signups};
use tests::browser::Browser;
use tests::meetings::{axe_source, axe_violations, meeting_input, SeededMeeting};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_answers_on_a_phone_and_the_counselor_takes_attendance_on_a_tablet() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { school, staff, meeting, links } = app.seed_meeting().await;
    let class = &school.colleges[0].classes[0];
    let mine = &links.families[0];
    let child = mine.student_name.clone().unwrap();
    // Another class's meeting, which this parent must never see.
    let other_class = &school.colleges[0].classes[1];
    let other_staff = app.signed_in(&other_class.counselor).await;
    let mut other_input = meeting_input(other_class.id, 40, 3);
    other_input.theme = "二班专属家长会".into();
    app.create_meeting(&other_staff, &other_input).await;

    let phone = Browser::start(390, 844).await;
    phone.goto(&app.url(&format!("/f#t={}", tests::meetings::token_of(mine.url.as_deref().unwrap())))).await;
    phone.wait_for_text("[data-testid=family-theme]", "学业规划与就业指导").await;
    phone.wait_for_text("[data-testid=family-child]", &child).await;
    let address = phone.eval("return location.pathname + location.hash;").await;
    assert_eq!(address, "/f", "the token is gone from the address bar");
    phone.screenshot(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("meeting-parent-top.png")).await;

    phone.click("[data-testid=answer-in_person]").await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名到场参加").await;
    phone
        .client()
        .find(fantoccini::Locator::Css("[data-testid=concern-topic]"))
        .await
        .unwrap()
        .select_by_value("employment")
        .await
        .unwrap();
    phone.fill("[data-testid=concern-text]", "想了解实习和就业机会").await;
    phone.click("[data-testid=concern-add]").await;
    phone.wait_for_text("[data-testid=my-concerns]", "想了解实习和就业机会").await;
    phone.click("[data-testid=answer-online]").await;
    phone.wait_for_text("[data-testid=answer-status]", "已报名线上参加").await;
    let sideways = phone.eval("return document.documentElement.scrollWidth > window.innerWidth;").await;
    assert_eq!(sideways, false, "no horizontal scrolling on a phone");
    let body = phone.eval("return document.body.innerText;").await.as_str().unwrap().to_string();
    assert!(!body.contains("二班专属家长会") && !body.contains(tests::GUARDIAN_PHONE), "{body}");

    phone.screenshot(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("meeting-parent.png")).await;
    match axe_source() {
        Some(axe) => {
            let violations = axe_violations(&phone, &axe).await;
            assert!(violations.is_empty(), "parent's page: {violations:#?}");
        }
        None => eprintln!("note: npm could not install axe-core: accessibility check skipped"),
    }

    // The counselor's page on a tablet, in the field app where they land, shows it and takes
    // attendance.
    let tablet = Browser::start(1024, 768).await;
    tablet.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
    tablet.goto(&app.field_url(&format!("/meetings/{}", meeting.id))).await;
    tablet.wait_for_text("[data-testid=count-online]", "1").await;
    tablet.wait_for_text("[data-testid=concerns]", "想了解实习和就业机会").await;
    let mut qr_shown = false;
    for _ in 0..50 {
        let js = "const i = document.querySelector('img.qr'); return !!i && i.complete && i.naturalWidth > 0;";
        qr_shown = tablet.eval(js).await == true;
        if qr_shown {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(qr_shown, "the class link's QR code is shown");
    let student_id = class.students.iter().find(|s| s.name == child).unwrap().id;
    tablet.click(&format!("[data-testid=attend-{student_id}]")).await;
    let path = format!("/api/meetings/{}/signups", meeting.id);
    let mut attended = false;
    for _ in 0..50 {
        let signups: Signups = app.get_json(&staff, &path).await;
        attended = signups.families.iter().any(|f| f.student_id == student_id && f.attended);
        if attended {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(attended, "tapping the name took attendance");
    tablet.screenshot(std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("meeting-counselor.png")).await;
    let sideways = tablet.eval("return document.documentElement.scrollWidth > window.innerWidth;").await;
    assert_eq!(sideways, false, "no horizontal scrolling on the tablet");

    // Live: a change on the parent's side reaches the open page without a reload.
    let second = &links.families[1];
    let (family, _) = app.family(second.url.as_deref().unwrap()).await;
    let _ = app.answer(&family, Attendance::Absent, 1).await;
    tablet.wait_for_text("[data-testid=count-absent]", "1").await;

    // Another family's link on the same phone: their child, and nothing of the first family.
    phone.goto(&app.url(&format!("/f#t={}", tests::meetings::token_of(second.url.as_deref().unwrap())))).await;
    phone.wait_for_text("[data-testid=family-child]", &second.student_name.clone().unwrap()).await;
    phone.wait_for_text("[data-testid=answer-status]", "无法参加").await;
    let body = phone.eval("return document.body.innerText;").await.as_str().unwrap().to_string();
    assert!(!body.contains("想了解实习和就业机会"), "{body}");

    // A class link: identification on the phone, also free of serious accessibility problems.
    let class_url = links.class_link.clone().unwrap().url.unwrap();
    phone.goto(&app.url(&format!("/f#c={}", tests::meetings::token_of(&class_url)))).await;
    phone.wait_for_text("h1", "学业规划与就业指导").await;
    if let Some(axe) = axe_source() {
        let violations = axe_violations(&phone, &axe).await;
        assert!(violations.is_empty(), "identification page: {violations:#?}");
    }
    let third = &class.students[2];
    phone.fill("[data-testid=student-no]", &third.student_no).await;
    phone.fill("[data-testid=last-four]", &tests::GUARDIAN_PHONE[7..]).await;
    phone.click("button[type=submit]").await;
    phone.wait_for_text("[data-testid=family-child]", &third.name).await;
    phone.close().await;
    tablet.close().await;
}
