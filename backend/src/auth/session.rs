//! Sessions live in the database (any instance can read them). The cookie carries 256 random
//! bits; the table keeps only their SHA-256, so the database alone cannot be used to sign in.

use axum::http::HeaderValue;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shared::UserId;

use crate::db::{now, Db};

#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// `Secure` and the `__Host-` prefix; off only for plain-HTTP local development.
    pub secure: bool,
    /// A session unused for this long ends.
    pub idle_secs: i64,
    /// A session ends this long after sign-in, used or not.
    pub absolute_secs: i64,
}

impl Default for SessionConfig {
    fn default() -> Self {
        SessionConfig { secure: false, idle_secs: 8 * 3600, absolute_secs: 24 * 3600 }
    }
}

impl SessionConfig {
    pub fn cookie_name(&self) -> &'static str {
        if self.secure {
            "__Host-jf_session"
        } else {
            "jf_session"
        }
    }

    fn attributes(&self) -> &'static str {
        if self.secure {
            "; Path=/; HttpOnly; SameSite=Lax; Secure"
        } else {
            "; Path=/; HttpOnly; SameSite=Lax"
        }
    }

    pub fn set_cookie(&self, token: &str) -> HeaderValue {
        let value = format!("{}={token}{}; Max-Age={}", self.cookie_name(), self.attributes(), self.absolute_secs);
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }

    pub fn clear_cookie(&self) -> HeaderValue {
        let value = format!("{}={}; Max-Age=0", self.cookie_name(), self.attributes());
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Starts a session for a user; the caller sets the returned token as the cookie. A new token
/// every time is what rotates the session id at sign-in.
pub async fn create(db: &Db, config: &SessionConfig, user_id: UserId) -> sqlx::Result<String> {
    let token = new_token();
    let at = now();
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $3, $4)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(at)
    .bind(at + config.absolute_secs)
    .execute(&db.write)
    .await?;
    Ok(token)
}

pub async fn delete(db: &Db, token: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(hash_token(token)).execute(&db.write).await?;
    Ok(())
}

pub async fn delete_for_user(db: &Db, user_id: UserId) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&db.write).await?;
    Ok(())
}

/// Ends every session of a user but the one whose cookie is `keep` (the request's own).
pub async fn delete_others(db: &Db, user_id: UserId, keep: Option<&str>) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.map(hash_token).unwrap_or_default())
        .execute(&db.write)
        .await?;
    Ok(())
}

/// Marks a session as used, at most once a minute so that reads stay reads.
pub async fn touch(db: &Db, token_hash: &str, last_seen: i64) -> sqlx::Result<()> {
    let at = now();
    if at - last_seen >= 60 {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(token_hash.to_string())
            .execute(&db.write)
            .await?;
    }
    Ok(())
}

/// Reads the session cookie's token from a request's headers.
pub fn token_from_headers(headers: &axum::http::HeaderMap, config: &SessionConfig) -> Option<String> {
    cookie_value(headers, config.cookie_name())
}

/// The value of the cookie `name`, if the request has a non-empty one.
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name && !v.is_empty()).then(|| v.to_string())
        })
}
