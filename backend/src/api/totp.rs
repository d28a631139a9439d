//! Two-step verification for staff: turning TOTP on (a new secret as text and QR code, confirmed
//! by a first code) and off (with a current code; never for admins, who must keep it).
//! `/api/auth/me` tells whether it is on.

use axum::extract::State;
use axum::http::HeaderMap;
use shared::auth::{Me, TotpCode, TotpEnrolment};
use shared::Role;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::auth::{load_me, me_of};
use crate::auth::totp::Code;
use crate::auth::{limits, second_factor, session, SignedIn, StaffUser};
use crate::error::{Error, Json, Result};
use crate::i18n::Msg;
use crate::AppState;

/// The name authenticator apps show above the code.
const ISSUER: &str = "Jiafang";

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(enrol)).routes(routes!(confirm)).routes(routes!(disable))
}

/// Starts turning two-step verification on: a new secret (replacing one not yet confirmed), its
/// `otpauth://` URL and that URL as an SVG QR code. Nothing changes at sign-in until `confirm`.
#[utoipa::path(post, path = "/api/auth/totp/enrol", tag = "auth",
    responses((status = 200, body = TotpEnrolment), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError, description = "Already on")))]
async fn enrol(State(state): State<AppState>, SignedIn(user): SignedIn) -> Result<Json<TotpEnrolment>> {
    let secret = second_factor::start(&state.db, user.id).await?;
    let otpauth_url = secret.otpauth_url(ISSUER, &user.username);
    let qr_svg = crate::qr::svg(&otpauth_url, 240)?;
    Ok(Json(TotpEnrolment { secret: secret.to_base32(), otpauth_url, qr_svg }))
}

/// Turns two-step verification on with a first code of the new secret; the user's other sessions
/// end, so a device signed in without the second factor stays out.
#[utoipa::path(post, path = "/api/auth/totp/confirm", tag = "auth", request_body = TotpCode,
    responses((status = 200, body = Me), (status = 401, body = shared::ApiError),
              (status = 409, body = shared::ApiError, description = "Not started, or already on"),
              (status = 422, body = shared::ApiError, description = "Wrong code"),
              (status = 429, body = shared::ApiError)))]
async fn confirm(
    State(state): State<AppState>,
    SignedIn(user): SignedIn,
    headers: HeaderMap,
    Json(body): Json<TotpCode>,
) -> Result<Json<Me>> {
    let code = Code::field(&body.code)?;
    guarded(&state, &user, second_factor::confirm(&state.db, user.id, &code)).await?;
    let current = session::token_from_headers(&headers, &state.config.session).map(|t| session::hash_token(&t));
    session::delete_others(&state.db, user.id, &current.unwrap_or_default()).await?;
    Ok(Json(load_me(&state, user.id).await?))
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
    guarded(&state, &user, second_factor::disable(&state.db, user.id, &code)).await?;
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
