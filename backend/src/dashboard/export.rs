//! The campaign's xlsx export: the summary's tables and the visit list (address and guardian
//! phone only when asked for, by callers who may see them: the API decides and audits).
//! Formula-like cells are escaped.

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use shared::dashboard::{CampaignSummary, GroupRow};
use shared::feedback::Suggestion;
use shared::{Aspect, VisitMode};

use super::filter::Filter;
use super::HOUSEHOLD_KEY;
use crate::db::{Db, Sql};
use crate::error::Result;
use crate::import::export::escape;

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(sqlx::FromRow)]
pub struct VisitRow {
    pub student_id: i64,
    visited_on: String,
    mode: String,
    student_no: String,
    name: String,
    college: String,
    class: String,
    city: Option<String>,
    district: Option<String>,
    aspects: String,
    author: String,
    address: Option<String>,
    phone: Option<String>,
}

/// The visits within scope and filters, oldest first.
pub async fn visit_rows(db: &Db, filter: &Filter, sensitive: bool) -> Result<Vec<VisitRow>> {
    let extra = if sensitive {
        format!("s.address AS address, {HOUSEHOLD_KEY} AS phone")
    } else {
        "NULL AS address, NULL AS phone".into()
    };
    let mut sql = Sql::new(&format!(
        "SELECT v.student_id, v.visited_on, v.mode, s.student_no, s.name, co.name AS college, cl.name AS class, \
         s.city, s.district, v.aspects, u.display_name AS author, {extra}"
    ));
    let from =
        filter.visits_joined(true, " JOIN colleges co ON co.id = cl.college_id JOIN users u ON u.id = v.author_id");
    sql.push_sql(&from).push(" ORDER BY v.visited_on, v.id");
    Ok(sql.fetch_all(&db.read).await?)
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow::anyhow!("writing the export: {e}")
}

fn header(sheet: &mut Worksheet, columns: &[&str]) -> anyhow::Result<()> {
    let bold = Format::new().set_bold();
    for (c, title) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, &bold).map_err(xlsx_error)?;
        sheet.set_column_width(c as u16, 14).map_err(xlsx_error)?;
    }
    Ok(())
}

fn text(sheet: &mut Worksheet, row: u32, col: u16, value: &str) -> anyhow::Result<()> {
    if !value.is_empty() {
        sheet.write_string(row, col, escape(value)).map_err(xlsx_error)?;
    }
    Ok(())
}

/// Fen as yuan, the unit the school's sheets use.
fn yuan(fen: i64) -> f64 {
    fen as f64 / 100.0
}

fn groups(workbook: &mut Workbook, name: &str, rows: &[GroupRow]) -> anyhow::Result<()> {
    let sheet = workbook.add_worksheet().set_name(name).map_err(xlsx_error)?;
    header(sheet, &["名称", "学生数", "已覆盖", "实地走访", "云端家访", "待跟进", "祝福包", "慰问金（元）"])?;
    for (i, r) in rows.iter().enumerate() {
        let row = i as u32 + 1;
        text(sheet, row, 0, &r.name)?;
        let counts = [r.students, r.reached, r.in_person, r.cloud, r.follow_ups_open, r.packages];
        for (c, n) in counts.into_iter().enumerate() {
            sheet.write_number(row, c as u16 + 1, n as f64).map_err(xlsx_error)?;
        }
        sheet.write_number(row, counts.len() as u16 + 1, yuan(r.grant_fen)).map_err(xlsx_error)?;
    }
    Ok(())
}

/// The feedback sheet: ratings per college (answers, average, each star's count), then every
/// suggestion (date, college, class, rating, text) — no guardian, no phone number.
fn feedback(workbook: &mut Workbook, s: &CampaignSummary, suggestions: &[Suggestion]) -> anyhow::Result<()> {
    let sheet = workbook.add_worksheet().set_name("家长评价").map_err(xlsx_error)?;
    header(sheet, &["学院", "评价数", "平均分", "1星", "2星", "3星", "4星", "5星"])?;
    let mut row = 1;
    for c in &s.feedback_by_college {
        text(sheet, row, 0, &c.college)?;
        sheet.write_number(row, 1, c.ratings.responses as f64).map_err(xlsx_error)?;
        if let Some(average) = c.ratings.average() {
            sheet.write_number(row, 2, (average * 10.0).round() / 10.0).map_err(xlsx_error)?;
        }
        for (i, n) in c.ratings.stars.iter().enumerate() {
            sheet.write_number(row, 3 + i as u16, *n as f64).map_err(xlsx_error)?;
        }
        row += 1;
    }
    row += 1;
    let bold = Format::new().set_bold();
    for (c, title) in ["日期", "学院", "班级", "评分", "意见建议"].into_iter().enumerate() {
        sheet.write_string_with_format(row, c as u16, title, &bold).map_err(xlsx_error)?;
    }
    sheet.set_column_width(4, 60).map_err(xlsx_error)?;
    for s in suggestions {
        row += 1;
        text(sheet, row, 0, &s.date)?;
        text(sheet, row, 1, &s.college)?;
        text(sheet, row, 2, &s.class)?;
        sheet.write_number(row, 3, s.rating as f64).map_err(xlsx_error)?;
        text(sheet, row, 4, &s.text)?;
    }
    Ok(())
}

/// Sheets: 概况 (figures), 按学院, 按辅导员, 区县覆盖, 八个方面, 家长评价, 家访记录.
pub fn workbook(
    s: &CampaignSummary,
    visits: &[VisitRow],
    suggestions: &[Suggestion],
    sensitive: bool,
) -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let f = &s.figures;
    let sheet = workbook.add_worksheet().set_name("概况").map_err(xlsx_error)?;
    header(sheet, &["指标", "数值"])?;
    let figures = [
        ("覆盖学生", f.students_reached),
        ("实地走访学生", f.in_person_students),
        ("实地走访家庭", f.in_person_households),
        ("云端家访学生", f.cloud_students),
        ("电话家访学生", f.phone_students),
        ("家访次数", f.visits),
        ("城市", f.cities),
        ("区县", f.regions),
        ("班级", f.classes_total),
        ("召开家长会班级", f.classes_with_meeting),
        ("家长会报名", f.meeting_signups),
        ("家长会到会", f.meeting_attendance),
        ("待跟进", f.follow_ups_open),
        ("已完成跟进", f.follow_ups_done),
        ("祝福包", f.packages),
        ("发放慰问金人次", f.grants),
    ];
    text(sheet, 1, 0, "活动")?;
    text(sheet, 1, 1, &s.campaign.name)?;
    for (i, (label, n)) in figures.into_iter().enumerate() {
        text(sheet, i as u32 + 2, 0, label)?;
        sheet.write_number(i as u32 + 2, 1, n as f64).map_err(xlsx_error)?;
    }
    let row = figures.len() as u32 + 2;
    text(sheet, row, 0, "慰问金（元）")?;
    sheet.write_number(row, 1, yuan(f.grant_fen)).map_err(xlsx_error)?;
    groups(&mut workbook, "按学院", &s.by_college)?;
    groups(&mut workbook, "按辅导员", &s.by_counselor)?;
    let sheet = workbook.add_worksheet().set_name("区县覆盖").map_err(xlsx_error)?;
    header(sheet, &["城市", "区县", "学生"])?;
    for (i, a) in s.by_district.iter().enumerate() {
        let row = i as u32 + 1;
        text(sheet, row, 0, &a.city)?;
        text(sheet, row, 1, &a.district)?;
        match a.students {
            Some(n) => sheet.write_number(row, 2, n as f64).map(|_| ()).map_err(xlsx_error)?,
            None => text(sheet, row, 2, "<5")?,
        }
    }
    let sheet = workbook.add_worksheet().set_name("八个方面").map_err(xlsx_error)?;
    header(sheet, &["方面", "家访次数"])?;
    for (i, a) in s.aspects.iter().enumerate() {
        let label = Aspect::ALL.into_iter().find(|x| x.code() == a.aspect).map(|x| x.label_zh()).unwrap_or("");
        text(sheet, i as u32 + 1, 0, label)?;
        sheet.write_number(i as u32 + 1, 1, a.visits as f64).map_err(xlsx_error)?;
    }
    feedback(&mut workbook, s, suggestions)?;
    let sheet = workbook.add_worksheet().set_name("家访记录").map_err(xlsx_error)?;
    let mut columns = vec!["日期", "方式", "学号", "姓名", "学院", "班级", "城市", "区县", "方面", "记录人"];
    if sensitive {
        columns.extend(["家庭住址", "家长电话"]);
    }
    header(sheet, &columns)?;
    for (i, v) in visits.iter().enumerate() {
        let row = i as u32 + 1;
        let mode = VisitMode::parse(&v.mode).map(|m| m.label(shared::Lang::Zh)).unwrap_or("");
        let aspects: Vec<&str> = Aspect::ALL
            .into_iter()
            .filter(|a| v.aspects.split(',').any(|c| c == a.code()))
            .map(|a| a.label_zh())
            .collect();
        let cells = [
            v.visited_on.as_str(),
            mode,
            &v.student_no,
            &v.name,
            &v.college,
            &v.class,
            v.city.as_deref().unwrap_or(""),
            v.district.as_deref().unwrap_or(""),
            &aspects.join("、"),
            &v.author,
        ];
        for (c, value) in cells.into_iter().enumerate() {
            text(sheet, row, c as u16, value)?;
        }
        if sensitive {
            text(sheet, row, 10, v.address.as_deref().unwrap_or(""))?;
            let phone = v.phone.as_deref().filter(|p| !p.starts_with("a:") && !p.starts_with("s:")).unwrap_or("");
            text(sheet, row, 11, phone)?;
        }
    }
    workbook.save_to_buffer().map_err(xlsx_error)
}
