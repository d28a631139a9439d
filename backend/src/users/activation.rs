//! One-time links: a new account (created by an admin, or from a roster) has no password until
//! its owner follows an activation link and chooses one. The link carries 256 random bits; only
//! their SHA-256 is stored; it works once, for 7 days, and a newer link replaces it.
//!
//! A password reset link is the same kind of link for an account that has a password: made by an
//! admin, valid for `Config::reset_link_valid_secs` (72 hours by default), used on the same page
//! and by the same handler, and it ends every session of the account.

use shared::users::ActivationLink;
use shared::UserId;
use sqlx::AnyConnection;

use crate::auth::account;
use crate::auth::session::{hash_token, new_token};
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;

pub const VALID_SECS: i64 = 7 * 86_400;

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
pub async fn issue(conn: &mut AnyConnection, user_id: UserId, created_by: UserId) -> sqlx::Result<ActivationLink> {
    issue_kind(conn, user_id, created_by, LinkKind::Activate, VALID_SECS).await
}

/// Makes a new link of either kind, valid for `valid_secs`; the user's earlier links of both kinds
/// stop working.
pub async fn issue_kind(
    conn: &mut AnyConnection,
    user_id: UserId,
    created_by: UserId,
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

/// A new activation link for an account that has not chosen a password yet: 404 without the
/// account, 409 when it is disabled or already activated.
pub async fn renew(db: &Db, user_id: UserId, created_by: UserId) -> Result<ActivationLink> {
    let account = account::state(db, user_id).await?.ok_or(Error::NotFound)?;
    if account.disabled() {
        return Err(disabled_account());
    }
    if account.has_password() {
        return Err(Error::Conflict(Msg::new("该账号已经激活", "This account has already been activated")));
    }
    let mut conn = db.write.acquire().await?;
    Ok(issue(&mut conn, user_id, created_by).await?)
}

/// The account a link still waiting to be used is for.
#[derive(sqlx::FromRow)]
pub struct Pending {
    pub user_id: UserId,
    pub expires_at: i64,
    pub username: String,
    purpose: String,
}

impl Pending {
    /// A password reset link (not a new account's activation).
    pub fn is_reset(&self) -> bool {
        self.purpose == LinkKind::Reset.code()
    }
}

/// The account whose unused link has this hash, if it is enabled and has no password yet (an
/// activation link) or has one (a reset link); expired or not: the caller looks.
pub async fn pending(db: &Db, token_hash: &str) -> Result<Option<Pending>> {
    Ok(sqlx::query_as(
        "SELECT t.user_id, t.expires_at, u.username, t.purpose \
         FROM activation_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND u.disabled_at IS NULL \
           AND ((t.purpose = 'activate' AND u.password_hash IS NULL) \
             OR (t.purpose = 'reset' AND u.password_hash IS NOT NULL))",
    )
    .bind(token_hash.to_string())
    .fetch_optional(&db.read)
    .await?)
}

/// Uses the link: sets the password hash, ends the account's other links and sessions. `false`
/// when the link was used meanwhile (two racing uses of one link succeed once).
pub async fn complete(db: &Db, token_hash: &str, user_id: UserId, password_hash: String) -> Result<bool> {
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
pub async fn revoke_all(db: &Db, user_id: UserId) -> Result<()> {
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(user_id).execute(&db.write).await?;
    Ok(())
}
