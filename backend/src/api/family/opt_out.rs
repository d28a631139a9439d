//! A parent switches messages off on their page (the same as replying "TD"), and back on.

use axum::extract::State;
use shared::meetings::FamilyPage;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::Family;
use crate::error::{Json, Result};
use crate::notify::opt_out;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(opt_out, opt_in))
}

/// No more messages to this guardian (nor to the guardians on the same phone): those queued are
/// not sent either. Answers the page.
#[utoipa::path(post, path = "/api/family/opt_out", tag = "family",
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError)))]
async fn opt_out(State(state): State<AppState>, family: Family) -> Result<Json<FamilyPage>> {
    opt_out::set(&state.db, family.guardian_id, true).await?;
    Ok(Json(crate::family::page::load(&state, &family).await?))
}

/// Messages again, from now on.
#[utoipa::path(delete, path = "/api/family/opt_out", tag = "family",
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError)))]
async fn opt_in(State(state): State<AppState>, family: Family) -> Result<Json<FamilyPage>> {
    opt_out::set(&state.db, family.guardian_id, false).await?;
    Ok(Json(crate::family::page::load(&state, &family).await?))
}
