//! A school's first week from the command line (`tests/first-week.sh`), on a fresh database: the
//! roster template filled in, the roster imported (creating counselor accounts not yet
//! activated), a campaign added, last winter's visits by those counselors imported, and the
//! report — whose figures must be the ones the files give.

use std::collections::HashSet;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Reader, Xlsx};
use shared::dashboard::CampaignSummary;
use tests::spawn_app;

/// student_no, name, college, class, counselor, city, district, guardian phone.
const ROSTER: [[&str; 8]; 8] = [
    ["2023010101", "张伟", "计算机学院", "计算机2301", "李文辅导员", "郑州市", "金水区", "13800000001"],
    ["2023010102", "王芳", "计算机学院", "计算机2301", "李文辅导员", "郑州市", "金水区", "13800000001"],
    ["2023010103", "李娜", "计算机学院", "计算机2301", "李文辅导员", "郑州市", "二七区", "13800000003"],
    ["2023010201", "刘洋", "计算机学院", "计算机2302", "李文辅导员", "洛阳市", "西工区", "13800000004"],
    ["2023020101", "陈静", "外国语学院", "英语2301", "周敏辅导员", "开封市", "鼓楼区", "13800000005"],
    ["2023020102", "杨磊", "外国语学院", "英语2301", "周敏辅导员", "开封市", "龙亭区", "13800000006"],
    ["2023020103", "赵敏", "外国语学院", "英语2301", "周敏辅导员", "洛阳市", "老城区", "13800000007"],
    ["2023020104", "黄强", "外国语学院", "英语2301", "周敏辅导员", "新乡市", "红旗区", "13800000008"],
];

/// student_no, date, mode, visitors, aspects. 张伟 and 王芳 are siblings (one household);
/// 陈静 is called twice; 黄强 is never reached.
const VISITS: [[&str; 5]; 7] = [
    ["2023010101", "2024-01-18", "上门", "李文辅导员", "学业帮扶、心理健康服务"],
    ["2023010102", "2024-01-18", "上门", "李文辅导员", "学业帮扶"],
    ["2023010103", "2024-01-20", "云连线", "李文辅导员", "生涯规划"],
    ["2023010201", "2024-01-22", "上门", "李文辅导员", "资助育人"],
    ["2023020101", "2024-01-23", "云连线", "周敏辅导员", "就业指导"],
    ["2023020101", "2024-02-01", "云连线", "周敏辅导员", "心理健康服务"],
    ["2023020102", "2024-02-02", "电话", "周敏辅导员", "综合素质提升"],
];

fn script() -> PathBuf {
    tests::workspace_dir().join("tests/first-week.sh")
}

async fn run_script(database_url: &str, folder: &Path) -> Output {
    let (url, folder) = (database_url.to_string(), folder.to_path_buf());
    tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .arg(script())
            .arg(&folder)
            .env("JIAFANG", env!("CARGO_BIN_EXE_jiafang-under-test"))
            .env("DATABASE_URL", url)
            .env("TARGET_STUDENTS", "8")
            .output()
            .expect("running tests/first-week.sh")
    })
    .await
    .expect("the script's thread")
}

/// The template's header row (the first row naming 学号), and how many rows it has.
fn template_headers(bytes: Vec<u8>) -> (Vec<String>, usize) {
    let mut book = Xlsx::new(Cursor::new(bytes)).expect("the template is an xlsx file");
    let sheet = book.worksheet_range_at(0).expect("a first sheet").expect("a readable sheet");
    let header = sheet
        .rows()
        .find(|r| r.iter().any(|c| *c == "学号"))
        .expect("a header row naming 学号")
        .iter()
        .map(|c| c.to_string())
        .collect();
    (header, sheet.rows().count())
}

/// The roster typed into the template under its own headers.
fn fill_in(headers: &[String]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, h).expect("a header cell");
    }
    for (r, s) in ROSTER.iter().enumerate() {
        for (c, h) in headers.iter().enumerate() {
            let value = match h.as_str() {
                "学号" => s[0],
                "姓名" => s[1],
                "学院" => s[2],
                "班级" => s[3],
                "辅导员" => s[4],
                "省份" => "河南省",
                "城市" => s[5],
                "区县" => s[6],
                "家长姓名" => "家长",
                "关系" => "父亲",
                "家长电话" => s[7],
                _ => "",
            };
            sheet.write_string(r as u32 + 1, c as u16, value).expect("a cell");
        }
    }
    book.save_to_buffer().expect("an xlsx file")
}

fn visits_csv() -> String {
    let mut text = String::from("学号,日期,方式,走访人,涉及方面,备注\n");
    for v in VISITS {
        text.push_str(&format!("{},{},{},{},{},\n", v[0], v[1], v[2], v[3], v[4]));
    }
    text
}

#[tokio::test]
async fn the_first_week_runs_from_the_command_line_and_the_report_matches_the_files() {
    let app = spawn_app().await;
    let folder = app.dir.path().join("school");
    std::fs::create_dir_all(&folder).unwrap();

    // First run: the template, then a stop until the roster is filled in.
    let first = run_script(&app.db_url, &folder).await;
    assert_eq!(first.status.code(), Some(3), "{}", String::from_utf8_lossy(&first.stderr));
    let (headers, rows) = template_headers(std::fs::read(folder.join("roster-template.xlsx")).unwrap());
    assert!(rows >= 2, "the template has an example row");
    for needed in ["学号", "姓名", "学院", "班级", "辅导员", "城市", "区县", "家长电话"] {
        assert!(headers.iter().any(|h| h == needed), "the template heads {needed}: {headers:?}");
    }
    std::fs::write(folder.join("roster.xlsx"), fill_in(&headers)).unwrap();
    std::fs::write(folder.join("visits.csv"), visits_csv()).unwrap();

    let second = run_script(&app.db_url, &folder).await;
    let log = format!("{}\n{}", String::from_utf8_lossy(&second.stdout), String::from_utf8_lossy(&second.stderr));
    assert!(second.status.success(), "{log}");

    // The counselors came from the roster and have not signed in: they still wrote the visits.
    let pending = app.query_i64("SELECT COUNT(*) FROM users WHERE role = 'counselor' AND password_hash IS NULL").await;
    assert_eq!(pending, 2, "{log}");
    let by_pending = app
        .query_i64("SELECT COUNT(*) FROM visits v JOIN users u ON u.id = v.author_id WHERE u.password_hash IS NULL")
        .await;
    assert_eq!(by_pending, VISITS.len() as i64, "{log}");

    // The report's figures, from the files.
    let report: CampaignSummary = serde_json::from_slice(&std::fs::read(folder.join("report.json")).unwrap()).unwrap();
    let f = &report.figures;
    let reached: HashSet<&str> = VISITS.iter().map(|v| v[0]).collect();
    let student = |no: &str| ROSTER.iter().find(|s| s[0] == no).expect("a rostered student");
    let by_mode = |mode: &str| VISITS.iter().filter(|v| v[2] == mode).map(|v| v[0]).collect::<HashSet<_>>();
    let households: HashSet<&str> = by_mode("上门").iter().map(|no| student(no)[7]).collect();
    let cities: HashSet<&str> = reached.iter().map(|no| student(no)[5]).collect();
    let regions: HashSet<(&str, &str)> = reached.iter().map(|no| (student(no)[5], student(no)[6])).collect();
    assert_eq!(f.students_total, ROSTER.len() as i64);
    assert_eq!(f.students_reached, reached.len() as i64);
    assert_eq!(f.visits, VISITS.len() as i64);
    assert_eq!(f.in_person_students, by_mode("上门").len() as i64);
    assert_eq!(f.in_person_households, households.len() as i64, "siblings share a household");
    assert_eq!(f.cloud_students, by_mode("云连线").len() as i64);
    assert_eq!(f.phone_students, by_mode("电话").len() as i64);
    assert_eq!((f.cities, f.regions), (cities.len() as i64, regions.len() as i64));
    assert_eq!(report.progress.target_students, Some(8));

    let html = std::fs::read_to_string(folder.join("report.html")).unwrap();
    let sentence = shared::dashboard::report_sentence(f);
    assert!(html.contains(&sentence), "the printable report states {sentence}");
    assert!(html.contains("辅导员2人（参与家访7次）"), "the staff line counts the counselors: {html}");

    // Running it again changes nothing.
    let again = run_script(&app.db_url, &folder).await;
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM visits").await, VISITS.len() as i64);
    assert_eq!(app.query_i64("SELECT COUNT(*) FROM students").await, ROSTER.len() as i64);
}
