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
    let import = backend::api::visits::import::command::run;
    let rejected = import(&app.db_url, &path, "2024年寒假家访", false, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert_eq!(rejected, 1, "{report}");
    assert!(report.contains("新增 / new: 1"), "{report}");
    let author: i64 = sqlx::query_scalar("SELECT author_id FROM visits").fetch_one(&app.db.read).await.unwrap();
    assert_eq!(author, class.counselor.id);

    let mut out = Vec::new();
    import(&app.db_url, &path, "2024年寒假家访", false, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert!(report.contains("新增 / new: 0") && report.contains("已导入过 / unchanged: 1"), "{report}");
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, 1);
}
