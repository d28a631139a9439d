//! Staff accounts, run by the Student Affairs Office: list, create (with a one-time activation
//! link), re-scope, disable and enable. A college leader may list their own college's staff.

use crate::auth::StaffUser;
use crate::error::{Json, Path, Query, Result};
use crate::users;
use crate::AppState;
use axum::extract::State;
use shared::users::{AccountUpdate, CreatedAccount, NewAccount, PendingActivations, UserAccount, UserQuery};
use shared::UserId;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(update_user))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(activation_links))
}

/// A new activation link for every account of a college (or of the school) not activated yet,
/// for an admin to hand out or export; earlier links of those accounts stop working.
#[utoipa::path(post, path = "/api/users/activation-links", tag = "users", request_body = PendingActivations,
    responses((status = 200, body = Vec<CreatedAccount>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn activation_links(
    State(state): State<AppState>,
    user: StaffUser,
    Json(body): Json<PendingActivations>,
) -> Result<Json<Vec<CreatedAccount>>> {
    Ok(Json(users::activation_links(&state, &user, body.college_id).await?))
}

/// Staff accounts, by college and name. Admins see all; a college leader their college's.
#[utoipa::path(get, path = "/api/users", tag = "users", params(UserQuery),
    responses((status = 200, body = Vec<UserAccount>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn list_users(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<UserQuery>,
) -> Result<Json<Vec<UserAccount>>> {
    Ok(Json(users::list_users(&state, &user, query).await?))
}

/// Creates a staff account without a password and answers with its activation link, once.
#[utoipa::path(post, path = "/api/users", tag = "users", request_body = NewAccount,
    responses((status = 200, body = CreatedAccount), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn create_user(
    State(state): State<AppState>,
    user: StaffUser,
    Json(body): Json<NewAccount>,
) -> Result<Json<CreatedAccount>> {
    Ok(Json(users::create_user(&state, &user, body).await?))
}

/// Renames and re-scopes an account (role and college). Takes effect on its next request.
#[utoipa::path(put, path = "/api/users/{id}", tag = "users", request_body = AccountUpdate,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserAccount), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn update_user(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<UserId>,
    Json(body): Json<AccountUpdate>,
) -> Result<Json<UserAccount>> {
    Ok(Json(users::update_user(&state, &user, id, body).await?))
}

/// Switches an account off: its sessions and activation links end at once.
#[utoipa::path(post, path = "/api/users/{id}/disable", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserAccount), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError)))]
async fn disable_user(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<UserId>,
) -> Result<Json<UserAccount>> {
    Ok(Json(users::disable_user(&state, &user, id).await?))
}

/// Switches a disabled account back on.
#[utoipa::path(post, path = "/api/users/{id}/enable", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = UserAccount), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn enable_user(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<UserId>,
) -> Result<Json<UserAccount>> {
    Ok(Json(users::enable_user(&state, &user, id).await?))
}
