//! The outbox over HTTP: shown on the meeting page, exported as xlsx for the school's SMS or
//! WeChat tool, reminders queued, and messages handed to the `Notifier`. Every read of the
//! guardians' phones is audited. The texts and the store: `crate::meetings::outbox`.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use shared::meetings::OutboxMessage;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::links::url_of;
use crate::audit;
use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::meetings::{self, outbox, MeetingRow};
use crate::notify::Outgoing;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_messages))
        .routes(routes!(export_messages))
        .routes(routes!(queue_reminders))
        .routes(routes!(send_messages))
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
    outbox::queue_reminders(&state.db, id).await?;
    audited(&state, &headers, &user, &meeting).await
}

/// Hands every unsent message to the notifier and marks those it took as sent.
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
    for m in messages(&state, &headers, &meeting).await?.into_iter().filter(|m| m.sent_at.is_none()) {
        let outgoing = Outgoing { id: m.id, kind: m.kind, phone: m.phone, text: m.text };
        if let Err(e) = state.notifier.send(&outgoing) {
            tracing::warn!(message_id = m.id, error = %e, "a message could not be handed over");
            continue;
        }
        outbox::mark_sent(&state.db, m.id).await?;
    }
    audited(&state, &headers, &user, &meeting).await
}
