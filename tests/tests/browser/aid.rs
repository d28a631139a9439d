//! Issue 17 items 7 and 9 in a browser: the dashboard's aid figures, the campaign's rule for
//! severe-hardship students turned on in the campaign form and its list per counselor (an
//! admin's and a counselor's), and the year-end report printed on A4 by Chromium.

use serde_json::Value;
use shared::VisitMode::{Cloud, InPerson};
use tests::browser::Browser;
use tests::print::{A4_CONTENT_HEIGHT_PX, A4_CONTENT_WIDTH_PX};

async fn set_severe(app: &tests::TestApp, student: shared::StudentId) {
    sqlx::query("UPDATE students SET hardship = 'severe' WHERE id = $1")
        .bind(student.get())
        .execute(&app.db.write)
        .await
        .expect("setting a hardship level");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_aid_totals_and_the_rule_lists_severe_students_not_yet_visited_per_counselor() {
    let Some((app, school)) = crate::signin::ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    let (a, b) = (&school.colleges[0].classes[0], &school.colleges[0].classes[1]);
    // Two visits with gifts and 500 yuan each, one by cloud with 200.50 yuan and no gifts.
    app.add_visit(campaign, a.students[0].id, a.counselor.id, InPerson, "2024-01-20").await;
    app.add_visit(campaign, a.students[1].id, a.counselor.id, InPerson, "2024-01-21").await;
    app.add_visit_with(campaign, b.students[0].id, b.counselor.id, |v| {
        v.record.mode = Cloud;
        v.record.gifts = String::new();
        v.record.grant_fen = Some(20_050);
    })
    .await;
    // Severe hardship: a.s0 (visited in person), a.s2 (not visited), b.s0 (cloud only).
    for s in [&a.students[0], &a.students[2], &b.students[0]] {
        set_severe(&app, s.id).await;
    }

    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    // The admin turns the rule on in the campaign's form.
    browser.goto(&app.url(&format!("/campaigns/{campaign}"))).await;
    browser.wait_for_text("[data-testid=campaign-title]", "2024年寒假家访").await;
    browser.click("[data-testid=campaign-edit]").await;
    browser.click("[data-testid=campaign-hardship-rule]").await;
    browser.click("[data-testid=campaign-save]").await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.query_i64(&format!("SELECT hardship_in_person FROM campaigns WHERE id = {campaign}")).await != 1 {
        assert!(std::time::Instant::now() < deadline, "the rule was not saved");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    browser.goto(&app.url(&format!("/campaigns/{campaign}/dashboard"))).await;
    browser.wait_for_text("[data-testid=card-packages]", "2").await;
    browser.wait_for_text("[data-testid=card-grants]", "1200.50").await;
    let college = school.colleges[0].id;
    let row = browser.wait_for_text(&format!("[data-testid=table-colleges-{college}]"), "1200.50").await;
    assert!(row.contains('2'), "{row}");
    browser.wait_for_text(&format!("[data-testid=table-counselors-{}]", a.counselor.id), "1000.00").await;
    browser.wait_for_text("[data-testid=priority-link]", "规则已启用").await;
    browser.click("[data-testid=priority-link]").await;
    browser.wait_for_text("[data-testid=priority-rule]", "本次活动要求").await;
    browser.wait_for_text("[data-testid=priority-summary]", "特别困难学生3人，已实地走访1人，尚未实地走访2人。").await;
    let mine = browser
        .wait_for_text(&format!("[data-testid=priority-counselor-{}]", a.counselor.id), &a.students[2].name)
        .await;
    assert!(!mine.contains(&a.students[0].name), "visited in person: not listed: {mine}");
    browser.wait_for_text(&format!("[data-testid=priority-student-{}]", b.students[0].id), "云端").await;
    browser.sign_out().await;

    // A counselor sees only their own students.
    browser.sign_in(&app.address, &b.counselor.username, &b.counselor.password).await;
    browser.goto(&app.url(&format!("/campaigns/{campaign}/priority"))).await;
    browser.wait_for_text("[data-testid=priority-summary]", "特别困难学生1人，已实地走访0人，尚未实地走访1人。").await;
    browser.wait_for_text(&format!("[data-testid=priority-counselor-{}]", b.counselor.id), &b.students[0].name).await;
    let others = browser
        .eval(&format!("return !!document.querySelector('[data-testid=priority-counselor-{}]');", a.counselor.id))
        .await;
    assert_eq!(others, Value::Bool(false), "another counselor's students are not shown");
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_prints_on_a4_with_no_clipped_table_and_at_most_one_chart_per_half_page() {
    let Some((app, school)) = crate::signin::ready().await else { return };
    let campaign = app.add_campaign("2024年寒假家访").await;
    // Enough days, cities and counselors for full charts and tables.
    let mut day = 10;
    for (i, s) in school.students().enumerate() {
        let city = shared::dashboard::LIAONING_CITIES[i % 14];
        app.set_home(s.id, city, Some("某某区"), &format!("1380000{i:04}")).await;
        let class =
            school.colleges.iter().flat_map(|c| c.classes.iter()).find(|c| c.students.iter().any(|x| x.id == s.id));
        let counselor = class.map(|c| c.counselor.id).expect("the student's class");
        for mode in [InPerson, Cloud] {
            day += 1;
            app.add_visit(campaign, s.id, counselor, mode, &format!("2024-01-{:02}", 10 + day % 20)).await;
        }
    }
    set_severe(&app, school.colleges[0].classes[0].students[0].id).await;

    // The viewport is A4's printable width, so the print layout is the printed page's.
    let width = A4_CONTENT_WIDTH_PX.floor() as u32;
    let browser = Browser::start(width, A4_CONTENT_HEIGHT_PX.floor() as u32).await;
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.goto(&app.url(&format!("/campaigns/{campaign}/report"))).await;
    browser.wait_for_text("[data-testid=report-sentence]", "本次家访共覆盖学生12人").await;
    browser.wait_for_text("[data-testid=report-aid]", "祝福包24份").await;
    browser.wait_for_text("[data-testid=report-out-of-province]", "省外生源学生0人").await;
    browser.emulate_print(true).await;
    let checks = browser
        .eval(&format!(
            "const width = {A4_CONTENT_WIDTH_PX}, half = {A4_CONTENT_HEIGHT_PX} / 2; \
             const tables = [...document.querySelectorAll('.report table')].map(t => ({{ \
               id: t.dataset.testid || t.textContent.slice(0, 20), scroll: t.scrollWidth, client: t.clientWidth, \
               right: t.getBoundingClientRect().right, cells: [...t.querySelectorAll('td,th')] \
                 .filter(c => c.scrollWidth > c.clientWidth + 1).length }})); \
             const charts = [...document.querySelectorAll('.report figure.chart')].map(f => ({{ \
               id: f.dataset.testid, height: f.getBoundingClientRect().height, \
               avoid: getComputedStyle(f).breakInside }})); \
             const hidden = [...document.querySelectorAll('nav, header, .no-print')] \
               .filter(e => getComputedStyle(e).display !== 'none').length; \
             return {{ width, half, tables, charts, hidden, page: document.documentElement.scrollWidth }};"
        ))
        .await;
    let tables = checks["tables"].as_array().expect("tables");
    assert!(tables.len() >= 2, "the tables by college and by counselor: {checks}");
    for t in tables {
        let (scroll, client, right) =
            (t["scroll"].as_f64().unwrap(), t["client"].as_f64().unwrap(), t["right"].as_f64().unwrap());
        assert!(scroll <= client, "table clipped: {t}");
        assert!(right <= A4_CONTENT_WIDTH_PX + 1.0, "table wider than the A4 content width: {t}");
        assert_eq!(t["cells"].as_u64(), Some(0), "a cell's text overflows: {t}");
    }
    let charts = checks["charts"].as_array().expect("charts");
    assert_eq!(charts.len(), 4, "daily visits, cities, aspects, meetings: {checks}");
    for c in charts {
        assert!(c["height"].as_f64().unwrap() <= A4_CONTENT_HEIGHT_PX / 2.0, "a chart taller than half a page: {c}");
        assert_eq!(c["avoid"], "avoid", "a chart may be split across pages: {c}");
    }
    assert_eq!(checks["hidden"].as_u64(), Some(0), "navigation and buttons are not printed: {checks}");
    assert!(checks["page"].as_f64().unwrap() <= f64::from(width), "the page scrolls sideways in print: {checks}");

    // Chromium's own print to PDF on A4.
    browser.emulate_print(false).await;
    let pdf = browser.print_a4().await;
    assert!(pdf.starts_with(b"%PDF"), "a PDF");
    assert!(pdf.len() > 10_000, "the PDF has content: {} bytes", pdf.len());
    browser.close().await;
}
