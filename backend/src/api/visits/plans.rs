//! Planning over HTTP: the campaigns under way, the students a counselor (or team leader) can
//! visit, colleagues to name, and visit plans (`crate::visits::plans`).

use axum::extract::State;
use serde::Deserialize;
use shared::visits::{NewPlans, Person, Plan, PlanStudent, PlanStudentQuery, VisitCampaign};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Json, Query, Result};
use crate::visits::plans;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_campaigns))
        .routes(routes!(list_students))
        .routes(routes!(list_colleagues))
        .routes(routes!(list_plans, create_plans))
}

/// Campaigns under way, in which visits are planned and logged.
#[utoipa::path(get, path = "/api/visits/campaigns", tag = "visits",
    responses((status = 200, body = Vec<VisitCampaign>), (status = 401, body = shared::ApiError)))]
async fn list_campaigns(State(state): State<AppState>, _user: StaffUser) -> Result<Json<Vec<VisitCampaign>>> {
    Ok(Json(crate::campaigns::active(&state.db).await?))
}

/// The students the caller can visit in the campaign, filtered.
#[utoipa::path(get, path = "/api/visits/students", tag = "visits", params(PlanStudentQuery),
    responses((status = 200, body = Vec<PlanStudent>), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn list_students(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<PlanStudentQuery>,
) -> Result<Json<Vec<PlanStudent>>> {
    Ok(Json(plans::students(&state, &user, &q).await?))
}

/// Staff who can be named as team members or follow-up owners: the caller's college (all
/// staff for admins).
#[utoipa::path(get, path = "/api/visits/colleagues", tag = "visits",
    responses((status = 200, body = Vec<Person>), (status = 401, body = shared::ApiError)))]
async fn list_colleagues(State(state): State<AppState>, user: StaffUser) -> Result<Json<Vec<Person>>> {
    Ok(Json(plans::colleagues(&state.db, &user).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
struct PlanQuery {
    campaign_id: i64,
}

/// The campaign's plans the caller can see: for students they reach, or that they made or
/// take part in.
#[utoipa::path(get, path = "/api/visits/plans", tag = "visits", params(PlanQuery),
    responses((status = 200, body = Vec<Plan>), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn list_plans(
    State(state): State<AppState>,
    user: StaffUser,
    Query(q): Query<PlanQuery>,
) -> Result<Json<Vec<Plan>>> {
    Ok(Json(plans::list(&state, &user, q.campaign_id.into()).await?))
}

/// Plans a visit for each student; in-person plans given a trip name are grouped into one trip,
/// which needs them all in one district. A closed campaign takes no new plans (422
/// `campaign_closed`); the team must be allowed to take part in a visit to every student (422 on
/// `member_ids`).
#[utoipa::path(post, path = "/api/visits/plans", tag = "visits", request_body = NewPlans,
    responses((status = 200, body = Vec<Plan>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn create_plans(
    State(state): State<AppState>,
    user: StaffUser,
    Json(body): Json<NewPlans>,
) -> Result<Json<Vec<Plan>>> {
    Ok(Json(plans::create(&state, &user, &body).await?))
}
