//! Roster import (docs/roster-template.md): the product owner's samples give exactly the
//! expected report in either encoding and as xlsx; confirming writes all or nothing; importing
//! again changes nothing; only admins may import.

use reqwest::StatusCode;
use shared::imports::{ImportPreview, ImportResult, IssueKind, RowStatus};
use shared::Role;
use tests::imports::{sample, sample_text, xlsx_from_csv};
use tests::{error_body, json_of, spawn_app, TestApp};

/// (row, column, kind) of each remark: what docs/roster-template.md says the samples contain.
fn remarks(preview: &ImportPreview) -> Vec<(u32, String, IssueKind)> {
    preview.issues.iter().map(|i| (i.row, i.column.clone().unwrap_or_default(), i.kind)).collect()
}

pub fn assert_sample_preview(preview: &ImportPreview) {
    let c = &preview.counts;
    assert_eq!((c.rows, c.new, c.updated, c.unchanged, c.rejected, c.warnings), (11, 9, 0, 0, 2, 1), "{c:?}");
    assert_eq!((c.new_colleges, c.new_classes, c.new_counselors), (2, 3, 2), "{c:?}");
    assert!(preview.unknown_columns.is_empty(), "{:?}", preview.unknown_columns);
    assert_eq!(
        remarks(preview),
        [
            (9, "家长电话".to_string(), IssueKind::Warning),
            (11, "班级".to_string(), IssueKind::Rejected),
            (12, "学号".to_string(), IssueKind::Conflict),
        ]
    );
    let status = |row: u32| preview.rows.iter().find(|r| r.row == row).map(|r| (r.status, r.issue));
    assert_eq!(status(2), Some((RowStatus::New, None)));
    assert_eq!(status(9), Some((RowStatus::New, Some(IssueKind::Warning))));
    assert_eq!(status(11), Some((RowStatus::Rejected, Some(IssueKind::Rejected))));
    assert_eq!(status(12), Some((RowStatus::Rejected, Some(IssueKind::Conflict))));
    let wang = preview.rows.iter().find(|r| r.row == 10).expect("row 10");
    assert_eq!((wang.name.as_str(), wang.class.as_str()), ("王欣怡", "车辆2201"), "stray spaces are trimmed");
}

async fn students_in(app: &TestApp, classes: &[&str]) -> i64 {
    let list = classes.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
    app.count(&format!(
        "SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE cl.name IN ({list})"
    ))
    .await
}

async fn phone_of(app: &TestApp, student_no: &str) -> Option<String> {
    sqlx::query_scalar("SELECT g.phone FROM guardians g JOIN students s ON s.id = g.student_id WHERE s.student_no = $1")
        .bind(student_no.to_string())
        .fetch_one(&app.db.read)
        .await
        .expect("a guardian")
}

#[tokio::test]
async fn the_utf8_sample_previews_then_imports_as_the_template_says() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;

    let preview = app.preview_roster(&admin, "sample-roster-utf8.csv", sample("utf8")).await;
    assert_sample_preview(&preview);
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 0, "a preview writes nothing");
    assert_eq!(app.count("SELECT COUNT(*) FROM colleges").await, 0, "a preview writes nothing");

    let result: ImportResult = json_of(app.commit(&admin, preview.import_id).await, "confirming").await;
    let c = &result.counts;
    assert_eq!((c.new, c.updated, c.unchanged, c.rejected, c.warnings), (9, 0, 0, 2, 1), "{c:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 9);
    assert_eq!(students_in(&app, &["计算机2301", "通信2302"]).await, 5);
    assert_eq!(students_in(&app, &["车辆2201"]).await, 4);
    assert_eq!(phone_of(&app, "2022020102").await.as_deref(), Some("13849390011"), "full-width digits");
    assert_eq!(phone_of(&app, "2022020103").await, None, "the invalid phone is not imported");
    let zhou: String = sqlx::query_scalar("SELECT name FROM students WHERE student_no = '2022020101'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(zhou, "周磊", "the first row with a repeated number stays");

    // Each counselor named gets one inactive account without a password, assigned to the classes.
    let mut names: Vec<&str> = result.created_counselors.iter().map(|c| c.display_name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["王晓燕", "高建华"]);
    let waiting =
        app.count("SELECT COUNT(*) FROM users WHERE role = 'counselor' AND active = 0 AND password_hash IS NULL").await;
    assert_eq!(waiting, 2);
    let assigned = app
        .count("SELECT COUNT(*) FROM classes cl JOIN users u ON u.id = cl.counselor_id WHERE u.display_name = '王晓燕'")
        .await;
    assert_eq!(assigned, 2, "计算机2301 and 通信2302");
    let (status, error) = error_body(app.commit(&admin, preview.import_id).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::CONFLICT, "conflict"), "confirming twice");
}

#[tokio::test]
async fn gbk_utf8_and_xlsx_give_the_same_preview() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let utf8 = app.preview_roster(&admin, "roster.csv", sample("utf8")).await;
    let gbk = app.preview_roster(&admin, "roster.csv", sample("gbk")).await;
    let xlsx_bytes = xlsx_from_csv(&sample_text(), "学生");
    let xlsx = app.preview_roster(&admin, "名单.xlsx", xlsx_bytes.clone()).await;
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(sample("utf8"));
    let with_bom = app.preview_roster(&admin, "roster.csv", bom).await;
    for other in [&gbk, &xlsx, &with_bom] {
        assert_sample_preview(other);
        assert_eq!((&other.issues, &other.rows), (&utf8.issues, &utf8.rows));
    }
    assert_eq!((xlsx.sheet.as_deref(), xlsx.sheets.clone()), (Some("学生"), vec!["学生".to_string()]));

    // The xlsx version imports the same students, numbers stored as numbers included.
    let result: ImportResult = json_of(app.commit(&admin, xlsx.import_id).await, "confirming").await;
    assert_eq!(result.counts.new, 9);
    assert_eq!(phone_of(&app, "2023010101").await.as_deref(), Some("13840012345"));
    let again = app.preview_roster(&admin, "roster.csv", sample("gbk")).await;
    assert_eq!((again.counts.new, again.counts.unchanged), (0, 9), "the CSV matches what the xlsx wrote");
    let sniffed = app.preview_roster(&admin, "名单", xlsx_bytes).await;
    assert_eq!((sniffed.counts.unchanged, &sniffed.issues), (9, &xlsx.issues), "an xlsx file is known by its content");
}

#[tokio::test]
async fn importing_the_same_file_again_changes_nothing_and_a_changed_row_updates() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    app.import_roster(&admin, "roster.csv", sample("utf8")).await;
    let stamp = app.count("SELECT CAST(SUM(updated_at) AS BIGINT) FROM students").await;

    let again = app.import_roster(&admin, "roster.csv", sample("gbk")).await;
    let c = &again.counts;
    assert_eq!((c.new, c.updated, c.unchanged, c.rejected), (0, 0, 9, 2), "{c:?}");
    assert_eq!((c.new_colleges, c.new_classes, c.new_counselors), (0, 0, 0));
    assert!(again.created_counselors.is_empty());
    assert_eq!(app.count("SELECT CAST(SUM(updated_at) AS BIGINT) FROM students").await, stamp, "no row was rewritten");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 3, "no second counselor account");

    // 李明 moved house and his father has a new phone; 张婷 moves to 通信2302.
    let changed = sample_text()
        .replace(
            "沈阳市,浑南区,辽宁省沈阳市浑南区智慧二街18号,李建国,父亲,13840012345",
            "大连市,中山区,辽宁省大连市中山区人民路1号,李建国,父亲,13840099999",
        )
        .replace(
            "2023010102,张婷,女,电子与信息工程学院,计算机科学与技术,2023,计算机2301",
            "2023010102,张婷,女,电子与信息工程学院,通信工程,2023,通信2302",
        );
    let preview = app.preview_roster(&admin, "roster.csv", changed.into_bytes()).await;
    let c = &preview.counts;
    assert_eq!((c.new, c.updated, c.unchanged), (0, 2, 7), "{c:?}");
    let updated: Vec<u32> = preview.rows.iter().filter(|r| r.status == RowStatus::Updated).map(|r| r.row).collect();
    assert_eq!(updated, [2, 3]);
    json_of::<ImportResult>(app.commit(&admin, preview.import_id).await, "confirming").await;
    assert_eq!(phone_of(&app, "2023010101").await.as_deref(), Some("13840099999"));
    let city: String = sqlx::query_scalar("SELECT city FROM students WHERE student_no = '2023010101'")
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(city, "大连市");
    assert_eq!(students_in(&app, &["通信2302"]).await, 3);
    assert_eq!(app.count("SELECT COUNT(*) FROM guardians").await, 9, "the guardian was updated, not added");
}

/// A trigger makes the database refuse one student in the middle of the confirmation.
async fn refuse_student(app: &TestApp, student_no: &str) {
    let statements = match backend::db::DbKind::Postgres == app.db.kind {
        true => vec![
            format!(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN IF NEW.student_no = '{student_no}' \
                 THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"
            ),
            "CREATE TRIGGER refuse BEFORE INSERT ON students FOR EACH ROW EXECUTE FUNCTION refuse()".to_string(),
        ],
        false => vec![format!(
            "CREATE TRIGGER refuse BEFORE INSERT ON students WHEN NEW.student_no = '{student_no}' \
             BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )],
    };
    for sql in statements {
        sqlx::raw_sql(&sql).execute(&app.db.write).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

#[tokio::test]
async fn a_confirmation_that_fails_midway_writes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let preview = app.preview_roster(&admin, "roster.csv", sample("utf8")).await;
    refuse_student(&app, "2022020104").await;

    let (status, error) = error_body(app.commit(&admin, preview.import_id).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::INTERNAL_SERVER_ERROR, "internal"));
    for table in ["students", "guardians", "classes", "colleges"] {
        assert_eq!(app.count(&format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1, "no counselor account either");
    assert_eq!(app.count("SELECT COUNT(*) FROM imports WHERE committed_at IS NULL").await, 1, "still to confirm");

    let drop = if app.db.kind == backend::db::DbKind::Postgres {
        "DROP TRIGGER refuse ON students"
    } else {
        "DROP TRIGGER refuse"
    };
    sqlx::raw_sql(drop).execute(&app.db.write).await.unwrap();
    let result: ImportResult = json_of(app.commit(&admin, preview.import_id).await, "confirming again").await;
    assert_eq!(result.counts.new, 9);
}

#[tokio::test]
async fn only_admins_may_import() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let preview = app.preview_roster(&admin, "roster.csv", sample("utf8")).await;
    let college = &school.colleges[0];
    for account in [&college.classes[0].counselor, &college.leader, &college.advisor] {
        let client = app.signed_in(account).await;
        let (status, error) = error_body(app.upload_roster(&client, "roster.csv", sample("utf8")).await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::FORBIDDEN, "forbidden"), "{}", account.username);
        let (status, _) = error_body(app.commit(&client, preview.import_id).await).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}", account.username);
    }
    let anonymous = app.client();
    let (status, _) = error_body(app.upload_roster(&anonymous, "roster.csv", sample("utf8")).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = error_body(app.commit(&anonymous, preview.import_id).await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.count("SELECT COUNT(*) FROM imports WHERE committed_at IS NULL").await, 1);
}

#[tokio::test]
async fn a_counselor_the_roster_created_is_activated_with_a_link_and_sees_their_classes() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let result = app.import_roster(&admin, "roster.csv", sample("utf8")).await;
    let wang = result.created_counselors.iter().find(|c| c.display_name == "王晓燕").expect("王晓燕's account");
    let response = app.login(&app.client(), &wang.username, "").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "no password, no sign-in");

    let link: shared::users::ActivationLink =
        json_of(app.post_json(&admin, &format!("/api/users/{}/activation", wang.id), &()).await, "a link").await;
    let token = link.link.strip_prefix("/activate#token=").expect("a link to the activation page");
    assert!(token.len() >= 22, "at least 128 random bits");
    let password = "家访 counselor 2024!";
    let body = serde_json::json!({ "token": token, "password": password });
    let _: serde_json::Value = json_of(app.post_json(&app.client(), "/api/activate", &body).await, "activating").await;

    let counselor = app.client();
    let _: shared::auth::Me = json_of(app.login(&counselor, &wang.username, password).await, "signing in").await;
    let page: shared::Page<shared::org::StudentSummary> = app.get_json(&counselor, "/api/students?per_page=200").await;
    assert_eq!(page.total, 5, "the students of 计算机2301 and 通信2302");
}

#[tokio::test]
async fn the_roster_template_is_an_xlsx_the_import_takes_with_its_example_row() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let path = app.dir.path().join("名单模板.xlsx");
    backend::cli::roster_import::write_template(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PK"), "an xlsx is a zip archive");

    let preview = app.preview_roster(&admin, "名单模板.xlsx", bytes).await;
    let c = &preview.counts;
    assert_eq!((c.new, c.rejected, c.warnings), (1, 0, 0), "{preview:#?}");
    assert!(preview.issues.is_empty(), "every column is known and the example is valid: {preview:#?}");
    json_of::<ImportResult>(app.commit(&admin, preview.import_id).await, "confirming").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 1);
    assert_eq!(phone_of(&app, "2023010101").await.as_deref(), Some("13800138000"));
}
