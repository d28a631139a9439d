//! The parent's page: their child's meeting, their own answer, their own concerns and feedback.
//! Nothing about other families, no notes, no hardship, no staff phone numbers.

use super::Family;
use crate::error::{Json, Path, Result};
use crate::family::page;
use crate::AppState;
use axum::extract::State;
use shared::meetings::{AnswerInput, ConcernInput, FamilyPage, FeedbackInput};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(me))
        .routes(routes!(put_answer, withdraw))
        .routes(routes!(add_concern))
        .routes(routes!(delete_concern))
        .routes(routes!(give_feedback))
}

/// The parent's page.
#[utoipa::path(get, path = "/api/family/me", tag = "family",
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError)))]
async fn me(State(state): State<AppState>, family: Family) -> Result<Json<FamilyPage>> {
    Ok(Json(page::load(&state, &family).await?))
}

/// Answers with one tap — in person, online or not — or changes the answer, until the deadline.
/// In person beyond the meeting's capacity joins the waitlist.
#[utoipa::path(put, path = "/api/family/answer", tag = "family", request_body = AnswerInput,
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn put_answer(
    State(state): State<AppState>,
    family: Family,
    Json(input): Json<AnswerInput>,
) -> Result<Json<FamilyPage>> {
    Ok(Json(page::put_answer(&state, &family, input).await?))
}

/// Withdraws the answer; a seat it held goes to the first family waiting.
#[utoipa::path(delete, path = "/api/family/answer", tag = "family",
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError)))]
async fn withdraw(State(state): State<AppState>, family: Family) -> Result<Json<FamilyPage>> {
    Ok(Json(page::withdraw(&state, &family).await?))
}

/// Adds something the parent would like the meeting to talk about.
#[utoipa::path(post, path = "/api/family/concerns", tag = "family", request_body = ConcernInput,
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn add_concern(
    State(state): State<AppState>,
    family: Family,
    Json(input): Json<ConcernInput>,
) -> Result<Json<FamilyPage>> {
    Ok(Json(page::add_concern(&state, &family, input).await?))
}

/// Removes one of the family's own concerns (another family's is simply not found); one a home
/// visit has addressed stays (409).
#[utoipa::path(delete, path = "/api/family/concerns/{id}", tag = "family",
    params(("id" = i64, Path, description = "Concern id")),
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 409, body = shared::ApiError)))]
async fn delete_concern(
    State(state): State<AppState>,
    family: Family,
    Path(id): Path<i64>,
) -> Result<Json<FamilyPage>> {
    Ok(Json(page::delete_concern(&state, &family, id).await?))
}

/// After the meeting: a rating from 1 to 5 and suggestions (given again, it replaces the last).
#[utoipa::path(post, path = "/api/family/feedback", tag = "family", request_body = FeedbackInput,
    responses((status = 200, body = FamilyPage), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn give_feedback(
    State(state): State<AppState>,
    family: Family,
    Json(input): Json<FeedbackInput>,
) -> Result<Json<FamilyPage>> {
    Ok(Json(page::give_feedback(&state, &family, input).await?))
}
