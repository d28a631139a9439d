//! Campaigns (专项行动) over HTTP: every staff member may read them; the Student Affairs Office
//! (admins) creates and edits them. The rules and the store are `crate::campaigns`.

use axum::extract::State;
use shared::campaigns::{AspectInfo, Campaign, CampaignInput, StatusChange};
use shared::{Aspect, CampaignId, Role};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::campaigns;
use crate::error::{Json, Path, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns, create_campaign))
        .routes(routes!(get_campaign, update_campaign))
        .routes(routes!(change_status))
        .routes(routes!(list_aspects))
}

/// Every campaign, the newest first.
#[utoipa::path(get, path = "/api/campaigns", tag = "campaigns",
    responses((status = 200, body = Vec<Campaign>), (status = 401, body = shared::ApiError)))]
async fn list_campaigns(State(state): State<AppState>, _user: StaffUser) -> Result<Json<Vec<Campaign>>> {
    Ok(Json(campaigns::list(&state.db).await?))
}

/// One campaign.
#[utoipa::path(get, path = "/api/campaigns/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn get_campaign(
    State(state): State<AppState>,
    _user: StaffUser,
    Path(id): Path<CampaignId>,
) -> Result<Json<Campaign>> {
    let mut conn = state.db.read.acquire().await?;
    Ok(Json(campaigns::load(&mut conn, id).await?))
}

/// Creates a campaign as a draft (admins).
#[utoipa::path(post, path = "/api/campaigns", tag = "campaigns", request_body = CampaignInput,
    responses((status = 200, body = Campaign), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn create_campaign(
    State(state): State<AppState>,
    user: StaffUser,
    Json(input): Json<CampaignInput>,
) -> Result<Json<Campaign>> {
    user.require(&[Role::Admin])?;
    Ok(Json(campaigns::create(&state.db, &input).await?))
}

/// Changes a campaign's name, dates and targets (admins); 409 once it is closed.
#[utoipa::path(put, path = "/api/campaigns/{id}", tag = "campaigns", request_body = CampaignInput,
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn update_campaign(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
    Json(input): Json<CampaignInput>,
) -> Result<Json<Campaign>> {
    user.require(&[Role::Admin])?;
    Ok(Json(campaigns::update(&state.db, id, &input).await?))
}

/// Moves a campaign forward: draft → active → closed (admins).
#[utoipa::path(post, path = "/api/campaigns/{id}/status", tag = "campaigns", request_body = StatusChange,
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Campaign), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn change_status(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
    Json(change): Json<StatusChange>,
) -> Result<Json<Campaign>> {
    user.require(&[Role::Admin])?;
    Ok(Json(campaigns::change_status(&state.db, id, &change).await?))
}

/// The eight aspects a visit covers, in order, with their labels.
#[utoipa::path(get, path = "/api/aspects", tag = "campaigns",
    responses((status = 200, body = Vec<AspectInfo>), (status = 401, body = shared::ApiError)))]
async fn list_aspects(_user: StaffUser) -> Json<Vec<AspectInfo>> {
    Json(
        Aspect::ALL
            .into_iter()
            .map(|a| AspectInfo { code: a, label_zh: a.label_zh().into(), label_en: a.label_en().into() })
            .collect(),
    )
}
