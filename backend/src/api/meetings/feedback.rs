//! Parents' feedback on a meeting, for staff who may see the meeting's class: the ratings (how
//! many, the average, each star's count) and the suggestions with their dates — never who gave
//! them (`crate::meetings::feedback`).

use axum::extract::State;
use shared::feedback::MeetingFeedback;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::meetings::{self, feedback};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(meeting_feedback))
}

/// The families' ratings and suggestions after the meeting, newest first.
#[utoipa::path(get, path = "/api/meetings/{id}/feedback", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingFeedback), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn meeting_feedback(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
) -> Result<Json<MeetingFeedback>> {
    meetings::visible(&state.db, &user, id).await?;
    Ok(Json(feedback::for_meeting(&state.db, id).await?))
}
