//! The campaign dashboard in a browser at 1280×800: cards and SVG charts, a filter applied,
//! and the printable report's sentence.

use shared::VisitMode::{Cloud, InPerson, Phone};
use tests::browser::Browser;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_cards_and_charts_and_filters_by_mode() {
    let Some((app, school)) = crate::signin::ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let s: Vec<shared::StudentId> = class.students.iter().map(|s| s.id).collect();
    app.set_home(s[0], "沈阳市", Some("和平区"), "13800000000").await;
    app.set_home(s[1], "大连市", Some("中山区"), "13800000001").await;
    app.set_home(s[2], "大连市", Some("中山区"), "13800000002").await;
    app.add_visit(campaign, s[0], class.counselor.id, InPerson, "2024-01-20").await;
    app.add_visit(campaign, s[1], class.counselor.id, Cloud, "2024-01-21").await;
    app.add_visit(campaign, s[2], class.counselor.id, Phone, "2024-01-22").await;

    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/campaigns/{campaign}/dashboard"))).await;
    browser.wait_for_text("[data-testid=dash-title]", "2024年寒假家访").await;
    browser.wait_for_text("[data-testid=card-students_reached]", "3").await;
    browser.wait_for_text("[data-testid=card-in_person_households]", "1").await;
    browser.wait_for_text("[data-testid=chart-cities]", "沈阳市").await;
    let cities = browser.wait_for_text("[data-testid=chart-cities]", "葫芦岛市").await;
    assert!(cities.contains("未覆盖"), "a city without a visit says so: {cities}");
    browser.wait_for_text("[data-testid=chart-aspects]", "学业帮扶").await;
    browser.wait_for_text("[data-testid=table-colleges]", &school.colleges[0].name).await;
    let svgs = browser.eval("return document.querySelectorAll('svg.chart rect').length;").await;
    assert!(svgs.as_u64().unwrap_or(0) > 10, "the charts are drawn as SVG: {svgs}");
    let inline = browser.eval("return document.querySelectorAll('[style]').length;").await;
    assert_eq!(inline.as_u64(), Some(0), "no inline style attributes (CSP)");
    assert!(!browser.scrolls_sideways().await, "the page scrolls sideways at 1280px");

    // Filter: cloud visits only.
    select(&browser, "filter-mode", "cloud").await;
    wait_for_reached(&browser, "1").await;

    // Filters: a college, then one of its classes, picked by name; the counselors are listed too.
    let college = &school.colleges[0];
    select(&browser, "filter-mode", "").await;
    select(&browser, "filter-college", &college.id.to_string()).await;
    browser.wait_for_text("[data-testid=filter-counselor]", &college.classes[0].counselor.username).await;
    browser.wait_for_text("[data-testid=filter-class]", &college.classes[1].name).await;
    select(&browser, "filter-class", &college.classes[1].id.to_string()).await;
    wait_for_reached(&browser, "0").await;
    select(&browser, "filter-class", &college.classes[0].id.to_string()).await;
    wait_for_reached(&browser, "3").await;

    browser.goto(&app.url(&format!("/campaigns/{campaign}/report"))).await;
    let sentence = browser.wait_for_text("[data-testid=report-sentence]", "本次家访共覆盖学生3人").await;
    assert!(sentence.contains("实地走访家庭1户"), "{sentence}");
    browser.close().await;
}

/// Picks an option of the filter `testid` as a person would, by its value.
async fn select(browser: &Browser, testid: &str, value: &str) {
    let script = format!(
        "const s = document.querySelector('[data-testid={testid}]'); s.value = '{value}'; \
         s.dispatchEvent(new Event('input', {{bubbles: true}})); s.dispatchEvent(new Event('change', {{bubbles: true}})); \
         return s.value;"
    );
    assert_eq!(browser.eval(&script).await, value, "{testid} has no option {value}");
}

/// Waits until the students-reached card shows `expected`.
async fn wait_for_reached(browser: &Browser, expected: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let card = browser.wait_for_text("[data-testid=card-students_reached] strong", "").await;
        if card.trim() == expected {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "students reached is {card}, not {expected}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
