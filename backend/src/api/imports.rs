//! Roster imports (admins): upload for a preview, then confirm. The upload is kept in the
//! `imports` table between the two, so any server instance can confirm it, and confirming reads
//! it again and writes everything in one transaction.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Deserialize;
use shared::imports::{ImportPreview, ImportResult};
use shared::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Error, Json, Path, Query, Result};
use crate::i18n::{self, Msg};
use crate::import::uploads::{self, Upload};
use crate::import::{self, report};
use crate::{audit, AppState};

use super::{xlsx_download, XLSX};

const KIND_ROSTER: &str = "roster";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(preview_roster))
        // The upload route alone takes files; everything else keeps the small JSON limit.
        .layer(DefaultBodyLimit::max(import::MAX_UPLOAD_BYTES))
        .routes(routes!(commit_import))
        .routes(routes!(roster_template))
}

/// The roster template (docs/roster-template.md) as an xlsx file: the headers, one example row
/// and a note on each column. The import page offers it; any staff member may prepare a file.
#[utoipa::path(get, path = "/api/imports/roster/template.xlsx", tag = "imports",
    responses((status = 200, description = "The xlsx template", content_type = XLSX, body = Vec<u8>),
              (status = 401, body = shared::ApiError)))]
async fn roster_template(_user: StaffUser) -> Result<Response> {
    Ok(xlsx_download("jiafang-roster-template.xlsx", import::export::template()?))
}

/// Query of the upload.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct UploadParams {
    /// The file's name: `.xlsx` or `.csv` (else the `X-Filename` header, percent-encoded).
    filename: Option<String>,
    /// The sheet of an xlsx file to read (the first by default).
    sheet: Option<String>,
}

/// The name as given, without any folder, at most 200 characters.
fn file_name(params: &UploadParams, headers: &HeaderMap) -> String {
    let from_header = || {
        let raw = headers.get("x-filename")?.to_str().ok()?;
        url::form_urlencoded::parse(format!("f={}", raw.replace('+', "%2B")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    let name = params.filename.clone().or_else(from_header).unwrap_or_default();
    let base = name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    let base: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if base.is_empty() {
        "roster.csv".to_string()
    } else {
        base
    }
}

/// The uploaded file in a request body: too large is 413 in our error shape, nothing is 422.
pub fn uploaded_file(body: std::result::Result<Bytes, BytesRejection>) -> Result<Bytes> {
    let bytes = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
        _ => Error::InvalidRequest(e.body_text()),
    })?;
    if bytes.is_empty() {
        return Err(Error::field("file", Msg::new("没有收到文件", "No file was received")));
    }
    Ok(bytes)
}

/// Reads a roster file (the request body: `.xlsx` or `.csv` in UTF-8 or GB18030/GBK) and shows
/// what confirming it would change. Nothing is written to the organisation.
#[utoipa::path(post, path = "/api/imports/roster/preview", tag = "imports", params(UploadParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 200, body = ImportPreview), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 413, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn preview_roster(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Query(params): Query<UploadParams>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<ImportPreview>> {
    user.require(&[Role::Admin])?;
    let bytes = uploaded_file(body)?;
    let filename = file_name(&params, &headers);
    let sheet = params.sheet.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let checked = import::preview(&state.db, bytes.clone(), &filename, sheet).await?;
    let upload = Upload {
        kind: KIND_ROSTER,
        user_id: user.id,
        filename: &filename,
        data: &bytes,
        sheet: checked.roster.sheet.sheet.as_deref(),
    };
    let id = uploads::keep(&state.db, upload).await?;
    Ok(Json(report::preview(id, &filename, &checked, i18n::current())))
}

/// Confirms a previewed import: reads the stored file again and writes every accepted row in one
/// transaction (all or nothing). Confirming twice is refused.
#[utoipa::path(post, path = "/api/imports/{id}/commit", tag = "imports",
    params(("id" = i64, Path, description = "The preview's import id")),
    responses((status = 200, body = ImportResult), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn commit_import(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
) -> Result<Json<ImportResult>> {
    user.require(&[Role::Admin])?;
    let (stored, data) = uploads::load(&state.db, id, |kind| kind == KIND_ROSTER).await?;
    let roster = import::parse(Bytes::from(data), stored.filename.clone(), stored.sheet).await?;

    let mut tx = state.db.write.begin().await?;
    uploads::claim(&mut tx, id).await?;
    let checked = import::write(&mut tx, roster).await?;
    tx.commit().await?;
    let c = &checked.outcome.counts;
    let detail = format!(
        "roster import {id} ({}): {} new, {} updated, {} unchanged, {} rejected",
        stored.filename, c.new, c.updated, c.unchanged, c.rejected
    );
    audit::record(&state.db, user.id, "import", None, &[], &detail).await?;
    Ok(Json(ImportResult {
        import_id: id,
        counts: checked.outcome.counts,
        created_counselors: checked.outcome.created_counselors,
    }))
}
