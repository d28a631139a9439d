//! Staff sign-in and sign-out.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::auth::{LoginRequest, Me};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::totp::Code;
use crate::auth::{limits, password, second_factor, session, SignedIn, StaffUser};
use crate::error::{Error, Json, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout)).routes(routes!(me))
}

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    password_hash: Option<String>,
}

/// The client's address: the socket's, or the proxy's word for it when configured to trust it.
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.trust_proxy {
        if let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
        {
            return ip.to_string();
        }
    }
    peer.ip().to_string()
}

/// Signs a staff member in with username and password, and the TOTP code if they turned two-step
/// verification on (without it: 401 `totp_required`; a wrong or reused one: 401 `totp_invalid`);
/// sets the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError), (status = 429, body = shared::ApiError)))]
async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<LoginRequest>,
) -> Result<Response> {
    let username = body.username.trim().to_lowercase();
    if username.is_empty() || body.password.is_empty() || body.password.chars().count() > password::MAX_LEN * 4 {
        return Err(Error::WrongCredentials);
    }
    let account_key = format!("login:user:{username}");
    let address_key = format!("login:ip:{}", client_ip(&state, &headers, peer));
    let config = &state.config;
    let failures = limits::check(&state.db, &account_key, config.login_limit_per_account).await?;
    limits::check(&state.db, &address_key, config.login_limit_per_address).await?;

    let creds: Option<Credentials> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE lower(username) = $1 AND active = 1")
            .bind(username.clone())
            .fetch_optional(&state.db.read)
            .await?;
    let (user_id, stored) = match creds {
        Some(c) => (Some(c.id), c.password_hash),
        None => (None, None),
    };
    let keys = [account_key.as_str(), address_key.as_str()];
    if !password::verify(body.password, stored).await {
        failed_attempt(&state, keys, failures).await?;
        return Err(Error::WrongCredentials);
    }
    let user_id = user_id.ok_or(Error::Unauthorized)?;
    // The second factor, for those who turned it on. A wrong code is a failed attempt like a wrong
    // password, so guessing codes meets the same limits.
    if second_factor::is_enabled(&state.db, user_id).await? {
        let Some(typed) = body.totp else { return Err(second_factor::code_required()) };
        let right = match Code::parse(&typed) {
            Some(code) => second_factor::verify(&state.db, user_id, &code).await?,
            None => false,
        };
        if !right {
            failed_attempt(&state, keys, failures).await?;
            return Err(second_factor::code_wrong());
        }
    }
    limits::clear(&state.db, &account_key).await?;
    let token = session::create(&state.db, &config.session, user_id).await?;
    let me = load_me(&state, user_id).await?;
    let mut response = Json(me).into_response();
    response.headers_mut().insert(header::SET_COOKIE, config.session.set_cookie(&token));
    Ok(response)
}

/// Counts a failed sign-in against the account and the address; past three failures each further
/// guess waits longer, up to the refusal at the limit.
async fn failed_attempt(state: &AppState, keys: [&str; 2], failures: i64) -> Result<()> {
    for key in keys {
        limits::record(&state.db, key).await?;
    }
    let extra = (failures - 2).max(0) as u64;
    tokio::time::sleep(Duration::from_millis(state.config.login_backoff_ms * extra.min(10))).await;
    Ok(())
}

/// Ends the session: the cookie is worthless afterwards, and the browser is told to wipe what
/// this site stored (offline copies included).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session::token_from_headers(&headers, &state.config.session) {
        session::delete(&state.db, &token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(header::SET_COOKIE, state.config.session.clear_cookie());
    h.insert("clear-site-data", HeaderValue::from_static("\"cache\", \"storage\""));
    Ok(response)
}

/// The signed-in staff member, also an admin who must still turn TOTP on (`totp_enabled`).
#[utoipa::path(get, path = "/api/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = shared::ApiError)))]
async fn me(SignedIn(user): SignedIn) -> Json<Me> {
    Json(me_of(user))
}

pub(crate) fn me_of(user: StaffUser) -> Me {
    Me {
        id: user.id,
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        college_id: user.college_id,
        college_name: user.college_name,
        lang: user.lang,
        totp_enabled: user.totp,
    }
}

pub(crate) async fn load_me(state: &AppState, user_id: i64) -> Result<Me> {
    Ok(me_of(StaffUser::load(&state.db, user_id).await?))
}
