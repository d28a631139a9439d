//! The campaign dashboard: the summary's definitions on small hand-built schools with known
//! answers, scope and small-count suppression, the demo school's figures and the xlsx export.

use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use reqwest::StatusCode;
use shared::dashboard::CampaignSummary;
use shared::VisitMode::{Cloud, InPerson, Phone};
use tests::visits::setup;
use tests::{error_body, Account, TestApp};

/// s0 visited in person twice; s1 and s2 siblings (one phone) both in person; s3 by cloud with
/// no district; s4 by phone; s5 by cloud and then in person. Class 1a's meeting held (one
/// sign-up, present), class 1b's not yet, nothing in college 2.
async fn small_school() -> (TestApp, tests::School, i64) {
    let (app, school, campaign) = setup().await;
    let c1 = &school.colleges[0];
    let (a, b) = (&c1.classes[0], &c1.classes[1]);
    let s: Vec<shared::StudentId> = a.students.iter().chain(b.students.iter()).map(|s| s.id).collect();
    app.set_home(s[0], "沈阳市", Some("和平区"), "13800000000").await;
    app.set_home(s[1], "大连市", Some("中山区"), "13800000001").await;
    app.set_home(s[2], "大连市", Some("中山区"), "13800000001").await;
    app.set_home(s[3], "鞍山市", None, "13800000003").await;
    app.set_home(s[4], "沈阳市", Some("和平区"), "13800000004").await;
    app.set_home(s[5], "大连市", Some("西岗区"), "13800000005").await;
    let ca = a.counselor.id;
    let cb = b.counselor.id;
    app.add_visit(campaign, s[0], ca, InPerson, "2024-01-20").await;
    app.add_visit(campaign, s[0], ca, InPerson, "2024-01-22").await;
    app.add_visit(campaign, s[1], ca, InPerson, "2024-01-20").await;
    app.add_visit(campaign, s[2], ca, InPerson, "2024-01-21").await;
    app.add_visit(campaign, s[3], cb, Cloud, "2024-01-25").await;
    app.add_visit(campaign, s[4], cb, Phone, "2024-02-01").await;
    app.add_visit(campaign, s[5], cb, Cloud, "2024-02-02").await;
    app.add_visit(campaign, s[5], cb, InPerson, "2024-02-03").await;
    let held = app.add_meeting(campaign, a.id, true).await;
    app.add_answer(held, s[0], "in_person", Some(true)).await;
    app.add_answer(held, s[1], "absent", None).await;
    let pending = app.add_meeting(campaign, b.id, false).await;
    app.add_answer(pending, s[3], "online", None).await;
    (app, school, campaign)
}

async fn as_user(app: &TestApp, account: &Account, campaign: i64, query: &str) -> CampaignSummary {
    let client = app.signed_in(account).await;
    app.summary(&client, campaign, query).await
}

#[tokio::test]
async fn dashboard_definitions_on_a_small_school() {
    let (app, school, campaign) = small_school().await;
    let s = as_user(&app, &school.admin, campaign, "").await;
    let f = &s.figures;
    assert_eq!(f.students_reached, 6, "a student visited twice counts once");
    assert_eq!((f.in_person_students, f.cloud_students, f.phone_students), (4, 1, 1), "closest contact wins");
    assert_eq!(f.in_person_households, 3, "two siblings on one phone are one household");
    assert_eq!(f.cities, 3);
    assert_eq!(f.regions, 3, "a student without a district adds no region");
    assert_eq!(f.visits, 8);
    assert_eq!((f.classes_total, f.classes_with_meeting), (4, 1), "a meeting not yet held does not count");
    assert_eq!((f.meeting_signups, f.meeting_attendance), (2, 1));
    assert_eq!((f.follow_ups_open, f.follow_ups_done), (8, 0));
    assert_eq!(f.students_total, 12);
    let academic = s.aspects.iter().find(|a| a.aspect == "academic").map(|a| a.visits);
    assert_eq!(academic, Some(8));
    assert_eq!(s.aspects.len(), 8);
    let college1 = &s.by_college[0];
    assert_eq!((college1.students, college1.reached, college1.in_person, college1.cloud), (6, 6, 4, 1));
    assert_eq!(s.by_college[1].reached, 0);
    assert_eq!(s.by_counselor.len(), 4);
    assert_eq!(s.by_day.iter().map(|d| d.visits).sum::<i64>(), 8);
    assert_eq!(s.meetings_by_college[0].held, 1);
    assert!(s.previous.is_none());

    // Filters: mode, dates, class.
    let cloud = as_user(&app, &school.admin, campaign, "?mode=cloud").await.figures;
    assert_eq!((cloud.students_reached, cloud.cloud_students, cloud.in_person_students), (2, 2, 0));
    let late = as_user(&app, &school.admin, campaign, "?from=2024-01-25&to=2024-02-02").await.figures;
    assert_eq!(late.students_reached, 3);
    let class = school.colleges[0].classes[1].id;
    let one = as_user(&app, &school.admin, campaign, &format!("?class_id={class}")).await.figures;
    assert_eq!((one.students_reached, one.classes_total, one.classes_with_meeting), (3, 1, 0));
    let admin = app.signed_in(&school.admin).await;
    let bad = app.get(&admin, &format!("/api/campaigns/{campaign}/summary?mode=fax")).await;
    assert_eq!(error_body(bad).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let missing = app.get(&admin, "/api/campaigns/999/summary").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn dashboard_scope_and_small_count_suppression() {
    let (app, school, campaign) = small_school().await;
    let leader2 = as_user(&app, &school.colleges[1].leader, campaign, "").await;
    assert_eq!(leader2.figures.students_reached, 0, "another college's leader sees none of college 1's figures");
    assert_eq!(leader2.figures.classes_total, 2);
    assert_eq!(leader2.by_college.len(), 1);
    // The school's coverage, but counts below five that are not all theirs are suppressed.
    assert!(leader2.by_district.iter().all(|d| d.students.is_none()), "{:?}", leader2.by_district);
    assert!(leader2.by_city.iter().all(|d| d.students.is_none()));
    let body = serde_json::to_string(&leader2.by_district).unwrap_or_default();
    assert!(!body.contains("\"students\":2"), "the true number never leaves the server");

    let counselor = &school.colleges[0].classes[1].counselor;
    let mine = as_user(&app, counselor, campaign, "").await;
    assert_eq!(mine.figures.students_reached, 3);
    assert_eq!(mine.figures.classes_total, 1);
    let district = |s: &CampaignSummary, name: &str| s.by_district.iter().find(|d| d.district == name).cloned();
    // 西岗区: only s5, the counselor's own student: shown. 中山区: two students of another class.
    assert_eq!(district(&mine, "西岗区").and_then(|d| d.students), Some(1));
    assert_eq!(district(&mine, "中山区").map(|d| d.students), Some(None));

    let leader1 = as_user(&app, &school.colleges[0].leader, campaign, "").await;
    assert_eq!(leader1.figures.students_reached, 6);
    assert_eq!(district(&leader1, "中山区").and_then(|d| d.students), Some(2));
    let admin = as_user(&app, &school.admin, campaign, "").await;
    assert_eq!(district(&admin, "和平区").and_then(|d| d.students), Some(2));
}

fn cell_text(cell: Option<&Data>) -> String {
    cell.map(|c| c.to_string()).unwrap_or_default()
}

#[tokio::test]
async fn dashboard_xlsx_export_matches_the_summary_and_escapes_cells() {
    let (app, school, campaign) = small_school().await;
    sqlx::query("UPDATE students SET name = '=HYPERLINK(1)' WHERE id = $1")
        .bind(school.colleges[0].classes[0].students[0].id)
        .execute(&app.db.write)
        .await
        .expect("renaming");
    let admin = app.signed_in(&school.admin).await;
    let summary = app.summary(&admin, campaign, "").await;
    let response = app.get(&admin, &format!("/api/campaigns/{campaign}/export.xlsx?include_sensitive=true")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.expect("the file");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let figures = book.worksheet_range("概况").expect("the figures sheet");
    let value = |label: &str| {
        figures.rows().find(|r| cell_text(r.first()) == label).map(|r| cell_text(r.get(1))).unwrap_or_default()
    };
    assert_eq!(value("覆盖学生"), summary.figures.students_reached.to_string());
    assert_eq!(value("实地走访家庭"), summary.figures.in_person_households.to_string());
    assert_eq!(value("区县"), summary.figures.regions.to_string());
    let colleges = book.worksheet_range("按学院").expect("by college");
    let reached: f64 = colleges.rows().skip(1).filter_map(|r| r.get(2).and_then(|c| c.get_float())).sum();
    assert_eq!(reached as i64, summary.figures.students_reached);
    let visits = book.worksheet_range("家访记录").expect("the visit list");
    assert_eq!(visits.rows().count() as i64 - 1, summary.figures.visits);
    let header: Vec<String> =
        visits.rows().next().map(|r| r.iter().map(|c| c.to_string()).collect()).unwrap_or_default();
    assert!(header.contains(&"家长电话".to_string()));
    assert!(visits.rows().any(|r| cell_text(r.get(3)) == "'=HYPERLINK(1)"), "formula-like cells are escaped");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'export'")
        .fetch_one(&app.db.read)
        .await
        .expect("audit");
    assert_eq!(audited, 6, "one entry per student exported with sensitive columns");

    // Without asking: no sensitive columns, nothing audited.
    let plain = app.get(&admin, &format!("/api/campaigns/{campaign}/export.xlsx")).await;
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(plain.bytes().await.expect("file").to_vec())).expect("xlsx");
    let visits = book.worksheet_range("家访记录").expect("the visit list");
    assert!(!visits.rows().next().is_some_and(|r| r.iter().any(|c| cell_text(Some(c)) == "家长电话")));
}

#[tokio::test]
async fn dashboard_demo_school_reproduces_the_reported_figures() {
    let app = tests::spawn_app().await;
    backend::demo::load(&app.db, &app.config.secret).await.expect("loading the demo");
    let admin =
        tests::Account { id: 1.into(), username: "admin".into(), password: backend::demo::DEMO_PASSWORD.into() };
    let client = app.signed_in(&admin).await;
    let winter: i64 = sqlx::query_scalar("SELECT id FROM campaigns WHERE name = '2024年寒假家访'")
        .fetch_one(&app.db.read)
        .await
        .expect("the winter campaign");
    let s = app.summary(&client, winter, "").await;
    let f = &s.figures;
    assert_eq!(f.students_reached, 2184);
    assert_eq!((f.in_person_students, f.in_person_households, f.cloud_students), (91, 91, 2093));
    assert_eq!((f.cities, f.regions), (11, 49));
    assert_eq!((f.classes_total, f.classes_with_meeting), (252, 252));
    assert!(f.meeting_signups > 0 && f.meeting_attendance > 0 && f.follow_ups_open > 0 && f.follow_ups_done > 0);
    assert_eq!(
        shared::dashboard::report_sentence(f),
        "本次家访共覆盖学生2184人，其中实地走访家庭91户，'一对一云连线'2093人，覆盖11个城市的49个区县，252个班级全部召开家长会。"
    );
    let current: i64 = sqlx::query_scalar("SELECT id FROM campaigns WHERE status = 'active'")
        .fetch_one(&app.db.read)
        .await
        .expect("the current campaign");
    let now = app.summary(&client, current, "").await;
    assert!(now.figures.students_reached > 0 && now.figures.phone_students > 0);
    assert!(now.figures.classes_with_meeting < now.figures.classes_total);
    assert_eq!(now.previous.map(|p| p.id.get()), Some(winter));
    assert_eq!(now.previous_figures.map(|p| p.students_reached), Some(2184));
}

/// Issue 17 item 5: the demo is alive the day it is loaded — the current campaign has visits this
/// week and parents' meetings in the coming days, and the link `serve --demo` prints lets a
/// newcomer answer one as a parent.
#[tokio::test]
async fn the_demo_has_visits_this_week_and_a_meeting_in_the_coming_days_a_parent_can_answer() {
    let app = tests::spawn_app().await;
    backend::demo::load(&app.db, &app.config.secret).await.expect("loading the demo");
    let (name, starts, ends): (String, String, String) =
        sqlx::query_as("SELECT name, starts_on, ends_on FROM campaigns WHERE status = 'active'")
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    let now = backend::db::now();
    let day = |unix: i64| shared::meetings::to_local_input(unix)[..10].to_string();
    let today_text = day(now);
    assert!(starts < today_text && today_text < ends, "{name}: {starts} … {ends}");
    let week_ago = day(now - 6 * 86_400);
    let this_week = app
        .query_i64(&format!(
            "SELECT COUNT(*) FROM visits v JOIN campaigns c ON c.id = v.campaign_id \
             WHERE c.status = 'active' AND v.visited_on >= '{week_ago}' AND v.visited_on <= '{today_text}'"
        ))
        .await;
    assert!(this_week > 20, "visits this week: {this_week}");
    let coming = app
        .query_i64(&format!(
            "SELECT COUNT(*) FROM meetings WHERE held_at IS NULL AND signup_deadline > {now} \
             AND starts_at < {} ",
            now + 7 * 86_400
        ))
        .await;
    assert!(coming > 0, "meetings in the coming days: {coming}");

    let path = backend::demo::family_link(&app.db, &app.config.secret).await.unwrap().expect("a link to print");
    let (family, page) = app.family(&format!("{}{path}", app.address)).await;
    assert!(page.starts_at > now && page.starts_at < now + 7 * 86_400 && page.can_change, "{page:?}");
    let response = app.answer(&family, shared::meetings::Attendance::InPerson, 1).await;
    assert_eq!(response.status(), reqwest::StatusCode::OK, "the newcomer answers as a parent");
}
