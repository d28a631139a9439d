//! Activation links: a new account (created by an admin, or from a roster) has no password
//! until its owner follows a one-time link and chooses one. The link carries 256 random bits;
//! only their SHA-256 is stored; it works once, for 7 days, and a newer link replaces it.

use shared::users::ActivationLink;
use sqlx::AnyConnection;

use crate::auth::session::{hash_token, new_token};
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;

pub const VALID_SECS: i64 = 7 * 86_400;

/// Makes a new link for a user, replacing any earlier one. Runs on the caller's connection or
/// transaction, so that an account and its first link are created together.
pub async fn issue(conn: &mut AnyConnection, user_id: i64, created_by: i64) -> sqlx::Result<ActivationLink> {
    let token = new_token();
    let at = now();
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query(
        "INSERT INTO activation_tokens (token_hash, user_id, created_by, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_token(&token))
    .bind(user_id)
    .bind(created_by)
    .bind(at)
    .bind(at + VALID_SECS)
    .execute(&mut *conn)
    .await?;
    Ok(ActivationLink { link: format!("/activate#token={token}"), expires_at: at + VALID_SECS })
}

#[derive(sqlx::FromRow)]
struct Account {
    disabled: i64,
    has_password: i64,
}

/// A new activation link for an account that has not chosen a password yet: 404 without the
/// account, 409 when it is disabled or already activated.
pub async fn renew(db: &Db, user_id: i64, created_by: i64) -> Result<ActivationLink> {
    let account: Option<Account> = sqlx::query_as(
        "SELECT CAST(CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS disabled, \
                CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.read)
    .await?;
    let account = account.ok_or(Error::NotFound)?;
    if account.disabled != 0 {
        return Err(Error::Conflict(Msg::new("该账号已停用，请先启用", "This account is disabled; enable it first")));
    }
    if account.has_password != 0 {
        return Err(Error::Conflict(Msg::new("该账号已经激活", "This account has already been activated")));
    }
    let mut conn = db.write.acquire().await?;
    Ok(issue(&mut conn, user_id, created_by).await?)
}

/// The account a link still waiting to be used is for.
#[derive(sqlx::FromRow)]
pub struct Pending {
    pub user_id: i64,
    pub expires_at: i64,
    pub username: String,
}

/// The account whose unused link has this hash, if it is enabled and has no password yet
/// (expired or not: the caller looks).
pub async fn pending(db: &Db, token_hash: &str) -> Result<Option<Pending>> {
    Ok(sqlx::query_as(
        "SELECT t.user_id, t.expires_at, u.username FROM activation_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND u.disabled_at IS NULL AND u.password_hash IS NULL",
    )
    .bind(token_hash.to_string())
    .fetch_optional(&db.read)
    .await?)
}

/// Uses the link: sets the password hash, ends the account's other links and sessions. `false`
/// when the link was used meanwhile (two racing uses of one link succeed once).
pub async fn complete(db: &Db, token_hash: &str, user_id: i64, password_hash: String) -> Result<bool> {
    let mut tx = db.write.begin().await?;
    // Deleting the token first makes two racing uses of one link succeed once.
    let used = sqlx::query("DELETE FROM activation_tokens WHERE token_hash = $1")
        .bind(token_hash.to_string())
        .execute(&mut *tx)
        .await?;
    if used.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET password_hash = $1, active = 1 WHERE id = $2 AND disabled_at IS NULL")
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(true)
}

/// Ends every activation link of the account (it was disabled).
pub async fn revoke_all(db: &Db, user_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(user_id).execute(&db.write).await?;
    Ok(())
}
