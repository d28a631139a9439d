//! The parent's privacy notice and their separate consent to sensitive concerns (issue 19).

use super::Family;
use crate::error::{Json, Result};
use crate::privacy;
use crate::AppState;
use axum::extract::State;
use shared::privacy::{ConsentInput, PrivacyNotice};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(notice)).routes(routes!(give_consent, withdraw_consent))
}

/// The privacy notice's version, the school's details it names, and this guardian's consent to
/// concerns on mental health and family finances.
#[utoipa::path(get, path = "/api/family/privacy", tag = "family",
    responses((status = 200, body = PrivacyNotice), (status = 401, body = shared::ApiError)))]
async fn notice(State(state): State<AppState>, family: Family) -> Result<Json<PrivacyNotice>> {
    Ok(Json(privacy::notice(&state.db, &family).await?))
}

/// Gives the separate consent (PIPL art. 29) under the notice's current version.
#[utoipa::path(post, path = "/api/family/consent", tag = "family", request_body = ConsentInput,
    responses((status = 200, body = PrivacyNotice), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn give_consent(
    State(state): State<AppState>,
    family: Family,
    Json(input): Json<ConsentInput>,
) -> Result<Json<PrivacyNotice>> {
    Ok(Json(privacy::give(&state.db, &family, input.notice_version).await?))
}

/// Withdraws it: staff no longer see the sensitive concerns sent under it.
#[utoipa::path(delete, path = "/api/family/consent", tag = "family",
    responses((status = 200, body = PrivacyNotice), (status = 401, body = shared::ApiError)))]
async fn withdraw_consent(State(state): State<AppState>, family: Family) -> Result<Json<PrivacyNotice>> {
    Ok(Json(privacy::withdraw(&state.db, &family).await?))
}
