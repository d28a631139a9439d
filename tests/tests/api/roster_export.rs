//! `GET /api/students/export.xlsx`: the roster template's headers, the caller's scope, sensitive
//! columns only when asked (and audited), formula-looking cells escaped, and import → export →
//! import changes nothing.

use backend::import::read::{read_rows, Format, RawRow};
use reqwest::{Client, StatusCode};
use shared::imports::ImportResult;
use shared::Role;
use tests::imports::sample;
use tests::{error_body, json_of, spawn_app, TestApp};

const SENSITIVE: [&str; 3] = ["家庭住址", "家长电话", "经济困难等级"];

async fn export(app: &TestApp, client: &Client, query: &str) -> Vec<u8> {
    let response = app.get(client, &format!("/api/students/export.xlsx?{query}")).await;
    assert_eq!(response.status(), StatusCode::OK, "export?{query}");
    let kind = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(kind.contains("spreadsheetml"), "{kind}");
    response.bytes().await.unwrap().to_vec()
}

fn cells(xlsx: &[u8]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    read_rows(xlsx, Format::Xlsx, None, &mut |r: RawRow| {
        rows.push(r.cells);
        Ok(())
    })
    .expect("a readable export");
    rows
}

#[tokio::test]
async fn import_export_import_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    app.import_roster(&admin, "roster.csv", sample("utf8")).await;
    for query in ["include_sensitive=true", "include_sensitive=false", ""] {
        let file = export(&app, &admin, query).await;
        let preview = app.preview_roster(&admin, "export.xlsx", file).await;
        let c = &preview.counts;
        assert_eq!(
            (c.rows, c.new, c.updated, c.unchanged, c.rejected, c.warnings),
            (9, 0, 0, 9, 0, 0),
            "{query}: {c:?}"
        );
        assert!(preview.unknown_columns.is_empty(), "{:?}", preview.unknown_columns);
        let result: ImportResult = json_of(app.commit(&admin, preview.import_id).await, "confirming").await;
        assert_eq!(result.counts.unchanged, 9);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM guardians WHERE phone IS NOT NULL").await, 8, "no phone was lost");
}

#[tokio::test]
async fn sensitive_columns_only_when_asked_by_someone_who_may_see_them_and_audited() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;

    let plain = cells(&export(&app, &admin, "").await);
    assert_eq!(
        plain[0],
        ["学号", "姓名", "性别", "学院", "专业", "年级", "班级", "辅导员", "省份", "城市", "区县", "家长姓名", "关系"]
    );
    assert_eq!(plain.len(), 13, "a header and the school's twelve students");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'").await, 0);

    let full = cells(&export(&app, &admin, "include_sensitive=true").await);
    assert!(SENSITIVE.iter().all(|h| full[0].iter().any(|c| c == h)), "{:?}", full[0]);
    let phone = full[0].iter().position(|c| c == "家长电话").unwrap();
    assert!(full[1..].iter().all(|r| r[phone] == tests::GUARDIAN_PHONE), "{full:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'export'").await, 12, "one entry per student");
    let who = app
        .count(&format!("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND user_id = {}", school.admin.id))
        .await;
    assert_eq!(who, 12);

    // Each role exports its own scope only, and the list's filters apply.
    let college = &school.colleges[0];
    for (account, expected) in [(&college.leader, 6), (&college.classes[0].counselor, 3), (&college.advisor, 3)] {
        let client = app.signed_in(account).await;
        let rows = cells(&export(&app, &client, "").await);
        assert_eq!(rows.len() - 1, expected, "{}", account.username);
        assert!(rows[0].iter().all(|h| !SENSITIVE.contains(&h.as_str())));
    }
    let class = &college.classes[1];
    let rows = cells(&export(&app, &admin, &format!("class_id={}", class.id)).await);
    assert_eq!(rows.len() - 1, class.students.len());
    let anonymous = app.client();
    let (status, _) = error_body(app.get(&anonymous, "/api/students/export.xlsx").await).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = error_body(app.get(&admin, "/api/students/export.xlsx?include_sensitive=maybe").await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn cells_that_look_like_formulas_are_escaped_and_import_back_unchanged() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let csv = "学号,姓名,学院,班级,家庭住址,家长姓名\n\
               2023010101,\"=HYPERLINK(\"\"http://x\"\")\",理学院,数学2301,+1 沈阳,@SUM(A1)\n\
               2023010102,王芳,理学院,数学2301,-3 大连,李四\n";
    app.import_roster(&admin, "roster.csv", csv.as_bytes().to_vec()).await;
    let file = export(&app, &admin, "include_sensitive=true").await;
    let rows = cells(&file);
    let column = |name: &str| rows[0].iter().position(|c| c == name).unwrap();
    assert_eq!(rows[1][column("姓名")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(rows[1][column("家庭住址")], "'+1 沈阳");
    assert_eq!(rows[1][column("家长姓名")], "'@SUM(A1)");
    assert_eq!(rows[2][column("家庭住址")], "'-3 大连");
    assert_eq!(rows[2][column("姓名")], "王芳");
    let preview = app.preview_roster(&admin, "export.xlsx", file).await;
    assert_eq!((preview.counts.unchanged, preview.counts.updated), (2, 0), "the escape is undone on import");
}
