//! The roster import.

use shared::imports::{ImportPreview, ImportResult};
use shared::ApiError;

use super::{encode, post, upload};

/// `POST /api/imports/roster/preview?filename=…[&sheet=…]` with the file as the body; `progress`
/// is told the fraction sent.
pub async fn roster_preview(
    file: &web_sys::File,
    sheet: Option<&str>,
    progress: impl Fn(f64) + 'static,
) -> Result<ImportPreview, ApiError> {
    let mut path = format!("/api/imports/roster/preview?filename={}", encode(&file.name()));
    if let Some(sheet) = sheet {
        path.push_str(&format!("&sheet={}", encode(sheet)));
    }
    upload(&path, file, progress).await
}

/// `GET /api/imports/roster/template.xlsx`: the roster template, as a download link.
pub fn roster_template_url() -> String {
    "/api/imports/roster/template.xlsx".to_string()
}

/// `POST /api/imports/{id}/commit`.
pub async fn roster_commit(id: i64) -> Result<ImportResult, ApiError> {
    post(&format!("/api/imports/{id}/commit"), &()).await
}
