//! Staff sign-in and sign-out.

use shared::UserId;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use ipnet::IpNet;
use shared::auth::{LoginRequest, Me};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::totp::Code;
use crate::auth::{limits, password, recovery, second_factor, session, SignedIn, StaffUser};
use crate::error::{Error, Json, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout)).routes(routes!(me))
}

/// The client's address: the socket's; when the socket is a trusted proxy's, the right-most
/// address of `X-Forwarded-For` that is not a trusted proxy (the left part is the client's to
/// write, so only what our own proxies appended is believed).
pub fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok());
    client_addr(&state.config.trusted_proxies, forwarded, peer.ip())
}

/// `client_ip` on its parts: the trusted proxies, the `X-Forwarded-For` header lines in order and
/// the peer.
pub fn client_addr<'a>(trusted: &[IpNet], forwarded: impl Iterator<Item = &'a str>, peer: IpAddr) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.flat_map(|line| line.split(',')).map(str::trim).collect();
    let mut nearest = peer;
    for hop in hops.iter().rev() {
        // Appended by a proxy we trust, so it must be an address; if not, believe nothing more.
        let Ok(ip) = hop.parse::<IpAddr>().map(|ip| ip.to_canonical()) else { return nearest };
        if !is_trusted(&ip) {
            return ip;
        }
        nearest = ip;
    }
    nearest
}

/// The key attempts from this request's address are counted under (IPv6 by its /64).
pub fn address_key(state: &AppState, headers: &HeaderMap, peer: SocketAddr, what: &str) -> String {
    format!("{what}:ip:{}", limits::address_key(client_ip(state, headers, peer)))
}

/// The key failed sign-ins at an account are counted under (also wrong current passwords).
pub fn account_key(username: &str) -> String {
    format!("login:user:{}", username.trim().to_lowercase())
}

/// Signs a staff member in with username and password, and the TOTP code (or one of their
/// recovery codes) if they turned two-step verification on (without it: 401 `totp_required`; a
/// wrong or reused one: 401 `totp_invalid`); sets the session cookie.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError), (status = 429, body = shared::ApiError),
              (status = 503, description = "Too many passwords being checked at once: try again after `Retry-After` seconds",
               body = shared::ApiError)))]
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
    let account_key = account_key(&username);
    let address_key = address_key(&state, &headers, peer, "login");
    let config = &state.config;
    limits::check(&state.db, &address_key, config.login_limit_per_address).await?;
    // Counted before the password is checked, so that a burst of parallel guesses at an account
    // gets no more tries than its limit.
    let account = limits::spend(&state.db, &account_key, config.login_limit_per_account).await?;
    let failures = account.before;

    let (user_id, stored) = match crate::users::credentials(&state.db, &username).await? {
        Some(c) => (Some(c.id), c.password_hash),
        None => (None, None),
    };
    let right = match password::verify(&state.hashing, body.password, stored).await {
        Ok(right) => right,
        Err(busy) => {
            // Not tried at all: it does not count.
            account.release(&state.db).await?;
            return Err(busy);
        }
    };
    if !right {
        failed(&state, account, &address_key, failures).await?;
        return Err(Error::WrongCredentials);
    }
    let user_id = user_id.ok_or(Error::Unauthorized)?;
    // The second factor, for those who turned it on. A wrong code is a failed attempt like a wrong
    // password, so guessing codes meets the same limits.
    if second_factor::is_enabled(&state.db, user_id).await? {
        let Some(typed) = body.totp else {
            account.release(&state.db).await?;
            return Err(second_factor::code_required());
        };
        let key = &config.secret;
        let right = match (Code::parse(&typed), recovery::parse(&typed)) {
            (Some(code), _) => second_factor::verify(&state.db, key, user_id, &code).await?,
            (None, Some(code)) => {
                let used = recovery::use_code(&state.db, key, user_id, &code).await?;
                if used {
                    let detail = "signed in with a recovery code";
                    crate::audit::record(&state.db, user_id, "account", None, &["recovery_codes"], detail).await?;
                }
                used
            }
            (None, None) => false,
        };
        if !right {
            failed(&state, account, &address_key, failures).await?;
            return Err(second_factor::code_wrong());
        }
    }
    account.keep();
    limits::clear(&state.db, &account_key).await?;
    let token = session::create(&state.db, &config.session, user_id).await?;
    let me = load_me(&state, user_id).await?;
    let mut response = Json(me).into_response();
    response.headers_mut().insert(header::SET_COOKIE, config.session.set_cookie(&token));
    Ok(response)
}

/// A failed sign-in: the account's attempt stays counted, the address gets one more; past three
/// failures each further guess waits longer, up to the refusal at the limit.
async fn failed(state: &AppState, account: limits::Attempt, address_key: &str, failures: i64) -> Result<()> {
    account.keep();
    limits::record(&state.db, address_key).await?;
    let extra = (failures - 2).max(0) as u64;
    tokio::time::sleep(Duration::from_millis(state.config.login_backoff_ms * extra.min(10))).await;
    Ok(())
}

/// Ends the session: the cookie is worthless afterwards, and the browser is told to drop its
/// HTTP cache of this site. Not its storage: a shared tablet keeps other people's visits that
/// have not been sent yet, which belong to them; the app removes the leaving user's own lists
/// itself (`frontend/src/pages/visits/offline/mod.rs::leave`).
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", responses((status = 204)))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session::token_from_headers(&headers, &state.config.session) {
        session::delete(&state.db, &token).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    let h = response.headers_mut();
    h.insert(header::SET_COOKIE, state.config.session.clear_cookie());
    h.insert("clear-site-data", HeaderValue::from_static("\"cache\""));
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

pub(crate) async fn load_me(state: &AppState, user_id: UserId) -> Result<Me> {
    Ok(me_of(StaffUser::load(&state.db, user_id).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|n| n.parse().unwrap()).collect()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_right_most_forwarded_address_that_is_not_a_trusted_proxy() {
        let proxies = nets(&["10.0.0.0/8", "192.168.1.5/32", "::1/128"]);
        let pick = |lines: &[&str], peer: &str| client_addr(&proxies, lines.iter().copied(), ip(peer));
        // The left part is the client's to write: it is never believed.
        assert_eq!(pick(&["6.6.6.6, 203.0.113.9, 10.1.2.3"], "192.168.1.5"), ip("203.0.113.9"));
        assert_eq!(
            pick(&["6.6.6.6", "203.0.113.9", "10.1.2.3"], "10.0.0.1"),
            ip("203.0.113.9"),
            "header lines in order"
        );
        assert_eq!(pick(&["203.0.113.9"], "::1"), ip("203.0.113.9"));
        assert_eq!(pick(&["2001:db8::7 , 10.0.0.9"], "::ffff:10.0.0.1"), ip("2001:db8::7"), "mapped peer");
        // A peer that is not a trusted proxy: its header is not read at all.
        assert_eq!(pick(&["203.0.113.9"], "198.51.100.1"), ip("198.51.100.1"));
        assert_eq!(client_addr(&[], ["203.0.113.9"].into_iter(), ip("127.0.0.1")), ip("127.0.0.1"));
        // Nothing but proxies, or nothing at all: the nearest proxy.
        assert_eq!(pick(&["10.0.0.7, 10.0.0.8"], "10.0.0.1"), ip("10.0.0.7"));
        assert_eq!(pick(&[], "10.0.0.1"), ip("10.0.0.1"));
        // What a trusted proxy appended must be an address; garbage there stops the walk.
        assert_eq!(pick(&["203.0.113.9, not-an-address"], "10.0.0.1"), ip("10.0.0.1"));
        assert_eq!(pick(&["not-an-address, 203.0.113.9"], "10.0.0.1"), ip("203.0.113.9"));
    }
}
