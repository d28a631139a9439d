//! What roster uploads are refused, and the command line's report.

use reqwest::StatusCode;
use shared::Role;
use tests::imports::{sample, sample_text, xlsx_from_csv};
use tests::{error_body, spawn_app};

/// A zip archive with one entry whose central directory declares `declared` bytes once
/// decompressed, while the data is a few bytes: what a zip bomb looks like before it is opened.
fn zip_declaring(declared: u32) -> Vec<u8> {
    let name = b"xl/worksheets/sheet1.xml";
    let data = [0x03u8, 0x00]; // an empty deflate stream
    let mut local = Vec::new();
    local.extend(0x0403_4b50u32.to_le_bytes());
    local.extend([20, 0, 0, 0, 8, 0, 0, 0, 0, 0]); // version, flags, deflate, time, date
    local.extend(0u32.to_le_bytes()); // crc
    local.extend((data.len() as u32).to_le_bytes());
    local.extend(declared.to_le_bytes());
    local.extend((name.len() as u16).to_le_bytes());
    local.extend(0u16.to_le_bytes());
    local.extend(name);
    local.extend(data);
    let mut central = Vec::new();
    central.extend(0x0201_4b50u32.to_le_bytes());
    central.extend([20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0]);
    central.extend(0u32.to_le_bytes());
    central.extend((data.len() as u32).to_le_bytes());
    central.extend(declared.to_le_bytes());
    central.extend((name.len() as u16).to_le_bytes());
    central.extend([0u8; 12]); // extra, comment, disk, attributes
    central.extend(0u32.to_le_bytes()); // offset of the local header
    central.extend(name);
    let mut zip = local.clone();
    let offset = zip.len() as u32;
    zip.extend(&central);
    zip.extend(0x0605_4b50u32.to_le_bytes());
    zip.extend([0, 0, 0, 0, 1, 0, 1, 0]);
    zip.extend((central.len() as u32).to_le_bytes());
    zip.extend(offset.to_le_bytes());
    zip.extend(0u16.to_le_bytes());
    zip
}

#[tokio::test]
async fn a_zip_bomb_is_refused_before_it_is_parsed() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let (status, error) =
        error_body(app.upload_roster(&admin, "roster.xlsx", zip_declaring(4_000_000_000)).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "validation"), "{error:?}");
    assert!(error.fields["file"].contains("压缩炸弹"), "{error:?}");
    // The same archive declaring its true size is not a bomb, merely not a workbook.
    let (status, error) = error_body(app.upload_roster(&admin, "roster.xlsx", zip_declaring(0)).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!error.fields["file"].contains("压缩炸弹"), "{error:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM imports").await, 0, "nothing refused is kept");
}

#[tokio::test]
async fn uploads_have_their_own_size_limit() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    // Larger than the 256 KiB limit of JSON bodies: accepted on this route.
    let mut big = sample_text().lines().next().unwrap().to_string();
    for i in 0..4000 {
        big.push_str(&format!("\n2024{i:06},学生{i},男,测试学院,测试专业,2024,测试2401,,辽宁省,沈阳市,浑南区,某街{i}号,家长{i},父亲,1384001{i:04},"));
    }
    assert!(big.len() > 300 * 1024);
    let preview = app.preview_roster(&admin, "big.csv", big.into_bytes()).await;
    assert_eq!((preview.counts.new, preview.counts.rejected), (4000, 0));

    let too_big = vec![b'x'; backend::import::MAX_UPLOAD_BYTES + 1024];
    let (status, error) = error_body(app.upload_roster(&admin, "huge.csv", too_big).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"), "{error:?}");
    assert!(!error.message.is_empty());
}

#[tokio::test]
async fn unusable_files_get_a_clear_answer() {
    let app = spawn_app().await;
    let admin = app.signed_in(&app.add_account("admin", Role::Admin, None).await).await;
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("roster.csv", "姓名,学院\n李明,理学院\n".as_bytes().to_vec(), "学号"),
        ("roster.csv", b"\n \n".to_vec(), "空"),
        ("roster.xls", b"\xD0\xCF\x11\xE0".to_vec(), ".xls"),
        ("roster.xlsx", b"PK\x03\x04 not really".to_vec(), "xlsx"),
    ];
    for (name, bytes, expected) in cases {
        let (status, error) = error_body(app.upload_roster(&admin, name, bytes).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: {error:?}");
        assert!(error.fields["file"].contains(expected), "{name}: {error:?}");
    }
    let url = app.url("/api/imports/roster/preview?filename=a.xlsx&sheet=Nope");
    let xlsx = xlsx_from_csv(&sample_text(), "学生");
    let (status, error) = error_body(admin.post(url).body(xlsx).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error.fields["file"].contains("学生"), "the sheets are listed: {error:?}");

    // Unknown columns are ignored and listed once; English headers in any order and case work.
    let csv = " Name ,STUDENT_NO,class,College,备注,Remark\n李明,2023010101,计算机2301,理学院,x,y\n王芳,2023010102,计算机2301,理学院,,\n";
    let preview = app.preview_roster(&admin, "roster.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(preview.unknown_columns, ["备注", "Remark"]);
    assert_eq!((preview.counts.new, preview.counts.rejected, preview.issues.len()), (2, 0, 0));
}

#[tokio::test]
async fn the_command_line_dry_run_prints_the_report_and_fails_on_rejected_rows() {
    let app = spawn_app().await;
    let file = app.dir.path().join("sample-roster-gbk.csv");
    std::fs::write(&file, sample("gbk")).unwrap();
    let mut out = Vec::new();
    let rejected = backend::cli::roster_import::roster(&app.db_url, &file, true, None, &mut out).await.unwrap();
    let report = String::from_utf8(out).unwrap();
    assert_eq!(rejected, 2, "the caller exits non-zero: {report}");
    for expected in [
        "新增 / new: 9",
        "拒绝 / rejected: 2",
        "警告 / warnings: 1",
        "第 9 行 / row 9 [家长电话]",
        "第 11 行 / row 11 [班级]",
        "第 12 行 / row 12 [学号]",
        "dry run",
    ] {
        assert!(report.contains(expected), "{expected:?} in {report}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 0, "a dry run writes nothing");

    let mut out = Vec::new();
    backend::cli::roster_import::roster(&app.db_url, &file, false, None, &mut out).await.unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 9);
}

#[tokio::test]
async fn the_import_and_export_routes_are_described() {
    let app = spawn_app().await;
    let document: serde_json::Value = app.get_json(&app.client(), "/api/openapi.json").await;
    for (path, method) in [
        ("/api/imports/roster/preview", "post"),
        ("/api/imports/{id}/commit", "post"),
        ("/api/students/export.xlsx", "get"),
    ] {
        let responses = &document["paths"][path][method]["responses"];
        assert!(responses["403"].is_object(), "{method} {path} is not described");
    }
}
