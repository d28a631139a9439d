//! Family sessions: 256 random bits in an HttpOnly cookie distinct from the staff cookie
//! (`jf_family`, `__Host-jf_family` over HTTPS); the table keeps only their SHA-256. A session
//! ends with its link — revoked or expired — and after `MAX_AGE` at the latest.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

use crate::auth::session::{hash_token, new_token};
use crate::db::now;
use crate::error::{Error, Result};
use crate::AppState;

const MAX_AGE: i64 = 30 * 86_400;

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
    let max_age = (link_expires_at - now()).clamp(0, MAX_AGE);
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

pub async fn create(
    state: &AppState,
    link_id: i64,
    guardian_id: i64,
    meeting_id: i64,
    link_expires_at: i64,
) -> Result<String> {
    let token = new_token();
    let at = now();
    sqlx::query(
        "INSERT INTO family_sessions (token_hash, link_id, guardian_id, meeting_id, created_at, last_seen, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(hash_token(&token))
    .bind(link_id)
    .bind(guardian_id)
    .bind(meeting_id)
    .bind(at)
    .bind(link_expires_at.min(at + MAX_AGE))
    .execute(&state.db.write)
    .await?;
    Ok(token)
}

/// The family signed in with a family session: one guardian, their child, one meeting.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Family {
    pub guardian_id: i64,
    pub student_id: i64,
    pub meeting_id: i64,
    pub class_id: i64,
}

impl Family {
    pub async fn load_by_guardian(state: &AppState, guardian_id: i64, meeting_id: i64) -> Result<Family> {
        let family: Family = sqlx::query_as(
            "SELECT g.id AS guardian_id, s.id AS student_id, m.id AS meeting_id, m.class_id \
             FROM guardians g JOIN students s ON s.id = g.student_id JOIN meetings m ON m.id = $2 \
             WHERE g.id = $1 AND s.class_id = m.class_id",
        )
        .bind(guardian_id)
        .bind(meeting_id)
        .fetch_one(&state.db.read)
        .await?;
        Ok(family)
    }
}

impl FromRequestParts<AppState> for Family {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(family) = parts.extensions.get::<Family>() {
            return Ok(family.clone());
        }
        let token = token(state, &parts.headers).ok_or(Error::Unauthorized)?;
        let at = now();
        // The link must still be good: revoking it ends its sessions at once.
        let family: Option<Family> = sqlx::query_as(
            "SELECT fs.guardian_id, s.id AS student_id, fs.meeting_id, m.class_id \
             FROM family_sessions fs JOIN meeting_links l ON l.id = fs.link_id \
             JOIN guardians g ON g.id = fs.guardian_id JOIN students s ON s.id = g.student_id \
             JOIN meetings m ON m.id = fs.meeting_id \
             WHERE fs.token_hash = $1 AND fs.expires_at > $2 AND l.revoked_at IS NULL AND l.expires_at > $2 \
               AND s.class_id = m.class_id",
        )
        .bind(hash_token(&token))
        .bind(at)
        .fetch_optional(&state.db.read)
        .await?;
        let family = family.ok_or(Error::Unauthorized)?;
        parts.extensions.insert(family.clone());
        Ok(family)
    }
}
