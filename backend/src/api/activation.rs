//! One-time links over HTTP: a new activation link for an account (admins), and choosing the
//! password with an activation or reset link (public: the link is the proof). The links
//! themselves: `crate::users::activation`; reset links are made in `api::account`.

use shared::UserId;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use shared::users::{ActivateRequest, Activated, ActivationLink};
use shared::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::session::hash_token;
use crate::auth::{limits, password, StaffUser};
use crate::db::now;
use crate::error::{Error, Json, Path, Result};
use crate::i18n::Msg;
use crate::users::activation;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(new_link)).routes(routes!(activate))
}

/// A new activation link for an account that has not chosen a password yet (admins). The link
/// is in this answer only.
#[utoipa::path(post, path = "/api/users/{id}/activation", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = ActivationLink), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError)))]
async fn new_link(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<UserId>,
) -> Result<Json<ActivationLink>> {
    user.require(&[Role::Admin])?;
    Ok(Json(activation::renew(&state.db, id, user.id).await?))
}

fn invalid_link() -> Error {
    Error::field(
        "token",
        Msg::new(
            "链接无效、已使用或已过期，请联系管理员重新生成",
            "This link is invalid, used or expired; ask an admin for a new one",
        ),
    )
}

/// Chooses the password of a new account with its activation link, or a new password with a
/// reset link; either way every session of the account ends. Public: the link is the proof.
/// Wrong links count against the caller's address like failed sign-ins.
#[utoipa::path(post, path = "/api/activate", tag = "auth", request_body = ActivateRequest,
    responses((status = 200, body = Activated), (status = 422, body = shared::ApiError),
              (status = 429, body = shared::ApiError),
              (status = 503, description = "Too many passwords being checked at once: try again after `Retry-After` seconds",
               body = shared::ApiError)))]
async fn activate(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<ActivateRequest>,
) -> Result<Json<Activated>> {
    let address_key = super::auth::address_key(&state, &headers, peer, "activate");
    limits::check(&state.db, &address_key, state.config.login_limit_per_address).await?;
    let token_hash = hash_token(body.token.trim());
    let row = activation::pending(&state.db, &token_hash).await?;
    let Some(row) = row.filter(|r| r.expires_at > now()) else {
        limits::record(&state.db, &address_key).await?;
        return Err(invalid_link());
    };
    password::check_policy(&body.password, &row.username)?;
    let hash = password::hash_gated(&state.hashing, body.password).await?;

    if !activation::complete(&state.db, &token_hash, row.user_id, hash).await? {
        return Err(invalid_link());
    }
    if row.is_reset() {
        crate::audit::record(&state.db, row.user_id, "account", None, &["password"], "password set with a reset link")
            .await?;
    }
    Ok(Json(Activated { username: row.username }))
}
