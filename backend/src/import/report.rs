//! The outcome as the API returns it (in the request's language) and as the command line prints
//! it (in both).

use std::fmt::Write;

use shared::imports::{ImportIssue, ImportPreview, IssueKind, PreviewRow, RowStatus, MAX_PREVIEW_ROWS};
use shared::Lang;

use super::Checked;

/// Rows shown from the top of the file besides those with remarks.
const FIRST_ROWS: usize = 200;

pub fn issues(checked: &Checked, lang: Lang) -> Vec<ImportIssue> {
    let roster = &checked.roster;
    roster
        .issues
        .iter()
        .map(|i| ImportIssue {
            row: i.row,
            column: i.field.map(|f| roster.header(f).to_string()),
            field: i.field.map(|f| f.code().to_string()),
            kind: i.kind,
            message: i.msg.text(lang).to_string(),
        })
        .collect()
}

/// The first rows and the rows with remarks, in file order.
pub fn rows(checked: &Checked) -> Vec<PreviewRow> {
    let roster = &checked.roster;
    let mut rows: Vec<PreviewRow> = roster
        .rejected
        .iter()
        .map(|r| PreviewRow {
            row: r.row,
            status: RowStatus::Rejected,
            issue: Some(r.kind),
            student_no: r.student_no.clone(),
            name: r.name.clone(),
            college: r.college.clone(),
            class: r.class.clone(),
        })
        .collect();
    let accepted = roster.rows.iter().zip(&checked.outcome.statuses).enumerate();
    for (i, (row, status)) in accepted.filter(|(i, (r, _))| *i < FIRST_ROWS || r.warned) {
        if rows.len() >= MAX_PREVIEW_ROWS && i >= FIRST_ROWS {
            break;
        }
        let (college, class) = roster.class_names(row.class);
        rows.push(PreviewRow {
            row: row.row,
            status: *status,
            issue: row.warned.then_some(IssueKind::Warning),
            student_no: row.student_no.to_string(),
            name: row.name.to_string(),
            college: college.to_string(),
            class: class.to_string(),
        });
    }
    rows.sort_by_key(|r| r.row);
    rows.truncate(MAX_PREVIEW_ROWS);
    rows
}

pub fn preview(import_id: i64, filename: &str, checked: &Checked, lang: Lang) -> ImportPreview {
    ImportPreview {
        import_id,
        filename: filename.to_string(),
        sheet: checked.roster.sheet.sheet.clone(),
        sheets: checked.roster.sheet.sheets.clone(),
        counts: checked.outcome.counts.clone(),
        issues: issues(checked, lang),
        unknown_columns: checked.roster.unknown_columns.clone(),
        rows: rows(checked),
    }
}

fn kind_label(kind: IssueKind) -> &'static str {
    match kind {
        IssueKind::Rejected => "拒绝 / rejected",
        IssueKind::Conflict => "冲突 / conflict",
        IssueKind::Warning => "警告 / warning",
    }
}

/// The report the command line prints, in Chinese and English.
pub fn text(filename: &str, checked: &Checked) -> String {
    let c = &checked.outcome.counts;
    let roster = &checked.roster;
    let mut out = String::new();
    let sheet = roster.sheet.sheet.as_deref().map(|s| format!(" [{s}]")).unwrap_or_default();
    let _ = writeln!(out, "文件 / file: {filename}{sheet}");
    let _ = writeln!(
        out,
        "行 / rows: {} · 新增 / new: {} · 更新 / updated: {} · 未变 / unchanged: {} · 拒绝 / rejected: {} · 警告 / warnings: {}",
        c.rows, c.new, c.updated, c.unchanged, c.rejected, c.warnings
    );
    let _ = writeln!(
        out,
        "新学院 / new colleges: {} · 新班级 / new classes: {} · 新辅导员账号 / new counselor accounts: {}",
        c.new_colleges, c.new_classes, c.new_counselors
    );
    let unknown = if roster.unknown_columns.is_empty() { "—".to_string() } else { roster.unknown_columns.join(", ") };
    let _ = writeln!(out, "未识别的列（已忽略）/ unknown columns (ignored): {unknown}");
    for i in &roster.issues {
        let column = i.field.map(|f| format!(" [{}]", roster.header(f))).unwrap_or_default();
        let _ = writeln!(
            out,
            "第 {} 行 / row {}{column} {}: {} / {}",
            i.row,
            i.row,
            kind_label(i.kind),
            i.msg.zh,
            i.msg.en
        );
    }
    if roster.issue_count > roster.issues.len() as u64 {
        let more = roster.issue_count - roster.issues.len() as u64;
        let _ = writeln!(out, "…… 另有 {more} 条 / {more} more");
    }
    out
}
