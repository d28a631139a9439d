//! Visit teams (家访小组): per campaign and college, with a leader and members drawn from the
//! staff of that college. Admins and the college's leader make and change them; other staff
//! see the teams they belong to.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Result};
use crate::org::teams;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use shared::campaigns::{NewTeam, TeamDetail, TeamUpdate};
use shared::CampaignId;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_teams, create_team)).routes(routes!(update_team, delete_team))
}

/// The teams of a campaign the caller may see: all for admins, their college's for a college
/// leader, the ones they lead or belong to for anyone else.
#[utoipa::path(get, path = "/api/campaigns/{id}/teams", tag = "campaigns",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = Vec<TeamDetail>), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn list_teams(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
) -> Result<Json<Vec<TeamDetail>>> {
    Ok(Json(teams::list_teams(&state, &user, id).await?))
}

/// Makes a team in a campaign (admins, or the leader of the team's college); 409 once the
/// campaign is closed.
#[utoipa::path(post, path = "/api/campaigns/{id}/teams", tag = "campaigns", request_body = NewTeam,
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = TeamDetail), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn create_team(
    State(state): State<AppState>,
    user: StaffUser,
    Path(campaign_id): Path<CampaignId>,
    Json(body): Json<NewTeam>,
) -> Result<Json<TeamDetail>> {
    Ok(Json(teams::create_team(&state, &user, campaign_id, body).await?))
}

/// Renames a team and sets its leader and members (admins, or the college's leader).
#[utoipa::path(put, path = "/api/teams/{id}", tag = "campaigns", request_body = TeamUpdate,
    params(("id" = i64, Path, description = "Team id")),
    responses((status = 200, body = TeamDetail), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn update_team(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(body): Json<TeamUpdate>,
) -> Result<Json<TeamDetail>> {
    Ok(Json(teams::update_team(&state, &user, id, body).await?))
}

/// Removes a team (admins, or the college's leader).
#[utoipa::path(delete, path = "/api/teams/{id}", tag = "campaigns",
    params(("id" = i64, Path, description = "Team id")),
    responses((status = 204), (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 409, body = shared::ApiError)))]
async fn delete_team(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<StatusCode> {
    teams::delete_team(&state, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
