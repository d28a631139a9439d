//! The school's settings admins edit: for now the details the parents' privacy notice names.

use crate::auth::StaffUser;
use crate::error::{Json, Result};
use crate::privacy;
use crate::AppState;
use axum::extract::State;
use shared::privacy::PrivacySettings;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_privacy, put_privacy))
}

/// The school's name and privacy contact, as the parents' notice shows them (admins only).
#[utoipa::path(get, path = "/api/settings/privacy", tag = "settings",
    responses((status = 200, body = PrivacySettings), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError)))]
async fn get_privacy(State(state): State<AppState>, user: StaffUser) -> Result<Json<PrivacySettings>> {
    user.require(&[shared::Role::Admin])?;
    Ok(Json(privacy::settings(&state.db).await?))
}

/// Saves them (admins only); each at most 200 characters (422 per field).
#[utoipa::path(put, path = "/api/settings/privacy", tag = "settings", request_body = PrivacySettings,
    responses((status = 200, body = PrivacySettings), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn put_privacy(
    State(state): State<AppState>,
    user: StaffUser,
    Json(input): Json<PrivacySettings>,
) -> Result<Json<PrivacySettings>> {
    Ok(Json(privacy::save_settings(&state.db, &user, input).await?))
}
