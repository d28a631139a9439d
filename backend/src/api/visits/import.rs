//! Visit import over HTTP (README "Visit import"): the preview → confirm flow, the upload kept
//! in `imports` between the two; the reading, checks and write are `crate::visits::import`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use serde::Deserialize;
use shared::imports::{ImportPreview, ImportResult};
use shared::Lang;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{limits, StaffUser};
use crate::error::{Error, Json, Path, Query, Result};
use crate::i18n;
use crate::import::uploads::{self, Upload};
use crate::visits::access;
use crate::visits::import::check::{self, Checked, Importer};
use crate::visits::import::{issues, read_and_check};
use crate::{audit, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview_visits))
        .layer(DefaultBodyLimit::max(crate::import::MAX_UPLOAD_BYTES))
        .routes(routes!(commit_visits))
}

fn kind(campaign_id: i64) -> String {
    format!("visits:{campaign_id}")
}

fn preview(import_id: i64, filename: &str, checked: &Checked, lang: Lang) -> ImportPreview {
    let mut rows: Vec<_> =
        checked.planned.iter().map(|p| p.preview.clone()).chain(checked.rejected.iter().cloned()).collect();
    rows.sort_by_key(|r| r.row);
    rows.truncate(shared::imports::MAX_PREVIEW_ROWS);
    ImportPreview {
        import_id,
        filename: filename.to_string(),
        sheet: checked.file.sheet.sheet.clone(),
        sheets: checked.file.sheet.sheets.clone(),
        counts: checked.counts.clone(),
        issues: issues(checked, lang).into_iter().take(shared::imports::MAX_ISSUES).collect(),
        unknown_columns: checked.file.unknown_columns.clone(),
        rows,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct UploadParams {
    campaign_id: i64,
    /// `.xlsx` or `.csv`.
    filename: Option<String>,
}

/// Reads a visit file (the body) for a campaign and shows what confirming would store. Each
/// visit's author is the uploader, for their own students only: a row for any other student
/// says "unknown or not yours" and nothing of them. Each user gets a limited number of previews
/// per window, like exports (429 with `Retry-After`); a closed campaign takes no imports (422
/// `campaign_closed`).
#[utoipa::path(post, path = "/api/visits/import/preview", tag = "visits", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ImportPreview), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 413, body = shared::ApiError),
              (status = 422, body = shared::ApiError), (status = 429, body = shared::ApiError)))]
async fn preview_visits(
    State(state): State<AppState>,
    user: StaffUser,
    Query(params): Query<UploadParams>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<ImportPreview>> {
    let bytes = crate::api::imports::uploaded_file(body)?;
    access::check_campaign_open(&state.db, params.campaign_id.into()).await?;
    let key = format!("preview:user:{}", user.id);
    limits::spend(&state.db, &key, state.config.preview_limit_per_user).await?.keep();
    let name = params.filename.unwrap_or_default();
    let base: String =
        name.rsplit(['/', '\\']).next().unwrap_or("").chars().filter(|c| !c.is_control()).take(200).collect();
    let filename = if base.trim().is_empty() { "visits.csv".to_string() } else { base };
    let checked =
        read_and_check(&state.db, bytes.clone(), filename.clone(), params.campaign_id, Importer::User(&user)).await?;
    let upload =
        Upload { kind: &kind(params.campaign_id), user_id: user.id, filename: &filename, data: &bytes, sheet: None };
    let id = uploads::keep(&state.db, upload).await?;
    Ok(Json(preview(id, &filename, &checked, i18n::current())))
}

/// Confirms a previewed visit import: the stored file is read and checked again and every
/// accepted row is stored in one transaction. Rows imported before are left as they are. A
/// campaign closed since the preview takes nothing (422 `campaign_closed`).
#[utoipa::path(post, path = "/api/visits/import/{id}/commit", tag = "visits",
    params(("id" = i64, Path, description = "The preview's import id")),
    responses((status = 200, body = ImportResult), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 409, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn commit_visits(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
) -> Result<Json<ImportResult>> {
    let (stored, data) = uploads::load(&state.db, id, |k| k.starts_with("visits:")).await?;
    if stored.user_id != user.id {
        return Err(Error::NotFound);
    }
    let campaign: i64 = stored.kind.trim_start_matches("visits:").parse().map_err(|_| Error::NotFound)?;
    let checked =
        read_and_check(&state.db, Bytes::from(data), stored.filename.clone(), campaign, Importer::User(&user)).await?;
    let mut tx = state.db.write.begin().await?;
    uploads::claim(&mut tx, id).await?;
    let stored_now = check::write(&mut tx, &checked).await?;
    tx.commit().await?;
    let mut counts = checked.counts.clone();
    counts.new = stored_now;
    let detail = format!(
        "visit import {id} ({}): {} new, {} unchanged, {} rejected",
        stored.filename, counts.new, counts.unchanged, counts.rejected
    );
    audit::record(&state.db, user.id, "import", None, &[], &detail).await?;
    Ok(Json(ImportResult { import_id: id, counts, created_counselors: Vec::new() }))
}
