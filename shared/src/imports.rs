//! Roster import and export: the preview shown before anything is written, and the result.

use serde::{Deserialize, Serialize};

use crate::Hardship;

/// What happened to a row of the file, or would happen on confirming.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    New,
    Updated,
    Unchanged,
    Rejected,
}

/// How serious a remark about a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IssueKind {
    /// A required value is missing or unusable: the row is not imported.
    Rejected,
    /// The student number was seen earlier in the file: this later row is not imported.
    Conflict,
    /// The row is imported, but one value is not (e.g. an invalid phone number).
    Warning,
}

/// A remark about one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportIssue {
    /// The row number as the spreadsheet shows it (the header is usually row 1).
    pub row: u32,
    /// The column's header as written in the file, if the remark is about one column.
    pub column: Option<String>,
    /// The template's field (`student_no`, `class`, `guardian_phone`, …).
    pub field: Option<String>,
    pub kind: IssueKind,
    /// In the request's language.
    pub message: String,
}

/// Counts of rows, and of what confirming creates besides students.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    /// Non-blank rows below the header.
    pub rows: u64,
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows not imported: missing values and conflicts.
    pub rejected: u64,
    /// Rows imported with a value left out.
    pub warnings: u64,
    pub new_colleges: u64,
    pub new_classes: u64,
    /// Counselors named in the file who have no account yet: each gets an inactive one.
    pub new_counselors: u64,
}

/// One row of the preview table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewRow {
    pub row: u32,
    pub status: RowStatus,
    /// The worst remark about the row, if any.
    pub issue: Option<IssueKind>,
    pub student_no: String,
    pub name: String,
    pub college: String,
    pub class: String,
}

/// `POST /api/imports/roster/preview`: nothing has been written yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportPreview {
    /// Confirm with `POST /api/imports/{import_id}/commit`.
    pub import_id: i64,
    pub filename: String,
    /// The sheet read, for an xlsx file.
    pub sheet: Option<String>,
    /// All sheets of an xlsx file, to pick another.
    pub sheets: Vec<String>,
    pub counts: ImportCounts,
    /// Every remark, in row order (at most `MAX_ISSUES`; `counts` has the totals).
    pub issues: Vec<ImportIssue>,
    /// Headers the template does not know; their columns are ignored.
    pub unknown_columns: Vec<String>,
    /// The first rows and every row with a remark (at most `MAX_PREVIEW_ROWS`).
    pub rows: Vec<PreviewRow>,
}

pub const MAX_ISSUES: usize = 1000;
pub const MAX_PREVIEW_ROWS: usize = 1000;

/// A counselor account the import created; an admin sends them an activation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedCounselor {
    pub id: crate::UserId,
    pub username: String,
    pub display_name: String,
}

/// `POST /api/imports/{id}/commit`: what was written, in one transaction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportResult {
    pub import_id: i64,
    pub counts: ImportCounts,
    pub created_counselors: Vec<CreatedCounselor>,
}

/// Query of `GET /api/students/export.xlsx`: the filters of `GET /api/students`, all pages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct StudentExportQuery {
    pub q: Option<String>,
    pub college_id: Option<i64>,
    pub class_id: Option<crate::ClassId>,
    pub city: Option<String>,
    pub hardship: Option<Hardship>,
    /// Home address, guardian phone and hardship level too (each export is audited).
    pub include_sensitive: Option<bool>,
}

impl StudentExportQuery {
    /// The same filters as a list query.
    pub fn filter(&self) -> crate::org::StudentQuery {
        crate::org::StudentQuery {
            q: self.q.clone(),
            college_id: self.college_id,
            class_id: self.class_id,
            city: self.city.clone(),
            hardship: self.hardship,
            page: None,
            per_page: None,
        }
    }
}
