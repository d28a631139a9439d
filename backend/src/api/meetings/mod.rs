//! Parents' meetings (家长会), staff side, over HTTP: scheduling (one class, or every class of a
//! college or of the school at once), the sign-up page, links and QR code, and the outbox. The
//! family side is `crate::api::family`; the rules and the store are `crate::meetings`.

mod feedback;
mod links;
mod outbox;
mod signups;

use axum::extract::State;
use shared::meetings::{BulkCreated, Meeting, MeetingInput};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Error, Json, Path, Query, Result};
use crate::i18n::Msg;
use crate::meetings::{self, edit};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, create_meeting))
        .routes(routes!(get_meeting, update_meeting))
        .routes(routes!(bulk_create))
        .routes(routes!(mark_held))
        .merge(signups::router())
        .merge(feedback::router())
        .merge(links::router())
        .merge(outbox::router())
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only this class's meetings.
    class_id: Option<i64>,
}

/// The meetings of the classes the caller may see, soonest first.
#[utoipa::path(get, path = "/api/meetings", tag = "meetings", params(ListQuery),
    responses((status = 200, body = Vec<Meeting>), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn list_meetings(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<Meeting>>> {
    Ok(Json(meetings::list(&state.db, user.scope(), query.class_id).await?))
}

/// The meeting with its counts, as the caller sees it now.
async fn answer(state: &AppState, user: &StaffUser, id: i64) -> Result<Json<Meeting>> {
    let row = meetings::visible(&state.db, user, id).await?;
    Ok(Json(meetings::with_counts(&state.db, row).await?))
}

/// One meeting with its sign-up counts.
#[utoipa::path(get, path = "/api/meetings/{id}", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Meeting), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_meeting(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Json<Meeting>> {
    answer(&state, &user, id).await
}

/// Schedules a meeting for one class the caller looks after.
#[utoipa::path(post, path = "/api/meetings", tag = "meetings", request_body = MeetingInput,
    responses((status = 200, body = Meeting), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn create_meeting(
    State(state): State<AppState>,
    user: StaffUser,
    Json(input): Json<MeetingInput>,
) -> Result<Json<Meeting>> {
    let class_id = input.class_id.ok_or_else(|| Error::field("class_id", Msg::new("请选择班级", "Choose a class")))?;
    crate::org::classes::check_visible(&state.db, &user, class_id).await?;
    let id = edit::create(&state.db, &user, class_id.get(), input).await?;
    answer(&state, &user, id).await
}

/// One themed meeting for every class of a college (`college_id`) or, for an admin, of the
/// whole school: each class gets a meeting of its own, editable afterwards.
#[utoipa::path(post, path = "/api/meetings/bulk", tag = "meetings", request_body = MeetingInput,
    responses((status = 200, body = BulkCreated), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn bulk_create(
    State(state): State<AppState>,
    user: StaffUser,
    Json(input): Json<MeetingInput>,
) -> Result<Json<BulkCreated>> {
    Ok(Json(edit::bulk_create(&state.db, &user, input).await?))
}

/// Changes a meeting. Capacity cannot drop below the seats already taken; link expiry follows
/// the new times.
#[utoipa::path(put, path = "/api/meetings/{id}", tag = "meetings", request_body = MeetingInput,
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Meeting), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn update_meeting(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(input): Json<MeetingInput>,
) -> Result<Json<Meeting>> {
    meetings::visible(&state.db, &user, id).await?;
    edit::update(&state.db, id, input).await?;
    answer(&state, &user, id).await
}

/// Marks the meeting as held; families can then give feedback.
#[utoipa::path(post, path = "/api/meetings/{id}/held", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Meeting), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn mark_held(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Json<Meeting>> {
    meetings::visible(&state.db, &user, id).await?;
    edit::mark_held(&state.db, id).await?;
    answer(&state, &user, id).await
}
