//! Two-step verification for staff: turning TOTP on (a new secret as text and QR code, confirmed
//! by a first code, answered with ten recovery codes) and off (with a current code; never for
//! admins, who must keep it), and a new set of recovery codes. `/api/auth/me` tells whether it is
//! on.

use axum::extract::State;
use axum::http::HeaderMap;
use shared::auth::{
    Me, RecoveryCodes, RecoveryCodesLeft, RecoveryCodesRequest, TotpCode, TotpConfirmed, TotpEnrolment,
};
use shared::{Role, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{load_me, me_of};
use crate::auth::totp::Code;
use crate::auth::{limits, recovery, second_factor, session, SignedIn, StaffUser};
use crate::error::{Error, Json, Result};
use crate::i18n::Msg;
use crate::AppState;

/// The name authenticator apps show above the code.
const ISSUER: &str = "Jiafang";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol))
        .routes(routes!(confirm))
        .routes(routes!(disable))
        .routes(routes!(recovery_codes_left, new_recovery_codes))
}

/// Starts turning two-step verification on: a new secret (replacing one not yet confirmed), its
/// `otpauth://` URL and that URL as an SVG QR code. Nothing changes at sign-in until `confirm`.
#[utoipa::path(post, path = "/api/auth/totp/enrol", tag = "auth",
    responses((status = 200, body = TotpEnrolment), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError, description = "Already on")))]
async fn enrol(State(state): State<AppState>, SignedIn(user): SignedIn) -> Result<Json<TotpEnrolment>> {
    let secret = second_factor::start(&state.db, &state.config.secret, user.id).await?;
    let otpauth_url = secret.otpauth_url(ISSUER, &user.username);
    let qr_svg = crate::qr::svg(&otpauth_url, 240)?;
    Ok(Json(TotpEnrolment { secret: secret.to_base32(), otpauth_url, qr_svg }))
}

/// Turns two-step verification on with a first code of the new secret and answers with ten
/// recovery codes, shown this once; the user's other sessions end, so a device signed in without
/// the second factor stays out.
#[utoipa::path(post, path = "/api/auth/totp/confirm", tag = "auth", request_body = TotpCode,
    responses((status = 200, body = TotpConfirmed), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError, description = "Not started, or already on"),
              (status = 422, body = shared::ApiError, description = "Wrong code"),
              (status = 429, body = shared::ApiError)))]
async fn confirm(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    Json(body): Json<TotpCode>,
) -> Result<Json<TotpConfirmed>> {
    let code = Code::field(&body.code)?;
    guarded(&state, &user, second_factor::confirm(&state.db, &state.config.secret, user.id, &code)).await?;
    let current = session::token_from_headers(&headers, &state.config.session);
    session::delete_others(&state.db, user.id, current.as_deref()).await?;
    let recovery_codes = replace_recovery_codes(&state, user.id).await?;
    Ok(Json(TotpConfirmed { me: load_me(&state, user.id).await?, recovery_codes }))
}

/// A new set of recovery codes for the user, the old ones void.
async fn replace_recovery_codes(state: &AppState, user_id: UserId) -> Result<Vec<String>> {
    let mut tx = state.db.write.begin().await?;
    let codes = recovery::replace(&mut tx, &state.config.secret, user_id).await?;
    tx.commit().await?;
    Ok(codes)
}

/// How many of the signed-in user's recovery codes are left unused.
#[utoipa::path(get, path = "/api/auth/totp/recovery-codes", tag = "auth",
    responses((status = 200, body = RecoveryCodesLeft), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError)))]
async fn recovery_codes_left(State(state): State<AppState>, user: StaffUser) -> Result<Json<RecoveryCodesLeft>> {
    Ok(Json(RecoveryCodesLeft { remaining: recovery::remaining(&state.db, user.id).await? }))
}

/// A new set of ten recovery codes, replacing the old ones, shown this once. Asks for a current
/// code of the authenticator app or the account's password (a session alone is not enough).
#[utoipa::path(post, path = "/api/auth/totp/recovery-codes", tag = "auth", request_body = RecoveryCodesRequest,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError),
              (status = 409, body = shared::ApiError, description = "Two-step verification is not on"),
              (status = 422, body = shared::ApiError, description = "Wrong code or password"),
              (status = 429, body = shared::ApiError),
              (status = 503, description = "Too many passwords being checked at once: try again after `Retry-After` seconds",
               body = shared::ApiError)))]
async fn new_recovery_codes(
    State(state): State<AppState>,
    user: StaffUser,
    Json(body): Json<RecoveryCodesRequest>,
) -> Result<Json<RecoveryCodes>> {
    if !second_factor::is_enabled(&state.db, user.id).await? {
        return Err(second_factor::not_on());
    }
    match (body.code, body.password) {
        (Some(code), _) => {
            let code = Code::field(&code)?;
            guarded(&state, &user, second_factor::verify(&state.db, &state.config.secret, user.id, &code)).await?;
        }
        (None, Some(password)) => {
            super::account::check_own_password(&state, &user, password, "password").await?;
        }
        _ => {
            return Err(Error::field(
                "code",
                Msg::new(
                    "请输入验证器应用中的验证码或您的密码",
                    "Enter a code from your authenticator app or your password",
                ),
            ))
        }
    }
    let codes = replace_recovery_codes(&state, user.id).await?;
    crate::audit::record(&state.db, user.id, "account", None, &["recovery_codes"], "new recovery codes").await?;
    Ok(Json(RecoveryCodes { codes }))
}

/// Turns two-step verification off with a current code. Admins cannot: they must use it.
#[utoipa::path(post, path = "/api/auth/totp/disable", tag = "auth", request_body = TotpCode,
    responses((status = 200, body = Me), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError, description = "Admins must keep it on"),
              (status = 409, body = shared::ApiError, description = "Not on"),
              (status = 422, body = shared::ApiError, description = "Wrong code"),
              (status = 429, body = shared::ApiError)))]
async fn disable(State(state): State<AppState>, user: StaffUser, Json(body): Json<TotpCode>) -> Result<Json<Me>> {
    if user.role == Role::Admin {
        return Err(Error::Status {
            status: axum::http::StatusCode::FORBIDDEN,
            code: "totp_required_for_admins",
            message: Msg::new(
                "管理员必须使用两步验证，不能关闭",
                "Admins must use two-step verification; it cannot be turned off",
            ),
        });
    }
    let code = Code::field(&body.code)?;
    guarded(&state, &user, second_factor::disable(&state.db, &state.config.secret, user.id, &code)).await?;
    let mut me = me_of(user);
    me.totp_enabled = false;
    Ok(Json(me))
}

/// Runs a code check under the user's attempt limit (the sign-in one, per account): a stolen
/// session cannot guess its way to turning the second factor off. `Ok(false)` becomes 422.
async fn guarded(
    state: &AppState,
    user: &StaffUser,
    check: impl std::future::Future<Output = Result<bool>>,
) -> Result<()> {
    let key = format!("totp:user:{}", user.id);
    let attempt = limits::spend(&state.db, &key, state.config.login_limit_per_account).await?;
    if !check.await? {
        attempt.keep();
        return Err(Error::field("code", second_factor::WRONG_CODE));
    }
    limits::clear(&state.db, &key).await?;
    Ok(())
}
