//! The roster as an xlsx file, under exactly the template's Chinese headers, so that importing
//! an export changes nothing. Rows are streamed to a temporary file (constant memory), and text
//! that a spreadsheet would run as a formula is escaped.

use std::borrow::Cow;

use rust_xlsxwriter::{Format, Note, Workbook};
use shared::{Gender, Hardship, Lang};

use super::fields::Field;

/// A student as a row of the export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportRow {
    pub student_no: String,
    pub name: String,
    pub gender: Option<String>,
    pub college: String,
    pub major: Option<String>,
    pub grade: Option<i64>,
    pub class: String,
    pub counselor: Option<String>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub district: Option<String>,
    pub address: Option<String>,
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    pub hardship: Option<String>,
}

fn opt(v: &Option<String>) -> Option<Cow<'_, str>> {
    v.as_deref().map(Cow::Borrowed)
}

impl ExportRow {
    fn text(&self, field: Field) -> Option<Cow<'_, str>> {
        match field {
            Field::StudentNo => Some(Cow::Borrowed(&self.student_no)),
            Field::Name => Some(Cow::Borrowed(&self.name)),
            Field::Gender => self.gender.as_deref().map(|g| match Gender::parse(g) {
                Ok(g) => Cow::Borrowed(g.label(Lang::Zh)),
                Err(_) => Cow::Borrowed(g),
            }),
            Field::College => Some(Cow::Borrowed(&self.college)),
            Field::Major => opt(&self.major),
            Field::Grade => self.grade.map(|g| Cow::Owned(g.to_string())),
            Field::Class => Some(Cow::Borrowed(&self.class)),
            Field::Counselor => opt(&self.counselor),
            Field::Province => opt(&self.province),
            Field::City => opt(&self.city),
            Field::District => opt(&self.district),
            Field::Address => opt(&self.address),
            Field::GuardianName => opt(&self.guardian_name),
            Field::GuardianRelation => opt(&self.guardian_relation),
            Field::GuardianPhone => opt(&self.guardian_phone),
            Field::Hardship => self.hardship.as_deref().map(|h| match Hardship::parse(h) {
                Ok(h) => Cow::Borrowed(h.label(Lang::Zh)),
                Err(_) => Cow::Borrowed(h),
            }),
        }
    }
}

/// A cell that starts like a formula (`= + - @`, tab or carriage return) gets a leading `'`, so
/// that a spreadsheet shows it as text instead of running it. The import drops that `'` again.
pub fn escape(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

pub struct XlsxExport {
    workbook: Workbook,
    columns: Vec<Field>,
    next_row: u32,
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> anyhow::Error {
    anyhow::anyhow!("writing the export: {e}")
}

impl XlsxExport {
    /// A workbook with the header row; sensitive columns only if asked.
    pub fn new(sensitive: bool) -> anyhow::Result<XlsxExport> {
        let columns: Vec<Field> = Field::ALL.into_iter().filter(|f| sensitive || !f.sensitive()).collect();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet_with_constant_memory().map_err(xlsx_error)?;
        sheet.set_name("学生名单").map_err(xlsx_error)?;
        let bold = Format::new().set_bold();
        for (c, field) in columns.iter().enumerate() {
            let width = match field {
                Field::StudentNo | Field::GuardianPhone | Field::Class | Field::City | Field::District => 14,
                Field::College | Field::Major => 24,
                Field::Address => 40,
                _ => 10,
            };
            sheet.set_column_width(c as u16, width).map_err(xlsx_error)?;
            sheet.write_string_with_format(0, c as u16, field.zh(), &bold).map_err(xlsx_error)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        Ok(XlsxExport { workbook, columns, next_row: 1 })
    }

    pub fn columns(&self) -> &[Field] {
        &self.columns
    }

    pub fn add(&mut self, rows: &[ExportRow]) -> anyhow::Result<()> {
        let sheet = self.workbook.worksheet_from_index(0).map_err(xlsx_error)?;
        for row in rows {
            for (c, field) in self.columns.iter().enumerate() {
                match (field, row.text(*field)) {
                    (Field::Grade, _) if row.grade.is_some() => {
                        let grade = row.grade.unwrap_or_default() as f64;
                        sheet.write_number(self.next_row, c as u16, grade).map_err(xlsx_error)?;
                    }
                    (_, Some(text)) if !text.is_empty() => {
                        sheet.write_string(self.next_row, c as u16, escape(&text)).map_err(xlsx_error)?;
                    }
                    _ => {}
                }
            }
            self.next_row += 1;
        }
        Ok(())
    }

    pub fn finish(mut self) -> anyhow::Result<Vec<u8>> {
        self.workbook.save_to_buffer().map_err(xlsx_error)
    }
}

/// The template's example row: one made-up student, valid for every column.
fn example() -> ExportRow {
    let text = |s: &str| Some(s.to_string());
    ExportRow {
        student_no: "2023010101".into(),
        name: "张伟（示例）".into(),
        gender: text("男"),
        college: "计算机学院".into(),
        major: text("计算机科学与技术"),
        grade: Some(2023),
        class: "计算机2301".into(),
        counselor: text("李老师"),
        province: text("河南省"),
        city: text("郑州市"),
        district: text("金水区"),
        address: text("花园路1号"),
        guardian_name: text("张建国"),
        guardian_relation: text("父亲"),
        guardian_phone: text("13800138000"),
        hardship: text("一般困难"),
    }
}

/// A column's rule, as the header cell's note (docs/roster-template.md has the same).
fn note(field: Field) -> &'static str {
    match field {
        Field::StudentNo => "必填；全校唯一 / required; unique school-wide",
        Field::Name => "必填 / required",
        Field::Gender => "男/女/M/F",
        Field::College => "必填；不存在则新建 / required; created if new",
        Field::Major => "选填 / optional",
        Field::Grade => "入学年份，如 2023 / entry year, e.g. 2023",
        Field::Class => "必填；不存在则在该学院下新建 / required; created if new, within the college",
        Field::Counselor => {
            "教职工姓名；尚无账号则新建待激活的辅导员账号 / a staff member's name; a name with no account \
             creates an inactive counselor account"
        }
        Field::Province => "选填 / optional",
        Field::City => "用于覆盖率统计 / used for coverage figures",
        Field::District => "用于覆盖率统计 / used for coverage figures",
        Field::Address => "敏感信息 / sensitive",
        Field::GuardianName => "选填 / optional",
        Field::GuardianRelation => "父亲、母亲、祖母、其他监护人… / father, mother, …",
        Field::GuardianPhone => "11 位大陆手机号，以 1 开头 / mainland mobile number, 11 digits starting with 1",
        Field::Hardship => "空、一般困难、困难、特别困难；敏感 / empty, 一般困难, 困难, 特别困难; sensitive",
    }
}

/// The roster template as an xlsx file: every column under the headers the import reads, a note
/// on each header cell with the column's rule, and one example row (docs/roster-template.md).
pub fn template() -> anyhow::Result<Vec<u8>> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("学生名单").map_err(xlsx_error)?;
    let bold = Format::new().set_bold();
    for (c, field) in Field::ALL.into_iter().enumerate() {
        sheet.set_column_width(c as u16, if field == Field::Address { 30 } else { 16 }).map_err(xlsx_error)?;
        sheet.write_string_with_format(0, c as u16, field.zh(), &bold).map_err(xlsx_error)?;
        let text = format!("{} ({})\n{}", field.zh(), field.code(), note(field));
        sheet.insert_note(0, c as u16, &Note::new(text).set_author("家访 Jiafang")).map_err(xlsx_error)?;
    }
    let row = example();
    for (c, field) in Field::ALL.into_iter().enumerate() {
        match (field, row.text(field)) {
            (Field::Grade, _) => {
                sheet.write_number(1, c as u16, row.grade.unwrap_or_default() as f64).map_err(xlsx_error)?;
            }
            (_, Some(text)) => {
                sheet.write_string(1, c as u16, escape(&text)).map_err(xlsx_error)?;
            }
            _ => {}
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
    workbook.save_to_buffer().map_err(xlsx_error)
}

#[cfg(test)]
mod tests {
    #[test]
    fn formula_like_cells_are_escaped() {
        for bad in ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(super::escape(bad), format!("'{bad}"));
        }
        assert_eq!(super::escape("王欣怡"), "王欣怡");
    }
}
