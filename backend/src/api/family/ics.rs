//! `GET /api/family/meeting.ics`: the family's meeting for the parent's phone calendar
//! (`crate::family::ics`).

use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Family;
use crate::error::Result;
use crate::family::ics;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(meeting_ics))
}

/// The family's meeting as an `.ics` file.
#[utoipa::path(get, path = "/api/family/meeting.ics", tag = "family",
    responses((status = 200, content_type = "text/calendar", body = String), (status = 401, body = shared::ApiError)))]
async fn meeting_ics(State(state): State<AppState>, family: Family) -> Result<Response> {
    let body = ics::meeting_calendar(&state.db, &family).await?;
    let mut response = body.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"meeting.ics\""));
    Ok(response)
}
