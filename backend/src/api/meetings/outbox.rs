//! The outbox over HTTP: shown on the meeting page with each message's delivery status,
//! exported as xlsx for the school's SMS or WeChat tool, reminders queued, failed messages tried
//! again (or, with no SMS channel, marked sent by hand). Every read of the guardians' phones is
//! audited. The texts and the store: `crate::meetings::outbox`; delivery: `crate::notify`.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use shared::meetings::{ChannelsInfo, OutboxMessage};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::links::url_of;
use crate::audit;
use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::meetings::{self, outbox, MeetingRow};
use crate::notify::queue;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages))
        .routes(routes!(export_messages))
        .routes(routes!(queue_reminders))
        .routes(routes!(send_messages))
        .routes(routes!(channels))
}

/// Which delivery channels the operator configured: with no SMS gateway the page says plainly
/// that nothing reaches guardians unless staff export and send the texts themselves.
#[utoipa::path(get, path = "/api/messages/channels", tag = "meetings",
    responses((status = 200, body = ChannelsInfo), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError)))]
async fn channels(State(state): State<AppState>, _user: StaffUser) -> Json<ChannelsInfo> {
    Json(state.channels.info())
}

/// Every message of the meeting with its text (invitations with their family's link).
async fn messages(state: &AppState, headers: &HeaderMap, meeting: &MeetingRow) -> Result<Vec<OutboxMessage>> {
    outbox::messages(&state.db, meeting, &|nonce| url_of(state, headers, nonce, false)).await
}

/// The outbox of the meeting, oldest first.
#[utoipa::path(get, path = "/api/meetings/{id}/messages", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Vec<OutboxMessage>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn list_messages(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Vec<OutboxMessage>>> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    audited(&state, &headers, &user, &meeting).await
}

/// The messages with the guardians' phones, a read of which is written to the audit log.
async fn audited(
    state: &AppState,
    headers: &HeaderMap,
    user: &StaffUser,
    meeting: &MeetingRow,
) -> Result<Json<Vec<OutboxMessage>>> {
    let list = messages(state, headers, meeting).await?;
    let detail = format!("meeting {} outbox", meeting.id);
    audit::record(&state.db, user.id, "read", None, &["guardian_phone"], &detail).await?;
    Ok(Json(list))
}

/// The outbox as an xlsx file for the school's SMS or WeChat tool.
#[utoipa::path(get, path = "/api/meetings/{id}/messages.xlsx", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
               body = Vec<u8>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 429, body = shared::ApiError)))]
async fn export_messages(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    crate::auth::limits::spend_export(&state.db, user.id, state.config.export_limit_per_user).await?;
    let list = messages(&state, &headers, &meeting).await?;
    let bytes = outbox::workbook(&list)?;
    audit::record(&state.db, user.id, "export", None, &["guardian_phone"], &format!("meeting {id} outbox")).await?;
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"meeting-{id}-outbox.xlsx\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// Queues the day-before reminder for every family coming (in person, online or waiting), once.
#[utoipa::path(post, path = "/api/meetings/{id}/reminders", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Vec<OutboxMessage>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn queue_reminders(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Vec<OutboxMessage>>> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    outbox::queue_reminders(&state.db, &state.channels, &meeting).await?;
    audited(&state, &headers, &user, &meeting).await
}

/// With an SMS channel: the meeting's failed messages are tried again at once (they are never
/// marked sent here). Without: staff sent the waiting messages with their own tool (from the
/// export) and mark them sent.
#[utoipa::path(post, path = "/api/meetings/{id}/messages/send", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Vec<OutboxMessage>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn send_messages(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Vec<OutboxMessage>>> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    if state.channels.sms.is_some() {
        queue::retry_now(&state.db, id).await?;
    } else {
        queue::mark_sent_by_hand(&state.db, id).await?;
    }
    audited(&state, &headers, &user, &meeting).await
}
