//! A visit's typical case (典型案例) and photos over HTTP: for whoever may see the visit (the
//! visits' access rules), never for families. The rules and the store are
//! `crate::visits::cases`.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::cases::{CaseStory, Photo, TypicalCase, VisitMedia, MAX_PHOTO_BYTES};
use shared::VisitId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Error, Json, Path, Result};
use crate::visits::{access, cases};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(visit_media)).routes(routes!(flag_case, unflag_case)).merge(
        OpenApiRouter::new()
            .routes(routes!(add_photo, get_photo, remove_photo))
            // A little over the largest photo, so that one just over it gets the clear 422.
            .layer(DefaultBodyLimit::max(MAX_PHOTO_BYTES + 64 * 1024)),
    )
}

/// The visit's typical case, if flagged, and its photos (without their bytes).
#[utoipa::path(get, path = "/api/visits/{id}/media", tag = "visits",
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = VisitMedia), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn visit_media(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<VisitId>,
) -> Result<Json<VisitMedia>> {
    access::check_visit(&state, &user, id).await?;
    Ok(Json(cases::media(&state, id).await?))
}

/// Flags the visit as a typical case with a short story (1–500 characters; 422 on `story`), or
/// changes the story of one flagged before.
#[utoipa::path(put, path = "/api/visits/{id}/case", tag = "visits",
    params(("id" = i64, Path, description = "Visit id")), request_body = CaseStory,
    responses((status = 200, body = TypicalCase), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn flag_case(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<VisitId>,
    Json(body): Json<CaseStory>,
) -> Result<Json<TypicalCase>> {
    access::check_visit(&state, &user, id).await?;
    Ok(Json(cases::flag(&state, &user, id, &body).await?))
}

/// The visit is no longer a typical case (its photos stay).
#[utoipa::path(delete, path = "/api/visits/{id}/case", tag = "visits",
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 204), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn unflag_case(State(state): State<AppState>, user: StaffUser, Path(id): Path<VisitId>) -> Result<StatusCode> {
    access::check_visit(&state, &user, id).await?;
    cases::unflag(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a photo (the raw JPEG or PNG as the body, at most 2 MiB) under the id the device made
/// for it: sending it again answers the stored photo and stores nothing. A fourth photo, a file
/// that is not a JPEG or PNG or one too large is a 422 on `photo`; an id another visit's photo
/// has is a 409.
#[utoipa::path(put, path = "/api/visits/{id}/photos/{photo}", tag = "visits",
    params(("id" = i64, Path, description = "Visit id"),
           ("photo" = String, Path, description = "The photo's id, made by the device (a UUID)")),
    request_body(content = Vec<u8>, content_type = "image/jpeg"),
    responses((status = 200, body = Photo), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 413, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn add_photo(
    State(state): State<AppState>,
    user: StaffUser,
    Path((id, photo)): Path<(VisitId, String)>,
    body: std::result::Result<Bytes, BytesRejection>,
) -> Result<Json<Photo>> {
    access::check_visit(&state, &user, id).await?;
    let bytes = body.map_err(|e| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => Error::PayloadTooLarge,
        _ => Error::InvalidRequest(e.body_text()),
    })?;
    Ok(Json(cases::add_photo(&state, &user, id, &photo, &bytes).await?))
}

/// The photo itself, for those who may see the visit: cached by the browser only
/// (`Cache-Control: private`), for a day.
#[utoipa::path(get, path = "/api/visits/{id}/photos/{photo}", tag = "visits",
    params(("id" = i64, Path, description = "Visit id"), ("photo" = String, Path, description = "The photo's id")),
    responses((status = 200, content_type = "image/jpeg", body = Vec<u8>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_photo(
    State(state): State<AppState>,
    user: StaffUser,
    Path((id, photo)): Path<(VisitId, String)>,
) -> Result<Response> {
    access::check_visit(&state, &user, id).await?;
    let (content_type, bytes) = cases::photo_bytes(&state, id, &photo).await?;
    let content_type = HeaderValue::from_str(&content_type).map_err(|e| Error::Internal(e.into()))?;
    let headers = [
        (header::CONTENT_TYPE, content_type),
        (header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=86400")),
    ];
    Ok((headers, bytes).into_response())
}

/// Removes a photo from the visit.
#[utoipa::path(delete, path = "/api/visits/{id}/photos/{photo}", tag = "visits",
    params(("id" = i64, Path, description = "Visit id"), ("photo" = String, Path, description = "The photo's id")),
    responses((status = 204), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn remove_photo(
    State(state): State<AppState>,
    user: StaffUser,
    Path((id, photo)): Path<(VisitId, String)>,
) -> Result<StatusCode> {
    access::check_visit(&state, &user, id).await?;
    cases::remove_photo(&state, &user, id, &photo).await?;
    Ok(StatusCode::NO_CONTENT)
}
