//! Issue 17 items 7 and 9: aid totals (blessing packages and hardship grants) per campaign,
//! college and counselor on the dashboard, the export and the report; the rule for students at
//! hardship level 特别困难 and its list, per counselor and role-scoped, audited; the printed
//! report's places (out of province, uncovered districts). Figures are checked against the
//! visits seeded here.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use reqwest::StatusCode;
use shared::aid::PriorityList;
use shared::campaigns::Campaign;
use shared::VisitMode::{Cloud, InPerson, Phone};
use tests::visits::setup;
use tests::{campaign_input, TestApp};

/// College 1: class a's s0 visited in person twice (gifts, 500 yuan each), s1 in person without
/// gifts or grant; class b's s3 by cloud (gifts, 200.50 yuan). College 2: nothing. Another
/// campaign's visit (gifts, 500 yuan) must not count.
async fn aided_school() -> (TestApp, tests::School, i64) {
    let (app, school, campaign) = setup().await;
    let c1 = &school.colleges[0];
    let (a, b) = (&c1.classes[0], &c1.classes[1]);
    let (ca, cb) = (a.counselor.id, b.counselor.id);
    app.add_visit(campaign, a.students[0].id, ca, InPerson, "2024-01-20").await;
    app.add_visit(campaign, a.students[0].id, ca, InPerson, "2024-01-22").await;
    app.add_visit_with(campaign, a.students[1].id, ca, |v| {
        v.record.gifts = String::new();
        v.record.grant_fen = None;
    })
    .await;
    app.add_visit_with(campaign, b.students[0].id, cb, |v| {
        v.record.mode = Cloud;
        v.record.grant_fen = Some(20_050);
    })
    .await;
    let other = app.add_campaign("2023年暑期家访").await;
    app.add_visit(other, a.students[2].id, ca, InPerson, "2023-07-20").await;
    (app, school, campaign)
}

#[tokio::test]
async fn aid_totals_per_campaign_college_and_counselor_match_the_seeded_visits() {
    let (app, school, campaign) = aided_school().await;
    let admin = app.signed_in(&school.admin).await;
    let s = app.summary(&admin, campaign, "").await;
    let f = &s.figures;
    assert_eq!((f.packages, f.grants, f.grant_fen), (3, 3, 120_050), "{f:?}");
    let aid = |rows: &[shared::dashboard::GroupRow]| rows.iter().map(|r| (r.packages, r.grant_fen)).collect::<Vec<_>>();
    assert_eq!(aid(&s.by_college), vec![(3, 120_050), (0, 0)]);
    let c1 = &school.colleges[0];
    let by = |id: shared::UserId| s.by_counselor.iter().find(|r| r.id == id.get()).map(|r| (r.packages, r.grant_fen));
    assert_eq!(by(c1.classes[0].counselor.id), Some((2, 100_000)));
    assert_eq!(by(c1.classes[1].counselor.id), Some((1, 20_050)));
    assert_eq!(shared::dashboard::aid_sentence(f), "走访中送去新春祝福包3份，发放慰问金3人次，共计1200.50元。");

    // The raw rows (a mode filter) agree with the tallies; scope narrows the totals.
    let in_person = app.summary(&admin, campaign, "?mode=in_person").await.figures;
    assert_eq!((in_person.packages, in_person.grants, in_person.grant_fen), (2, 2, 100_000));
    let counselor_b = app.signed_in(&c1.classes[1].counselor).await;
    let mine = app.summary(&counselor_b, campaign, "").await.figures;
    assert_eq!((mine.packages, mine.grant_fen), (1, 20_050));
    let raw = backend::dashboard::summary_from(
        &app.db,
        campaign.into(),
        &Default::default(),
        backend::auth::Scope::All,
        backend::dashboard::Source::Raw,
    )
    .await
    .expect("the raw summary");
    assert_eq!(
        (raw.figures, raw.by_college, raw.by_counselor),
        (s.figures.clone(), s.by_college.clone(), s.by_counselor.clone())
    );

    // The export: the figures sheet and the aid columns of the tables.
    let response = app.get(&admin, &format!("/api/campaigns/{campaign}/export.xlsx")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(response.bytes().await.unwrap().to_vec())).expect("xlsx");
    let rows = |book: &mut Xlsx<_>, name: &str| -> Vec<Vec<String>> {
        let sheet = book.worksheet_range(name).expect(name);
        sheet
            .rows()
            .map(|r| r.iter().map(|c| if let Data::Empty = c { String::new() } else { c.to_string() }).collect())
            .collect()
    };
    let figures = rows(&mut book, "概况");
    let value = |label: &str| figures.iter().find(|r| r[0] == label).map(|r| r[1].clone());
    assert_eq!(value("祝福包").as_deref(), Some("3"));
    assert_eq!(value("发放慰问金人次").as_deref(), Some("3"));
    assert_eq!(value("慰问金（元）").as_deref(), Some("1200.5"));
    let colleges = rows(&mut book, "按学院");
    assert_eq!(colleges[0][6..8], ["祝福包", "慰问金（元）"]);
    assert_eq!(colleges[1][6..8], ["3", "1200.5"]);

    // The report: the aid sentence and the tables' columns.
    let html = app.get(&admin, &format!("/api/campaigns/{campaign}/report")).await.text().await.unwrap();
    assert!(html.contains("走访中送去新春祝福包3份，发放慰问金3人次，共计1200.50元。"), "{html}");
    assert!(html.contains("<td>3</td><td>1200.50</td>"), "{html}");
}

async fn set_hardship(app: &TestApp, student: shared::StudentId, level: &str) {
    sqlx::query("UPDATE students SET hardship = $1 WHERE id = $2")
        .bind(level.to_string())
        .bind(student.get())
        .execute(&app.db.write)
        .await
        .expect("setting a hardship level");
}

/// Per counselor (by id), the students listed with their closest contact so far.
type Listed = Vec<(Option<i64>, Vec<(i64, Option<String>)>)>;

fn listed(l: &PriorityList) -> Listed {
    l.counselors
        .iter()
        .map(|c| {
            (c.counselor_id.map(|i| i.get()), c.students.iter().map(|s| (s.id.get(), s.reached_by.clone())).collect())
        })
        .collect()
}

#[tokio::test]
async fn the_hardship_rule_lists_severe_students_not_yet_visited_in_person_per_counselor() {
    let (app, school, campaign) = aided_school().await;
    let (c1, c2) = (&school.colleges[0], &school.colleges[1]);
    let (a, b) = (&c1.classes[0], &c1.classes[1]);
    // s0 visited in person, s1 in person too, a.s2 not (only in another campaign), b.s0 by cloud,
    // b.s1 by phone, one student of college 2 not at all.
    app.add_visit(campaign, b.students[1].id, b.counselor.id, Phone, "2024-01-26").await;
    for s in [&a.students[0], &a.students[2], &b.students[0], &b.students[1], &c2.classes[0].students[0]] {
        set_hardship(&app, s.id, "severe").await;
    }
    let admin = app.signed_in(&school.admin).await;

    // The rule is off until an admin turns it on, and stays on the campaign.
    let l: PriorityList = app.get_json(&admin, &format!("/api/campaigns/{campaign}/priority")).await;
    assert!(!l.rule_on);
    let mut input = campaign_input("2024年寒假家访");
    input.hardship_in_person = true;
    let saved: Campaign = tests::json_of(
        admin.put(app.url(&format!("/api/campaigns/{campaign}"))).json(&input).send().await.unwrap(),
        "turning the rule on",
    )
    .await;
    assert!(saved.hardship_in_person);

    let audited = "SELECT COUNT(*) FROM audit_log WHERE fields = 'hardship' AND detail LIKE '%priority list%'";
    let before = app.query_i64(audited).await;
    let l: PriorityList = app.get_json(&admin, &format!("/api/campaigns/{campaign}/priority")).await;
    assert!(l.rule_on);
    assert_eq!((l.students, l.visited_in_person), (5, 1));
    let id = |s: &tests::StudentFixture| s.id.get();
    let (ca, cb, cc) = (a.counselor.id.get(), b.counselor.id.get(), c2.classes[0].counselor.id.get());
    let mut expected = vec![
        (Some(ca), vec![(id(&a.students[2]), None)]),
        (Some(cb), vec![(id(&b.students[0]), Some("cloud".into())), (id(&b.students[1]), Some("phone".into()))]),
        (Some(cc), vec![(id(&c2.classes[0].students[0]), None)]),
    ];
    let mut got = listed(&l);
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(app.query_i64(audited).await - before, 4, "one audit entry per student listed");

    // Role scope: a counselor their own students, an advisor their class, a leader their college.
    let as_ = |account: &tests::Account| {
        let app = &app;
        let account = account.clone();
        async move {
            let client = app.signed_in(&account).await;
            let l: PriorityList = app.get_json(&client, &format!("/api/campaigns/{campaign}/priority")).await;
            l
        }
    };
    let mine = as_(&b.counselor).await;
    assert_eq!((mine.students, mine.visited_in_person), (2, 0));
    assert_eq!(
        listed(&mine),
        vec![(Some(cb), vec![(id(&b.students[0]), Some("cloud".into())), (id(&b.students[1]), Some("phone".into()))])]
    );
    let advisor = as_(&c1.advisor).await;
    assert_eq!((advisor.students, advisor.visited_in_person), (2, 1));
    let leader2 = as_(&c2.leader).await;
    assert_eq!(listed(&leader2), vec![(Some(cc), vec![(id(&c2.classes[0].students[0]), None)])]);

    // A visit in person takes the student off the list.
    app.add_visit(campaign, b.students[0].id, b.counselor.id, InPerson, "2024-02-01").await;
    let mine = as_(&b.counselor).await;
    assert_eq!(listed(&mine), vec![(Some(cb), vec![(id(&b.students[1]), Some("phone".into()))])]);

    let missing = app.get(&admin, "/api/campaigns/9999/priority").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_report_has_out_of_province_students_apart_and_lists_uncovered_districts() {
    let (app, school, campaign) = aided_school().await;
    let c1 = &school.colleges[0];
    let (a, b) = (&c1.classes[0], &c1.classes[1]);
    // 沈阳市和平区: a.s0 reached, a.s1 reached too; 大连市中山区: a.s2 not reached (uncovered);
    // b.s0 (reached by cloud) and b.s1 (not) from 河北省.
    app.set_home(a.students[0].id, "沈阳市", Some("和平区"), "13800000000").await;
    app.set_home(a.students[1].id, "沈阳市", Some("和平区"), "13800000001").await;
    app.set_home(a.students[2].id, "大连市", Some("中山区"), "13800000002").await;
    app.set_home(b.students[0].id, "石家庄市", Some("长安区"), "13800000003").await;
    app.set_home(b.students[1].id, "石家庄市", Some("桥西区"), "13800000004").await;
    for s in &b.students[..2] {
        sqlx::query("UPDATE students SET province = '河北省' WHERE id = $1")
            .bind(s.id.get())
            .execute(&app.db.write)
            .await
            .unwrap();
    }
    let admin = app.signed_in(&school.admin).await;
    let response = app.get(&admin, &format!("/api/campaigns/{campaign}/report")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("省外生源学生2人，已覆盖1人，其中实地走访0人。"), "{html}");
    assert!(html.contains("以下1个区县有学生但本次尚未覆盖：大连市中山区（1人）。"), "{html}");
    assert!(!html.contains("桥西区"), "out-of-province districts are not among the uncovered: {html}");
    assert!(html.contains("本次家访共覆盖学生3人"), "{html}");
    for chart in ["report-days", "report-cities", "report-aspects", "report-meetings"] {
        assert!(html.contains(&format!("data-testid=\"{chart}\"")), "{chart}: {html}");
    }

    // Within scope: college 2's leader sees none of college 1's students.
    let leader2 = app.signed_in(&school.colleges[1].leader).await;
    let theirs = app.get(&leader2, &format!("/api/campaigns/{campaign}/report")).await.text().await.unwrap();
    assert!(theirs.contains("省外生源学生0人") && theirs.contains("有学生的区县均已覆盖。"), "{theirs}");

    // The command line writes the same article in a whole document, with the print styles.
    let file = app.dir.path().join("report.html");
    backend::cli::report::run(&app.db_url, "2024年寒假家访", backend::cli::report::Format::Html, Some(&file))
        .await
        .expect("jiafang report --format html");
    let printed = std::fs::read_to_string(&file).unwrap();
    assert!(printed.starts_with("<!doctype html>") && printed.contains("@page { size: A4"), "{printed}");
    assert!(printed.contains("以下1个区县有学生但本次尚未覆盖：大连市中山区（1人）。"));
    assert!(printed.contains("走访中送去新春祝福包3份"));
}
