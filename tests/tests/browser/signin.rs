//! Issue 2's promises in a real browser: staff sign in on a phone and on a desktop, see their
//! part of the organisation, switch language, and cannot open what is not theirs.

use tests::browser::Browser;
use tests::TestApp;

/// The built front end and chromedriver, or a note saying why the test is skipped.
pub(crate) async fn ready() -> Option<(TestApp, tests::School)> {
    if !Browser::ready() {
        return None;
    }
    let app = tests::spawn_app().await;
    let school = app.seed_school().await;
    Some((app, school))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_signs_in_on_a_phone_and_on_a_desktop_and_sees_their_students() {
    let Some((app, school)) = ready().await else { return };
    let class = &school.colleges[0].classes[0];
    let other = &school.colleges[0].classes[1];
    for (width, height) in [(390, 844), (1280, 800)] {
        let browser = Browser::start(width, height).await;
        browser.sign_in(&app.address, &class.counselor.username, &class.counselor.password).await;
        let who = browser.wait_for_text("[data-testid=who]", &class.counselor.username).await;
        assert!(who.contains("辅导员"), "the role is shown in Chinese by default: {who}");
        // A counselor lands in the field app; the desk's home page is one link away.
        browser.click("[data-testid=to-desk]").await;
        // A counselor sees one college, so the home page lists its classes directly.
        browser.wait_for_text("[data-testid=classes]", &class.name).await;
        let classes = browser.wait_for_text("[data-testid=classes]", "").await;
        assert!(!classes.contains(&other.name), "{width}px: another counselor's class is listed: {classes}");
        browser.click("[data-testid=classes] a").await;
        for student in &class.students {
            browser.wait_for_text("[data-testid=students]", &student.name).await;
        }
        assert!(!browser.scrolls_sideways().await, "{width}px: the page scrolls sideways");
        browser.close().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_sees_every_college_and_opens_a_students_page() {
    let Some((app, school)) = ready().await else { return };
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    for college in &school.colleges {
        browser.wait_for_text("[data-testid=colleges]", &college.name).await;
    }
    let student = &school.colleges[1].classes[1].students[0];
    browser.goto(&app.url(&format!("/students/{}", student.id))).await;
    browser.wait_for_text("[data-testid=student-name]", &student.name).await;
    browser.wait_for_text("[data-testid=guardians]", tests::GUARDIAN_PHONE).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_cannot_open_another_counselors_student() {
    let Some((app, school)) = ready().await else { return };
    let mine = &school.colleges[0].classes[0];
    let theirs = &school.colleges[0].classes[1].students[0];
    let browser = Browser::start(390, 844).await;
    browser.sign_in(&app.address, &mine.counselor.username, &mine.counselor.password).await;
    browser.goto(&app.url(&format!("/students/{}", theirs.id))).await;
    browser.wait_for_text("[role=alert]", "没有权限").await;
    let body = browser.eval("return document.body.innerText;").await;
    assert!(!body.as_str().unwrap_or_default().contains(&theirs.name), "the other student's name shows: {body}");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_explained_and_the_chosen_language_is_remembered() {
    let Some((app, school)) = ready().await else { return };
    let browser = Browser::start(390, 844).await;
    browser.goto(&app.url("/login")).await;
    browser.fill("#username", &school.admin.username).await;
    browser.fill("#password", "not the password").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("[data-testid=login-error]", "用户名或密码不正确").await;

    browser.click("[data-testid=lang-toggle]").await;
    browser.wait_for_text("h1", "Staff sign-in").await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("[data-testid=login-error]", "Wrong username or password").await;

    // After a reload the app, and the server's messages, stay in English.
    browser.goto(&app.url("/login")).await;
    browser.wait_for_text("h1", "Staff sign-in").await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.wait_for_text("[data-testid=who]", "Student Affairs admin").await;
    browser.wait_for_text("[data-testid=nav-audit]", "Audit log").await;
    assert!(!browser.scrolls_sideways().await, "an admin's longer navigation makes the phone page scroll sideways");
    assert_eq!(browser.eval("return document.documentElement.lang;").await, "en");
    browser.click("[data-testid=sign-out]").await;
    browser.wait_for_text("h1", "Staff sign-in").await;
    browser.close().await;
}
