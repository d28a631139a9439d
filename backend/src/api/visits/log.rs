//! The visit log: list, log (idempotent by `client_id`), read, correct (based on a revision;
//! a stale base is a 409 carrying the server's version) and the history of corrections.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use shared::visits::{NewVisit, Visit, VisitConflict, VisitEdit, VisitQuery, VisitRevision, VisitSummary};
use shared::VisitId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Error, Json, Path, Query, Result};
use crate::i18n::{self, Msg};
use crate::visits::store::Outcome;
use crate::visits::{self, access, read, Corrected};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_visits, create_visit))
        .routes(routes!(get_visit, edit_visit))
        .routes(routes!(list_revisions))
}

fn conflict_msg() -> Msg {
    Msg::new(
        "这条家访记录已被修改，请查看最新版本后再改",
        "This visit has changed meanwhile: check the current version first",
    )
}

/// 409 with the server's version, if the caller may see it.
async fn conflict(state: &AppState, user: &StaffUser, visit_id: VisitId, msg: Msg) -> Result<Response> {
    if access::check_visit(state, user, visit_id).await.is_err() {
        return Err(Error::Conflict(msg));
    }
    let current = read::visit(state, user, visit_id).await?;
    let body = VisitConflict { code: "conflict".into(), message: msg.text(i18n::current()).to_string(), current };
    Ok((StatusCode::CONFLICT, axum::Json(body)).into_response())
}

/// Visits the caller may see, newest first.
#[utoipa::path(get, path = "/api/visits", tag = "visits", params(VisitQuery),
    responses((status = 200, body = Vec<VisitSummary>), (status = 401, body = shared::ApiError)))]
async fn list_visits(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<VisitQuery>,
) -> Result<Json<Vec<VisitSummary>>> {
    Ok(Json(visits::list(&state, &user, &query).await?))
}

/// Logs a visit. Sending the same `client_id` again answers with the stored visit; other
/// content under a `client_id` already used is a 409. A closed campaign takes no new visits (422
/// `campaign_closed`); members must be staff who may see the student or named in the campaign's
/// team for the student's college (422 on `member_ids`).
#[utoipa::path(post, path = "/api/visits", tag = "visits", request_body = NewVisit,
    responses((status = 200, body = Visit), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = VisitConflict), (status = 422, body = shared::ApiError)))]
async fn create_visit(State(state): State<AppState>, user: StaffUser, Json(body): Json<NewVisit>) -> Result<Response> {
    let visit = visits::prepare(&state, &user, &body).await?;
    match visits::store_one(&state, &user, &visit).await? {
        Outcome::Stored(id) | Outcome::Duplicate(id) => Ok(Json(read::visit(&state, &user, id).await?).into_response()),
        Outcome::Conflict(id) => {
            let msg = Msg::new("该编号已用于另一条家访记录", "This client id belongs to another visit");
            conflict(&state, &user, id, msg).await
        }
        Outcome::Closed => Err(access::campaign_closed()),
    }
}

#[utoipa::path(get, path = "/api/visits/{id}", tag = "visits", params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Visit), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_visit(State(state): State<AppState>, user: StaffUser, Path(id): Path<VisitId>) -> Result<Json<Visit>> {
    access::check_visit(&state, &user, id).await?;
    Ok(Json(read::visit(&state, &user, id).await?))
}

/// Corrects a visit: only its author, only from the current revision. Once its campaign is
/// closed, 422 `campaign_closed` unless the server lets authors correct closed campaigns
/// (`--closed-campaign-corrections`). Members must be allowed to take part (422 on `member_ids`).
#[utoipa::path(put, path = "/api/visits/{id}", tag = "visits", params(("id" = i64, Path, description = "Visit id")),
    request_body = VisitEdit,
    responses((status = 200, body = Visit), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = VisitConflict), (status = 422, body = shared::ApiError)))]
async fn edit_visit(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<VisitId>,
    Json(body): Json<VisitEdit>,
) -> Result<Response> {
    access::check_visit(&state, &user, id).await?;
    match visits::correct(&state, &user, id, &body).await? {
        Corrected::Done => Ok(Json(read::visit(&state, &user, id).await?).into_response()),
        Corrected::Stale => conflict(&state, &user, id, conflict_msg()).await,
    }
}

/// Every version of the visit, oldest first.
#[utoipa::path(get, path = "/api/visits/{id}/revisions", tag = "visits",
    params(("id" = i64, Path, description = "Visit id")),
    responses((status = 200, body = Vec<VisitRevision>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn list_revisions(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<VisitId>,
) -> Result<Json<Vec<VisitRevision>>> {
    access::check_visit(&state, &user, id).await?;
    Ok(Json(visits::revisions(&state, &user, id).await?))
}
