//! Importing visits recorded on paper or in Excel: preview, one-transaction commit, a row-level
//! report, and a re-import that changes nothing — from the web and from the command line.

use shared::imports::{IssueKind, RowStatus};
use tests::visits::setup;

fn file(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut text = String::from("学号,日期,方式,走访人,涉及方面,备注\n");
    for r in rows {
        text.push_str(&r.join(","));
        text.push('\n');
    }
    text.into_bytes()
}

#[tokio::test]
async fn a_visit_file_is_previewed_committed_and_a_reimport_changes_nothing() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let counselor = app.signed_in(&mine.counselor).await;
    let advisor = &school.colleges[0].advisor.username;
    let bytes = file(&[
        [
            &mine.students[0].student_no,
            "2024/1/20",
            "上门",
            &format!("{advisor}、王老师"),
            "学业帮扶、career",
            "家长很支持",
        ],
        [&mine.students[1].student_no, "2024-01-21", "cloud", "", "心理健康服务", ""],
        [&theirs.students[0].student_no, "2024-01-21", "电话", "", "", "不是我的学生"],
        [&mine.students[2].student_no, "2024-01-22", "上门", "", "占星", ""],
    ]);

    let preview = app.preview_visit_import(&counselor, campaign, "寒假家访.csv", bytes.clone()).await;
    let c = &preview.counts;
    assert_eq!((c.rows, c.new, c.unchanged, c.rejected, c.warnings), (4, 2, 0, 2, 1), "{preview:#?}");
    let rejected: Vec<u32> = preview.rows.iter().filter(|r| r.status == RowStatus::Rejected).map(|r| r.row).collect();
    assert_eq!(rejected, [4, 5]);
    let aspects = preview.issues.iter().find(|i| i.row == 5).expect("row 5 is reported");
    assert_eq!((aspects.kind, aspects.column.as_deref()), (IssueKind::Rejected, Some("涉及方面")));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0, "a preview writes nothing");

    let result = app.commit_visit_import(&counselor, preview.import_id).await;
    assert_eq!((result.counts.new, result.counts.rejected), (2, 2));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 2);
    let (aspects, record): (String, String) =
        sqlx::query_as("SELECT aspects, record FROM visits WHERE student_id = $1")
            .bind(mine.students[0].id)
            .fetch_one(&app.db.read)
            .await
            .unwrap();
    assert_eq!(aspects, "academic,career");
    assert!(record.contains("走访人：王老师"), "a visitor without an account is kept in the notes: {record}");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visit_members").await, 1, "the advisor took part");

    let again = app.preview_visit_import(&counselor, campaign, "寒假家访.csv", bytes).await;
    assert_eq!((again.counts.new, again.counts.unchanged, again.counts.rejected), (0, 2, 2));
    let result = app.commit_visit_import(&counselor, again.import_id).await;
    assert_eq!(result.counts.new, 0);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 2, "re-importing is a no-op");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visit_revisions").await, 2);
}

#[tokio::test]
async fn the_command_line_imports_visits_with_the_visitor_as_author() {
    let (app, school, _campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let bytes = file(&[
        [&class.students[0].student_no, "2024年1月20日", "电话", &class.counselor.username, "就业指导", "电话沟通"],
        [&class.students[1].student_no, "2024-01-20", "电话", "无账号老师", "", ""],
    ]);
    let path = app.dir.path().join("visits.csv");
    std::fs::write(&path, bytes).unwrap();
    let mut out = Vec::new();
    let import = backend::cli::visit_import::run;
    let rejected = import(&app.db_url, &path, "2024年寒假家访", false, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert_eq!(rejected, 1, "{report}");
    assert!(report.contains("新增 / new: 1"), "{report}");
    let author: i64 = sqlx::query_scalar("SELECT author_id FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(author, class.counselor.id.get());

    let mut out = Vec::new();
    import(&app.db_url, &path, "2024年寒假家访", false, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert!(report.contains("新增 / new: 0") && report.contains("已导入过 / unchanged: 1"), "{report}");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1);
}

#[tokio::test]
async fn a_preview_tells_nothing_of_students_outside_the_importers_reach() {
    let (app, school, campaign) = setup().await;
    let college = &school.colleges[0];
    let stranger = &school.colleges[1].classes[0].students[0];
    let neighbour = &college.classes[1].students[0];
    let advisor = app.signed_in(&college.advisor).await;
    let bytes = file(&[
        [&college.classes[0].students[0].student_no, "2024-01-20", "上门", "", "", ""],
        [&stranger.student_no, "2024-01-20", "上门", "", "", ""],
        [&neighbour.student_no, "2024-01-20", "上门", "", "", ""],
        ["2099999999", "2024-01-20", "上门", "", "", ""],
    ]);
    let path = format!("/api/visits/import/preview?campaign_id={campaign}&filename=v.csv");
    let response = advisor.post(app.url(&path)).body(bytes).send().await.unwrap();
    let text = response.text().await.unwrap();
    let preview: shared::imports::ImportPreview = serde_json::from_str(&text).unwrap();
    assert_eq!((preview.counts.new, preview.counts.rejected), (1, 3), "{preview:#?}");
    // Nothing of another college's or class's student: no name, college or class.
    for leaked in [&stranger.name, &neighbour.name, &school.colleges[1].name, &college.classes[1].name] {
        assert!(!text.contains(leaked.as_str()), "{leaked} in {text}");
    }
    // Such a row reads exactly as a number nobody has.
    let rows: Vec<_> = preview.rows.iter().filter(|r| r.status == RowStatus::Rejected).collect();
    assert!(rows.iter().all(|r| r.name.is_empty() && r.college.is_empty() && r.class.is_empty()), "{rows:?}");
    let messages: Vec<&str> =
        preview.issues.iter().filter(|i| i.row >= 3).map(|i| i.message.as_str()).collect::<Vec<_>>();
    assert_eq!(messages.len(), 3, "{preview:#?}");
    assert!(messages.iter().all(|m| *m == messages[0]), "{messages:?}");
    assert!(messages[0].contains("不是您负责的学生") && messages[0].contains("没有这个学号"), "{messages:?}");
}

#[tokio::test]
async fn visit_import_previews_are_limited_per_user() {
    let app =
        tests::spawn_app_with(|c| c.preview_limit_per_user = backend::auth::limits::Limit { max: 3, window_secs: 600 })
            .await;
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    let class = &school.colleges[0].classes[0];
    let me = app.signed_in(&class.counselor).await;
    let bytes = file(&[[&class.students[0].student_no, "2024-01-20", "上门", "", "", ""]]);
    for _ in 0..3 {
        app.preview_visit_import(&me, campaign, "v.csv", bytes.clone()).await;
    }
    let path = format!("/api/visits/import/preview?campaign_id={campaign}&filename=v.csv");
    let response = me.post(app.url(&path)).body(bytes.clone()).send().await.unwrap();
    assert!(response.headers().contains_key("retry-after"));
    let (status, error) = tests::error_body(response).await;
    assert_eq!((status, error.code.as_str()), (reqwest::StatusCode::TOO_MANY_REQUESTS, "too_many_requests"));
    // Another user's previews are their own.
    let other = app.signed_in(&school.colleges[0].advisor).await;
    app.preview_visit_import(&other, campaign, "v.csv", bytes).await;
}

#[tokio::test]
async fn a_closed_campaign_takes_no_import() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    let me = app.signed_in(&class.counselor).await;
    let bytes = file(&[[&class.students[0].student_no, "2024-01-20", "上门", "", "", ""]]);
    let preview = app.preview_visit_import(&me, campaign, "v.csv", bytes.clone()).await;
    app.close_campaign(campaign).await;
    // Previewed while open, confirmed after it closed: nothing goes in.
    let path = format!("/api/visits/import/{}/commit", preview.import_id);
    let (status, error) = tests::error_body(app.post_json(&me, &path, &()).await).await;
    assert_eq!((status, error.code.as_str()), (reqwest::StatusCode::UNPROCESSABLE_ENTITY, "campaign_closed"));
    let path = format!("/api/visits/import/preview?campaign_id={campaign}&filename=v.csv");
    let (status, error) = tests::error_body(me.post(app.url(&path)).body(bytes).send().await.unwrap()).await;
    assert_eq!((status, error.code.as_str()), (reqwest::StatusCode::UNPROCESSABLE_ENTITY, "campaign_closed"));
    // Nor from the command line.
    let file_path = app.dir.path().join("late.csv");
    std::fs::write(&file_path, file(&[[&class.students[0].student_no, "2024-01-20", "上门", "", "", ""]])).unwrap();
    let import = backend::cli::visit_import::run;
    let failed = import(&app.db_url, &file_path, "2024年寒假家访", false, &mut Vec::new()).await;
    assert!(failed.unwrap_err().to_string().contains("campaign is closed"));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 0);
}

#[tokio::test]
async fn imported_visitors_are_held_to_the_rule_of_visit_members() {
    let (app, school, campaign) = setup().await;
    let [mine, theirs] = &school.colleges[0].classes;
    let me = app.signed_in(&mine.counselor).await;
    let outsider = &school.colleges[1].leader.username;
    let bytes = file(&[
        [&mine.students[0].student_no, "2024-01-20", "上门", &school.colleges[0].advisor.username, "", ""],
        [&mine.students[1].student_no, "2024-01-20", "上门", outsider, "", ""],
        [&mine.students[2].student_no, "2024-01-20", "上门", &theirs.counselor.username, "", ""],
    ]);
    let preview = app.preview_visit_import(&me, campaign, "v.csv", bytes.clone()).await;
    assert_eq!((preview.counts.new, preview.counts.rejected), (1, 2), "{preview:#?}");
    let issue = preview.issues.iter().find(|i| i.row == 3).expect("row 3 is reported");
    assert_eq!(issue.column.as_deref(), Some("走访人"));
    assert!(issue.message.contains(outsider.as_str()), "names who may not take part: {issue:?}");
    // Named in the campaign's team for the college, the other class's counselor may.
    app.add_team(campaign, school.colleges[0].id, "第一小组", &[theirs.counselor.id]).await;
    let preview = app.preview_visit_import(&me, campaign, "v.csv", bytes).await;
    assert_eq!((preview.counts.new, preview.counts.rejected), (2, 1), "{preview:#?}");
    let result = app.commit_visit_import(&me, preview.import_id).await;
    assert_eq!(result.counts.new, 2);
    // The command line's author (the first visitor with an account) is held to it as well.
    let path = app.dir.path().join("cli.csv");
    std::fs::write(&path, file(&[[&mine.students[1].student_no, "2024-01-21", "电话", outsider, "", ""]])).unwrap();
    let mut out = Vec::new();
    let rejected =
        backend::cli::visit_import::run(&app.db_url, &path, "2024年寒假家访", false, &mut out).await.unwrap();
    assert_eq!(rejected, 1, "{}", String::from_utf8_lossy(&out));
}

/// A staff account as the roster import leaves it: created, never signed in.
async fn not_yet_activated(app: &tests::TestApp, id: shared::UserId, display_name: &str) {
    sqlx::query("UPDATE users SET active = 0, password_hash = NULL, display_name = $1 WHERE id = $2")
        .bind(display_name)
        .bind(id)
        .execute(&app.db.write)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_command_line_takes_staff_not_yet_activated_and_says_which_names_match_no_or_several_accounts() {
    let (app, school, _campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    not_yet_activated(&app, class.counselor.id, "钱老师").await;
    not_yet_activated(&app, school.colleges[0].advisor.id, "孙老师").await;
    // Two accounts share a name: the other class's counselor and the other college's leader.
    for id in [school.colleges[0].classes[1].counselor.id, school.colleges[1].leader.id] {
        sqlx::query("UPDATE users SET display_name = '周老师' WHERE id = $1")
            .bind(id)
            .execute(&app.db.write)
            .await
            .unwrap();
    }
    let bytes = file(&[
        [&class.students[0].student_no, "2024-01-20", "上门", "钱老师、孙老师", "就业指导", ""],
        [&class.students[1].student_no, "2024-01-20", "电话", "无账号老师", "", ""],
        [&class.students[2].student_no, "2024-01-20", "电话", "周老师", "", ""],
    ]);
    let path = app.dir.path().join("visits.csv");
    std::fs::write(&path, bytes).unwrap();
    let mut out = Vec::new();
    let rejected =
        backend::cli::visit_import::run(&app.db_url, &path, "2024年寒假家访", false, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert_eq!(rejected, 2, "{report}");
    assert!(report.contains("新增 / new: 1"), "{report}");
    assert!(!report.contains("No visitor has an account"), "{report}");
    assert!(
        report.contains("没有此姓名的账号：无账号老师") && report.contains("no account has the name 无账号老师"),
        "{report}"
    );
    assert!(
        report.contains("多个账号同名：周老师") && report.contains("several accounts share the name 周老师"),
        "{report}"
    );
    let author: i64 = sqlx::query_scalar("SELECT author_id FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(author, class.counselor.id.get(), "the counselor who has not signed in yet is the author");
    let member: i64 = sqlx::query_scalar("SELECT user_id FROM visit_members").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(member, school.colleges[0].advisor.id.get(), "and the advisor who has not signed in yet took part");
}

#[tokio::test]
async fn a_web_import_takes_members_not_yet_activated() {
    let (app, school, campaign) = setup().await;
    let class = &school.colleges[0].classes[0];
    not_yet_activated(&app, school.colleges[0].advisor.id, "孙老师").await;
    let counselor = app.signed_in(&class.counselor).await;
    let bytes = file(&[[&class.students[0].student_no, "2024-01-20", "上门", "孙老师、吴老师", "", ""]]);
    let preview = app.preview_visit_import(&counselor, campaign, "v.csv", bytes).await;
    let c = &preview.counts;
    assert_eq!((c.new, c.rejected, c.warnings), (1, 0, 1), "{preview:#?}");
    let warning = &preview.issues[0].message;
    assert!(warning.contains("吴老师") && !warning.contains("孙老师"), "{warning}");
    app.commit_visit_import(&counselor, preview.import_id).await;
    let member: i64 = sqlx::query_scalar("SELECT user_id FROM visit_members").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(member, school.colleges[0].advisor.id.get());
}
