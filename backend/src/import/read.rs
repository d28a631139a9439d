//! Reading an upload into rows of text, one row at a time: CSV in UTF-8 (with or without a
//! byte-order mark) or GB18030/GBK, told apart by whether the bytes are valid UTF-8; or one sheet
//! of an xlsx file, streamed cell by cell after its zip directory has been checked.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};

use super::{zipcheck, MAX_COLUMNS};
use crate::i18n::Msg;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// From the file's name, else from its first bytes (an xlsx file is a zip archive).
    pub fn detect(filename: &str, bytes: &[u8]) -> Result<Format, Msg> {
        let lower = filename.to_lowercase();
        if lower.ends_with(".xlsx") {
            Ok(Format::Xlsx)
        } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
            Ok(Format::Csv)
        } else if lower.ends_with(".xls") {
            Err(Msg::new(
                "不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx 或 .csv",
                "Old .xls files are not supported: save the file as .xlsx or .csv in Excel",
            ))
        } else if bytes.starts_with(b"PK\x03\x04") {
            Ok(Format::Xlsx)
        } else {
            Ok(Format::Csv)
        }
    }
}

/// A row of the file: its number as the spreadsheet shows it and its cells as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawRow {
    pub row: u32,
    pub cells: Vec<String>,
}

/// Which sheet was read, and which others there are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetInfo {
    pub sheet: Option<String>,
    pub sheets: Vec<String>,
}

/// Calls `each` for every row in order (blank rows included: the caller skips them). `each`
/// may stop the reading by returning an error.
pub fn read_rows(
    bytes: &[u8],
    format: Format,
    sheet: Option<&str>,
    each: &mut dyn FnMut(RawRow) -> Result<(), Msg>,
) -> Result<SheetInfo, Msg> {
    match format {
        Format::Csv => {
            read_csv(&decode(bytes), each)?;
            Ok(SheetInfo::default())
        }
        Format::Xlsx => read_xlsx(bytes, sheet, each),
    }
}

/// The text of a CSV file: a byte-order mark decides; else UTF-8 if the bytes are valid UTF-8;
/// else GB18030, the superset of GBK that Excel writes on a Chinese-locale desktop.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Comma unless the first line has more tabs or semicolons (Excel's "Unicode text", or a
/// European locale).
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|&x| x == c).count();
    let (commas, tabs, semicolons) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn unreadable_csv() -> Msg {
    Msg::new("CSV 文件无法读取，请检查文件内容", "The CSV file could not be read; check its content")
}

fn read_csv(text: &str, each: &mut dyn FnMut(RawRow) -> Result<(), Msg>) -> Result<(), Msg> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    // A spreadsheet shows each record as one row (even with line breaks inside quotes) and each
    // empty line as a blank row, which the CSV reader skips: count those back in. A record's
    // position is where the previous one ended, before the empty lines.
    let mut row = 0u32;
    while reader.read_record(&mut record).map_err(|_| unreadable_csv())? {
        let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        let bytes = text.as_bytes();
        // The reader may stop between the `\r` and `\n` of the previous record's terminator.
        let start = if start > 0 && bytes.get(start - 1) == Some(&b'\r') && bytes.get(start) == Some(&b'\n') {
            start + 1
        } else {
            start
        };
        let gap = bytes.get(start..).unwrap_or(&[]).iter().take_while(|b| matches!(b, b'\n' | b'\r'));
        row = row.saturating_add(1 + gap.filter(|b| **b == b'\n').count() as u32);
        let cells = record.iter().take(MAX_COLUMNS).map(str::to_string).collect();
        each(RawRow { row, cells })?;
    }
    Ok(())
}

fn unreadable_xlsx() -> Msg {
    Msg::new(
        "xlsx 文件无法读取，请在 Excel 中重新保存后再试",
        "The xlsx file could not be read; save it again in Excel and retry",
    )
}

fn read_xlsx(
    bytes: &[u8],
    sheet: Option<&str>,
    each: &mut dyn FnMut(RawRow) -> Result<(), Msg>,
) -> Result<SheetInfo, Msg> {
    zipcheck::check(bytes)?;
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable_xlsx())?;
    let sheets = workbook.sheet_names();
    let chosen = match sheet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(name) => sheets.iter().find(|s| s.as_str() == name).cloned().ok_or_else(|| {
            Msg::owned(
                format!("找不到工作表“{name}”。文件中的工作表：{}", sheets.join("、")),
                format!("There is no sheet \"{name}\". The file's sheets: {}", sheets.join(", ")),
            )
        })?,
        None => sheets.first().cloned().ok_or_else(unreadable_xlsx)?,
    };
    let mut cells = workbook.worksheet_cells_reader(&chosen).map_err(|_| unreadable_xlsx())?;
    let mut current = RawRow { row: 0, cells: Vec::new() };
    while let Some(cell) = cells.next_cell().map_err(|_| unreadable_xlsx())? {
        let (r, c) = cell.get_position();
        let row = r.saturating_add(1);
        if row != current.row {
            if !current.cells.is_empty() {
                each(std::mem::replace(&mut current, RawRow { row, cells: Vec::new() }))?;
            }
            current.row = row;
        }
        let c = c as usize;
        if c < MAX_COLUMNS {
            let text = cell_text(cell.get_value());
            if !text.is_empty() {
                if current.cells.len() <= c {
                    current.cells.resize(c + 1, String::new());
                }
                current.cells[c] = text;
            }
        }
    }
    if !current.cells.is_empty() {
        each(current)?;
    }
    Ok(SheetInfo { sheet: Some(chosen), sheets })
}

/// A cell as the text a person sees: whole numbers (student numbers, phones stored as numbers)
/// without a decimal point or exponent.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => d.as_f64().to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<RawRow> {
        let mut out = Vec::new();
        read_csv(text, &mut |r| {
            out.push(r);
            Ok(())
        })
        .expect("a readable file");
        out
    }

    #[test]
    fn csv_rows_are_numbered_as_a_spreadsheet_shows_them() {
        let found = rows("a,b\n\n1,\"x\ny\"\r\n\r\n\r\n2,z\n");
        let numbers: Vec<u32> = found.iter().map(|r| r.row).collect();
        assert_eq!(numbers, [1, 3, 6]);
        assert_eq!(found[1].cells, ["1", "x\ny"]);
    }

    #[test]
    fn encodings() {
        let (gbk, _, _) = encoding_rs::GBK.encode("学号,姓名");
        assert_eq!(decode(&gbk), "学号,姓名");
        assert_eq!(decode("\u{feff}学号".as_bytes()), "学号");
        assert_eq!(decode("学号".as_bytes()), "学号");
        assert_eq!(delimiter("学号\t姓名\n"), b'\t');
    }
}
