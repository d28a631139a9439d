//! Activation links: a new account (created by an admin, or from a roster) has no password
//! until its owner follows a one-time link and chooses one. The link carries 256 random bits;
//! only their SHA-256 is stored; it works once, for 7 days, and a newer link replaces it.
//!
//! A password reset link (`api::account`) is the same kind of link for an account that has a
//! password: made by an admin, valid for `Config::reset_link_valid_secs` (72 hours by default),
//! used on the same page and by the same handler here, and it ends every session of the account.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::HeaderMap;
use shared::users::{ActivateRequest, Activated, ActivationLink};
use shared::Role;
use sqlx::AnyConnection;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::session::{hash_token, new_token};
use crate::auth::{account, limits, password, StaffUser};
use crate::db::now;
use crate::error::{Error, Json, Path, Result};
use crate::i18n::Msg;
use crate::AppState;

pub const VALID_SECS: i64 = 7 * 86_400;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(new_link)).routes(routes!(activate))
}

/// What a one-time link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A new account's first password.
    Activate,
    /// A new password for an account that has one, made by an admin.
    Reset,
}

impl LinkKind {
    fn code(self) -> &'static str {
        match self {
            LinkKind::Activate => "activate",
            LinkKind::Reset => "reset",
        }
    }

    /// The front end's page for it.
    fn page(self) -> &'static str {
        match self {
            LinkKind::Activate => "/activate",
            LinkKind::Reset => "/reset-password",
        }
    }
}

/// Makes a new activation link for a user, replacing any earlier link. Runs on the caller's
/// connection or transaction, so that an account and its first link are created together.
pub async fn issue(conn: &mut AnyConnection, user_id: i64, created_by: i64) -> sqlx::Result<ActivationLink> {
    issue_kind(conn, user_id, created_by, LinkKind::Activate, VALID_SECS).await
}

/// Makes a new link of either kind, valid for `valid_secs`; the user's earlier links of both kinds
/// stop working.
pub async fn issue_kind(
    conn: &mut AnyConnection,
    user_id: i64,
    created_by: i64,
    kind: LinkKind,
    valid_secs: i64,
) -> sqlx::Result<ActivationLink> {
    let token = new_token();
    let at = now();
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO activation_tokens (token_hash, user_id, created_by, created_at, expires_at, purpose) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(created_by)
    .bind(at)
    .bind(at + valid_secs)
    .bind(kind.code())
    .execute(&mut *conn)
    .await?;
    Ok(ActivationLink { link: format!("{}#token={token}", kind.page()), expires_at: at + valid_secs })
}

/// 409 for an account switched off: nothing is sent to it.
pub fn disabled_account() -> Error {
    Error::Conflict(Msg::new("该账号已停用，请先启用", "This account is disabled; enable it first"))
}

/// A new activation link for an account that has not chosen a password yet (admins). The link
/// is in this answer only.
#[utoipa::path(post, path = "/api/users/{id}/activation", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = ActivationLink), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError)))]
async fn new_link(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Json<ActivationLink>> {
    user.require(&[Role::Admin])?;
    let account = account::state(&state.db, id).await?.ok_or(Error::NotFound)?;
    if account.disabled() {
        return Err(disabled_account());
    }
    if account.has_password() {
        return Err(Error::Conflict(Msg::new("该账号已经激活", "This account has already been activated")));
    }
    let mut conn = state.db.write.acquire().await?;
    Ok(Json(issue(&mut conn, id, user.id).await?))
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    user_id: i64,
    expires_at: i64,
    username: String,
    purpose: String,
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
    let row: Option<TokenRow> = sqlx::query_as(
        "SELECT t.user_id, t.expires_at, u.username, t.purpose \
         FROM activation_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND u.disabled_at IS NULL \
           AND ((t.purpose = 'activate' AND u.password_hash IS NULL) \
             OR (t.purpose = 'reset' AND u.password_hash IS NOT NULL))",
    )
    .bind(token_hash.clone())
    .fetch_optional(&state.db.read)
    .await?;
    let Some(row) = row.filter(|r| r.expires_at > now()) else {
        limits::record(&state.db, &address_key).await?;
        return Err(invalid_link());
    };
    password::check_policy(&body.password, &row.username)?;
    let hash = password::hash_gated(&state.hashing, body.password).await?;

    let mut tx = state.db.write.begin().await?;
    // Deleting the token first makes two racing uses of one link succeed once.
    let used =
        sqlx::query("DELETE FROM activation_tokens WHERE token_hash = $1").bind(token_hash).execute(&mut *tx).await?;
    if used.rows_affected() != 1 {
        return Err(invalid_link());
    }
    sqlx::query("UPDATE users SET password_hash = $1, active = 1 WHERE id = $2 AND disabled_at IS NULL")
        .bind(hash)
        .bind(row.user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(row.user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(row.user_id).execute(&mut *tx).await?;
    tx.commit().await?;
    if row.purpose == LinkKind::Reset.code() {
        crate::audit::record(&state.db, row.user_id, "account", None, &["password"], "password set with a reset link")
            .await?;
    }
    Ok(Json(Activated { username: row.username }))
}
