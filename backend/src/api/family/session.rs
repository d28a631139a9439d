//! Family sessions: 256 random bits in an HttpOnly cookie distinct from the staff cookie
//! (`jf_family`, `__Host-jf_family` over HTTPS); the table keeps only their SHA-256. A session
//! ends with its link — revoked or expired — and after `MAX_SESSION_AGE` at the latest. The
//! sessions are stored by `crate::family`; here the cookie and the extractor.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

use crate::auth::session::{hash_token, new_token};
use crate::db::now;
use crate::error::{Error, Result};
use crate::family::{self, Family, LinkRow, MAX_SESSION_AGE};
use crate::AppState;

fn cookie_name(state: &AppState) -> &'static str {
    if state.config.session.secure {
        "__Host-jf_family"
    } else {
        "jf_family"
    }
}

fn attributes(state: &AppState) -> &'static str {
    if state.config.session.secure {
        "; Path=/; HttpOnly; SameSite=Lax; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    }
}

pub fn set_cookie(state: &AppState, token: &str, link_expires_at: i64) -> HeaderValue {
    let max_age = (link_expires_at - now()).clamp(0, MAX_SESSION_AGE);
    let value = format!("{}={token}{}; Max-Age={max_age}", cookie_name(state), attributes(state));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn clear_cookie(state: &AppState) -> HeaderValue {
    let value = format!("{}={}; Max-Age=0", cookie_name(state), attributes(state));
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub fn token(state: &AppState, headers: &HeaderMap) -> Option<String> {
    crate::auth::session::cookie_value(headers, cookie_name(state))
}

/// Starts a family session for the guardian through the link; returns its token.
pub async fn create(state: &AppState, link: &LinkRow, guardian_id: i64) -> Result<String> {
    let token = new_token();
    family::start_session(&state.db, &hash_token(&token), link, guardian_id).await?;
    Ok(token)
}

impl FromRequestParts<AppState> for Family {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(family) = parts.extensions.get::<Family>() {
            return Ok(family.clone());
        }
        let token = token(state, &parts.headers).ok_or(Error::Unauthorized)?;
        let family = Family::by_session(&state.db, &hash_token(&token)).await?;
        let family = family.ok_or(Error::Unauthorized)?;
        parts.extensions.insert(family.clone());
        Ok(family)
    }
}
