//! Reading a visit file (README "Visit import") into rows, with the roster import's reader:
//! CSV in UTF-8 or GB18030, or an xlsx sheet. One header row names the columns in Chinese or
//! English; each later row is one visit.

use sha2::{Digest, Sha256};
use shared::{Aspect, VisitMode};

use crate::i18n::Msg;
use crate::import::read::{self, Format, RawRow, SheetInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    StudentNo,
    Date,
    Mode,
    Visitors,
    Aspects,
    Notes,
}

impl Column {
    pub const ALL: [Column; 6] =
        [Column::StudentNo, Column::Date, Column::Mode, Column::Visitors, Column::Aspects, Column::Notes];

    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Column::StudentNo => ("学号", "student_no"),
            Column::Date => ("日期", "date"),
            Column::Mode => ("方式", "mode"),
            Column::Visitors => ("走访人", "visitors"),
            Column::Aspects => ("涉及方面", "aspects"),
            Column::Notes => ("备注", "notes"),
        }
    }

    fn required(self) -> bool {
        matches!(self, Column::StudentNo | Column::Date | Column::Mode)
    }
}

/// A data row as written, before the database is asked anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub row: u32,
    pub student_no: String,
    pub date: String,
    pub mode: VisitMode,
    pub visitors: Vec<String>,
    pub aspects: Vec<Aspect>,
    pub notes: String,
}

/// A row refused while reading, with the column at fault.
#[derive(Debug, Clone)]
pub struct Refused {
    pub row: u32,
    pub student_no: String,
    pub column: Option<Column>,
    pub msg: Msg,
}

#[derive(Debug, Default)]
pub struct VisitFile {
    pub sheet: SheetInfo,
    pub rows: Vec<FileRow>,
    pub refused: Vec<Refused>,
    pub unknown_columns: Vec<String>,
}

/// Splits a list written with 、 , ; ， ； or spaces.
pub fn split_list(text: &str) -> Vec<String> {
    shared::domain::normalize(text)
        .split(['、', ',', '，', ';', '；', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// `2024-01-20`, `2024/1/20`, `2024.1.20`, `2024年1月20日` or an Excel date serial such as 45311.
pub fn parse_date(text: &str) -> Option<String> {
    let text = shared::domain::normalize(text);
    if let Ok(serial) = text.parse::<i64>() {
        let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
        return (20_000..80_000)
            .contains(&serial)
            .then(|| base + chrono::Duration::days(serial))
            .map(|d| d.format("%Y-%m-%d").to_string());
    }
    let parts: Vec<&str> =
        text.trim_end_matches('日').split(['-', '/', '.', '年', '月']).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return None };
    let date = chrono::NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?;
    Some(date.format("%Y-%m-%d").to_string())
}

/// The row's own id: the same content always gives the same id, so importing a file again
/// stores nothing twice.
pub fn client_id(campaign_id: i64, row: &FileRow) -> String {
    let aspects: Vec<&str> = row.aspects.iter().map(|a| a.code()).collect();
    let key = format!(
        "{campaign_id}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        row.student_no,
        row.date,
        row.mode.code(),
        row.visitors.join("\u{1e}"),
        aspects.join(","),
        row.notes
    );
    format!("import-{}", &hex::encode(Sha256::digest(key.as_bytes()))[..40])
}

fn header_columns(header: &RawRow) -> (Vec<Option<Column>>, Vec<String>) {
    let mut unknown = Vec::new();
    let columns = header
        .cells
        .iter()
        .map(|cell| {
            let name = shared::domain::normalize(cell);
            let found = Column::ALL.into_iter().find(|c| {
                let (zh, en) = c.names();
                name == zh || name.eq_ignore_ascii_case(en) || name == format!("{zh}/{en}")
            });
            if found.is_none() && !name.is_empty() {
                unknown.push(name);
            }
            found
        })
        .collect();
    (columns, unknown)
}

fn read_row(raw: &RawRow, columns: &[Option<Column>]) -> Result<FileRow, Refused> {
    let cell = |c: Column| {
        columns.iter().position(|x| *x == Some(c)).and_then(|i| raw.cells.get(i)).map(|s| shared::domain::normalize(s))
    };
    let student_no = cell(Column::StudentNo).unwrap_or_default();
    let refuse =
        |column: Column, msg: Msg| Refused { row: raw.row, student_no: student_no.clone(), column: Some(column), msg };
    for c in Column::ALL.into_iter().filter(|c| c.required()) {
        if cell(c).unwrap_or_default().is_empty() {
            return Err(refuse(c, Msg::new("缺少必填内容", "A required value is missing")));
        }
    }
    let date = parse_date(&cell(Column::Date).unwrap_or_default()).ok_or_else(|| {
        refuse(Column::Date, Msg::new("日期无法识别，请写成 2024-01-20", "Unreadable date: write it as 2024-01-20"))
    })?;
    let mode = VisitMode::parse(&cell(Column::Mode).unwrap_or_default()).map_err(|_| {
        refuse(Column::Mode, Msg::new("方式应为 上门、云端 或 电话", "Mode is in_person, cloud or phone"))
    })?;
    let mut aspects = Vec::new();
    for word in split_list(&cell(Column::Aspects).unwrap_or_default()) {
        let aspect = Aspect::parse(&word).ok_or_else(|| {
            refuse(Column::Aspects, Msg::owned(format!("无法识别的方面：{word}"), format!("Unknown aspect: {word}")))
        })?;
        if !aspects.contains(&aspect) {
            aspects.push(aspect);
        }
    }
    aspects.sort_by_key(|a| Aspect::ALL.iter().position(|x| x == a));
    Ok(FileRow {
        row: raw.row,
        student_no: student_no.clone(),
        date,
        mode,
        visitors: split_list(&cell(Column::Visitors).unwrap_or_default()),
        aspects,
        notes: cell(Column::Notes).unwrap_or_default(),
    })
}

/// Reads the whole file. A file without the required columns is refused as a whole.
pub fn read_file(bytes: &[u8], filename: &str) -> Result<VisitFile, Msg> {
    let format = Format::detect(filename, bytes)?;
    let mut file = VisitFile::default();
    let mut columns: Option<Vec<Option<Column>>> = None;
    let mut seen = std::collections::HashSet::new();
    file.sheet = read::read_rows(bytes, format, None, &mut |raw| {
        if raw.cells.iter().all(|c| c.trim().is_empty()) {
            return Ok(());
        }
        let Some(columns) = &columns else {
            let (found, unknown) = header_columns(&raw);
            let missing: Vec<&str> = Column::ALL
                .into_iter()
                .filter(|c| c.required() && !found.contains(&Some(*c)))
                .map(|c| c.names().0)
                .collect();
            if !missing.is_empty() {
                let list = missing.join("、");
                return Err(Msg::owned(
                    format!("缺少必需的列：{list}"),
                    format!("Required columns are missing: {list}"),
                ));
            }
            file.unknown_columns = unknown;
            columns = Some(found);
            return Ok(());
        };
        if file.rows.len() + file.refused.len() >= 50_000 {
            return Err(Msg::new("一个文件最多 50000 行", "At most 50,000 rows per file"));
        }
        match read_row(&raw, columns) {
            Ok(row) if !seen.insert((row.student_no.clone(), row.date.clone(), row.mode, row.notes.clone())) => {
                file.refused.push(Refused {
                    row: row.row,
                    student_no: row.student_no,
                    column: None,
                    msg: Msg::new("与前面的行重复", "Repeats an earlier row"),
                });
            }
            Ok(row) => file.rows.push(row),
            Err(refused) => file.refused.push(refused),
        }
        Ok(())
    })?;
    if columns.is_none() {
        return Err(Msg::new("文件是空的", "The file is empty"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_lists_and_ids() {
        assert_eq!(parse_date("2024/1/20").as_deref(), Some("2024-01-20"));
        assert_eq!(parse_date("2024年1月20日").as_deref(), Some("2024-01-20"));
        assert_eq!(parse_date("45311").as_deref(), Some("2024-01-20"));
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(split_list("学业帮扶、 career;心理健康服务"), ["学业帮扶", "career", "心理健康服务"]);
        let csv = "学号,日期,方式,走访人,涉及方面,备注\n2023010101,2024/1/20,上门,张老师、李老师,学业帮扶、career,好\n";
        let file = read_file(csv.as_bytes(), "v.csv").expect("a readable CSV");
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].aspects, [Aspect::Academic, Aspect::Career]);
        assert_eq!(client_id(1, &file.rows[0]), client_id(1, &file.rows[0].clone()));
        assert_ne!(client_id(1, &file.rows[0]), client_id(2, &file.rows[0]));
        assert!(read_file("姓名,日期\n".as_bytes(), "v.csv").is_err());
    }
}
