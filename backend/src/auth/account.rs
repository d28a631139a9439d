//! The store of account security: a staff member's password and what changing it ends, and an
//! admin's resets of someone else's password or two-step verification.

use crate::db::Db;
use crate::error::Result;
use shared::UserId;

/// What an admin's action on an account depends on.
#[derive(Debug, sqlx::FromRow)]
pub struct AccountState {
    pub username: String,
    disabled: i64,
    has_password: i64,
}

impl AccountState {
    pub fn disabled(&self) -> bool {
        self.disabled != 0
    }

    /// Activated: its owner chose a password.
    pub fn has_password(&self) -> bool {
        self.has_password != 0
    }
}

/// The account with this id, if there is one.
pub async fn state(db: &Db, user_id: UserId) -> Result<Option<AccountState>> {
    Ok(sqlx::query_as(
        "SELECT username, CAST(CASE WHEN disabled_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS disabled, \
                CAST(CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password \
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.read)
    .await?)
}

/// The user's password hash (`None` before activation).
pub async fn password_hash(db: &Db, user_id: UserId) -> Result<Option<String>> {
    let hash: Option<Option<String>> = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_optional(&db.read)
        .await?;
    Ok(hash.flatten())
}

/// Sets a new password hash. Every session of the user ends but `keep` (the hash of the session
/// that changed it), and any reset link still waiting is void: it was made for the old password.
pub async fn set_password(db: &Db, user_id: UserId, hash: String, keep: Option<String>) -> Result<()> {
    let mut tx = db.write.begin().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM activation_tokens WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or_default())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a user's TOTP secret and recovery codes and ends every session of theirs: they sign
/// in with the password alone and (admins must) turn it on again. `false`: it was not on.
pub async fn reset_second_factor(db: &Db, user_id: UserId) -> Result<bool> {
    let mut tx = db.write.begin().await?;
    let had = super::second_factor::remove(&mut tx, user_id).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(had)
}
