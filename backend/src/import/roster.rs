//! From rows of text to roster rows: the header, required values, duplicates in the file and
//! values that cannot be used, each reported with the spreadsheet's row number and the column.

use std::collections::HashMap;

use shared::imports::IssueKind;
use shared::{Gender, Hardship, Lang, StudentNo};

use super::fields::Field;
use super::read::{self, Format, RawRow, SheetInfo};
use super::strings::Strings;
use super::{MAX_ROWS, MAX_STORED_ISSUES};
use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub row: u32,
    pub field: Option<Field>,
    pub kind: IssueKind,
    pub msg: Msg,
}

/// A class the file names, created on confirming if new.
#[derive(Debug, Clone)]
pub struct ClassEntry {
    pub college: u32,
    pub name: Box<str>,
    pub major: Option<u32>,
    pub grade: Option<i32>,
    /// The counselor's name as the first row of the class that names one gives it.
    pub counselor: Option<u32>,
    pub(super) counselor_row: u32,
}

/// An accepted row, kept small: repeated values are ids into `Roster::strings`.
#[derive(Debug, Clone)]
pub struct RosterRow {
    pub row: u32,
    pub student_no: Box<str>,
    pub name: Box<str>,
    /// Index into `Roster::classes`.
    pub class: u32,
    pub gender: Option<Gender>,
    pub major: Option<u32>,
    pub grade: Option<i32>,
    pub province: Option<u32>,
    pub city: Option<u32>,
    pub district: Option<u32>,
    pub address: Option<Box<str>>,
    pub guardian_name: Option<Box<str>>,
    pub guardian_relation: Option<u32>,
    pub guardian_phone: Option<Box<str>>,
    pub hardship: Option<Hardship>,
    /// Fields whose value could not be used: what is stored stays as it is.
    pub keep: u16,
    pub warned: bool,
}

impl ClassEntry {
    pub(super) fn new(college: u32, name: &str, major: Option<u32>, grade: Option<i32>) -> ClassEntry {
        ClassEntry { college, name: name.into(), major, grade, counselor: None, counselor_row: 0 }
    }
}

/// A rejected row, as the preview table shows it.
#[derive(Debug, Clone)]
pub struct RejectedRow {
    pub row: u32,
    pub kind: IssueKind,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub class: String,
}

#[derive(Debug, Default)]
pub struct Roster {
    /// The fields that have a column in the file (a set of `Field::bit`).
    pub columns: u16,
    headers: Vec<(Field, String)>,
    pub unknown_columns: Vec<String>,
    pub strings: Strings,
    pub classes: Vec<ClassEntry>,
    pub rows: Vec<RosterRow>,
    /// The first rejected rows (as many as a preview shows).
    pub rejected: Vec<RejectedRow>,
    /// The first remarks; `issue_count` has them all.
    pub issues: Vec<Issue>,
    pub issue_count: u64,
    pub total_rows: u64,
    pub rejected_count: u64,
    pub warning_rows: u64,
    pub sheet: SheetInfo,
}

impl Roster {
    pub fn has(&self, field: Field) -> bool {
        self.columns & field.bit() != 0
    }

    /// The header of a field's column as the file writes it.
    pub fn header(&self, field: Field) -> &str {
        self.headers.iter().find(|(f, _)| *f == field).map(|(_, h)| h.as_str()).unwrap_or(field.zh())
    }

    pub fn class_names(&self, class: u32) -> (&str, &str) {
        let entry = &self.classes[class as usize];
        (self.strings.get(entry.college), &entry.name)
    }
}

/// Reads and checks the whole file. An unreadable file, or one without the required columns,
/// is an error; problems of single rows are remarks in the roster.
pub fn parse(bytes: &[u8], filename: &str, sheet: Option<&str>) -> Result<Roster, Msg> {
    let format = Format::detect(filename, bytes)?;
    let mut builder = Builder::default();
    let info = read::read_rows(bytes, format, sheet, &mut |raw| builder.add(raw))?;
    if builder.positions.is_empty() {
        return Err(Msg::new("文件是空的：没有找到表头", "The file is empty: no header row was found"));
    }
    builder.roster.sheet = info;
    Ok(builder.roster)
}

#[derive(Default)]
pub(super) struct Builder {
    pub(super) roster: Roster,
    /// The field of each column (empty until the header has been read).
    positions: Vec<Option<Field>>,
    pub(super) seen: HashMap<Box<str>, u32>,
    pub(super) class_ids: HashMap<(u32, Box<str>), u32>,
}

/// A cell as imported: a leading `'` that an export put before `= + - @` is dropped; spaces
/// around it and full-width letters and digits are normalised.
fn clean(cell: &str) -> String {
    let unescaped = match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    };
    shared::domain::normalize(unescaped)
}

impl Builder {
    fn add(&mut self, raw: RawRow) -> Result<(), Msg> {
        let cells: Vec<String> = raw.cells.iter().map(|c| clean(c)).collect();
        if cells.iter().all(String::is_empty) {
            return Ok(());
        }
        if self.positions.is_empty() {
            return self.header(&cells);
        }
        self.roster.total_rows += 1;
        if self.roster.total_rows > MAX_ROWS {
            return Err(Msg::owned(
                format!("文件超过 {MAX_ROWS} 行，请分成几个文件导入"),
                format!("The file has more than {MAX_ROWS} rows; split it into several files"),
            ));
        }
        Row { b: self, row: raw.row, cells: &cells, issues: Vec::new(), keep: 0 }.check();
        Ok(())
    }

    fn header(&mut self, cells: &[String]) -> Result<(), Msg> {
        for cell in cells {
            let field = Field::from_header(cell).filter(|f| self.roster.columns & f.bit() == 0);
            match field {
                Some(f) => {
                    self.roster.columns |= f.bit();
                    self.roster.headers.push((f, cell.clone()));
                }
                None if !cell.is_empty() => self.roster.unknown_columns.push(cell.clone()),
                None => {}
            }
            self.positions.push(field);
        }
        let missing: Vec<Field> = Field::ALL.into_iter().filter(|f| f.required() && !self.roster.has(*f)).collect();
        if !missing.is_empty() {
            return Err(Field::missing_columns(&missing));
        }
        Ok(())
    }

    pub(super) fn record(&mut self, issue: Issue) {
        self.roster.issue_count += 1;
        if self.roster.issues.len() < MAX_STORED_ISSUES {
            self.roster.issues.push(issue);
        }
    }
}

pub(super) struct Row<'a> {
    pub(super) b: &'a mut Builder,
    pub(super) row: u32,
    cells: &'a [String],
    pub(super) issues: Vec<Issue>,
    pub(super) keep: u16,
}

fn bilingual(e: shared::domain::DomainError) -> Msg {
    Msg::owned(e.message(Lang::Zh).to_string(), e.message(Lang::En).to_string())
}

impl Row<'_> {
    pub(super) fn get(&self, field: Field) -> &str {
        let column = self.b.positions.iter().position(|p| *p == Some(field));
        column.and_then(|c| self.cells.get(c)).map(String::as_str).unwrap_or("")
    }

    pub(super) fn opt(&self, field: Field) -> Option<&str> {
        Some(self.get(field)).filter(|v| !v.is_empty())
    }

    pub(super) fn issue(&mut self, field: Option<Field>, kind: IssueKind, msg: Msg) {
        self.issues.push(Issue { row: self.row, field, kind, msg });
    }

    /// A value that could not be used: a warning, and the stored value stays.
    pub(super) fn unusable(&mut self, field: Field, value: &str) {
        self.keep |= field.bit();
        let header = self.b.roster.header(field).to_string();
        let msg = Msg::owned(
            format!("{header}“{value}”无效：学生已导入，此项未导入"),
            format!("{} \"{value}\" is not valid: the student is imported, this value is not", field.code()),
        );
        self.issue(Some(field), IssueKind::Warning, msg);
    }

    fn check(mut self) {
        for field in Field::ALL.into_iter().filter(|f| f.required()) {
            if self.get(field).is_empty() {
                let header = self.b.roster.header(field).to_string();
                let msg = Msg::owned(
                    format!("{header}为空：本行未导入"),
                    format!("{} is empty: the row is not imported", field.code()),
                );
                self.issue(Some(field), IssueKind::Rejected, msg);
            }
        }
        let number = match StudentNo::parse(self.get(Field::StudentNo)) {
            Ok(n) => Some(n),
            Err(e) if !self.get(Field::StudentNo).is_empty() => {
                self.issue(Some(Field::StudentNo), IssueKind::Rejected, bilingual(e));
                None
            }
            Err(_) => None,
        };
        if let (Some(n), true) = (&number, self.issues.is_empty()) {
            if let Some(&first) = self.b.seen.get(n.as_str()) {
                let msg = Msg::owned(
                    format!("学号 {n} 与第 {first} 行重复：本行未导入，保留第 {first} 行"),
                    format!("Student number {n} already appears in row {first}: this row is not imported, row {first} is kept"),
                );
                self.issue(Some(Field::StudentNo), IssueKind::Conflict, msg);
            }
        }
        match number.filter(|_| self.issues.is_empty()) {
            Some(n) => self.accept(n),
            None => self.reject(),
        }
    }

    fn reject(self) {
        let kind = self.issues.iter().map(|i| i.kind).min().unwrap_or(IssueKind::Rejected);
        let shown = RejectedRow {
            row: self.row,
            kind,
            student_no: self.get(Field::StudentNo).to_string(),
            name: self.get(Field::Name).to_string(),
            college: self.get(Field::College).to_string(),
            class: self.get(Field::Class).to_string(),
        };
        let roster = &mut self.b.roster;
        roster.rejected_count += 1;
        if roster.rejected.len() < shared::imports::MAX_PREVIEW_ROWS {
            roster.rejected.push(shown);
        }
        for issue in self.issues {
            self.b.record(issue);
        }
    }
}
