//! Accounts a school can run: a staff member changes their own password (the current one
//! required); an admin makes a password reset link for someone, or resets someone's two-step
//! verification. Every one of these is in the audit log (action `account`).
//!
//! An admin cannot do either reset to their own account: a reset link would set a password
//! without the current one, and a second-factor reset would take off the factor admins must keep
//! (they cannot turn it off either), so a stolen admin session could take the account over for
//! good. Admins change their own password with the current one; another admin resets theirs.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use shared::auth::PasswordChange;
use shared::users::ActivationLink;
use shared::Role;
use shared::UserId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{account, limits, password, second_factor, session, StaffUser};
use crate::error::{Error, Json, Path, Result};
use crate::i18n::Msg;
use crate::users::activation::{self, LinkKind};
use crate::{audit, AppState};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(change_password)).routes(routes!(reset_link)).routes(routes!(reset_totp))
}

/// Checks the signed-in user's own password, counted against the same per-account limit as
/// signing in (the same key): a stolen session cannot guess the password any faster than the
/// sign-in page allows. A wrong one is a field error on `field`.
pub async fn check_own_password(state: &AppState, user: &StaffUser, typed: String, field: &str) -> Result<()> {
    let wrong = || Error::field(field, Msg::new("当前密码不正确", "The current password is wrong"));
    // Far longer than any password allowed: wrong without hashing it.
    if typed.chars().count() > password::MAX_LEN * 4 {
        return Err(wrong());
    }
    let key = super::auth::account_key(&user.username);
    let attempt = limits::spend(&state.db, &key, state.config.login_limit_per_account).await?;
    let stored = account::password_hash(&state.db, user.id).await?;
    let right = match password::verify(&state.hashing, typed, stored).await {
        Ok(right) => right,
        Err(busy) => {
            // Not tried at all: it does not count.
            attempt.release(&state.db).await?;
            return Err(busy);
        }
    };
    if !right {
        attempt.keep();
        return Err(wrong());
    }
    attempt.release(&state.db).await?;
    Ok(())
}

/// Changes the signed-in staff member's password: the current one is required, the new one
/// follows the same rules as at activation. Every other session of theirs ends; this one stays.
#[utoipa::path(post, path = "/api/auth/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204, description = "Changed; the user's other sessions ended"),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 422, body = shared::ApiError, description = "Wrong current password, or the new one is refused"),
              (status = 429, body = shared::ApiError),
              (status = 503, description = "Too many passwords being checked at once: try again after `Retry-After` seconds",
               body = shared::ApiError)))]
async fn change_password(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Json(body): Json<PasswordChange>,
) -> Result<StatusCode> {
    check_own_password(&state, &user, body.current_password, "current_password").await?;
    password::check_policy(&body.password, &user.username)?;
    let hash = password::hash_gated(&state.hashing, body.password).await?;
    let current = session::token_from_headers(&headers, &state.config.session).map(|t| session::hash_token(&t));
    account::set_password(&state.db, user.id, hash, current).await?;
    audit::record(&state.db, user.id, "account", None, &["password"], "changed own password").await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 409: an admin's reset of their own account (see the module's comment).
fn not_yourself() -> Error {
    Error::Conflict(Msg::new(
        "不能重置自己的账号：请在“账户安全”中修改密码，或请另一位管理员重置",
        "You cannot reset your own account: change your password under Account security, or ask another admin",
    ))
}

/// Whom an admin's reset is for, with the checks both resets share.
async fn target(state: &AppState, user: &StaffUser, id: UserId) -> Result<account::AccountState> {
    user.require(&[Role::Admin])?;
    let account = account::state(&state.db, id).await?.ok_or(Error::NotFound)?;
    if id == user.id {
        return Err(not_yourself());
    }
    if account.disabled() {
        return Err(activation::disabled_account());
    }
    Ok(account)
}

/// A password reset link for a staff member (admins; not for oneself). The admin passes it on;
/// the owner opens it and chooses a new password, which ends every session of theirs. It works
/// once, for 72 hours by default, and replaces any earlier link. The link is in this answer only.
#[utoipa::path(post, path = "/api/users/{id}/password-reset", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = ActivationLink), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError,
               description = "Oneself, a disabled account, or one not activated yet (make an activation link)")))]
async fn reset_link(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<UserId>,
) -> Result<Json<ActivationLink>> {
    let account = target(&state, &user, id).await?;
    if !account.has_password() {
        return Err(Error::Conflict(Msg::new(
            "该账号尚未激活，请生成新的激活链接",
            "This account is not activated yet; make a new activation link instead",
        )));
    }
    let mut conn = state.db.write.acquire().await?;
    let link =
        activation::issue_kind(&mut conn, id, user.id, LinkKind::Reset, state.config.reset_link_valid_secs).await?;
    drop(conn);
    let detail = format!("password reset link for user {id} ({})", account.username);
    audit::record(&state.db, user.id, "account", None, &["password"], &detail).await?;
    Ok(Json(link))
}

/// Resets a staff member's two-step verification (admins; not for oneself): their TOTP secret
/// and recovery codes are deleted and every session of theirs ends. They sign in with their
/// password alone and turn it on again (an admin must, before anything else).
#[utoipa::path(post, path = "/api/users/{id}/totp-reset", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 204, description = "Reset; the user's sessions ended"),
              (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError, description = "Oneself, a disabled account, or two-step verification is not on")))]
async fn reset_totp(State(state): State<AppState>, user: StaffUser, Path(id): Path<UserId>) -> Result<StatusCode> {
    let account = target(&state, &user, id).await?;
    if !second_factor::is_enabled(&state.db, id).await? {
        return Err(second_factor::not_on());
    }
    account::reset_second_factor(&state.db, id).await?;
    let detail = format!("two-step verification reset for user {id} ({})", account.username);
    audit::record(&state.db, user.id, "account", None, &["totp"], &detail).await?;
    Ok(StatusCode::NO_CONTENT)
}
