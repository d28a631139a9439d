//! Each user's TOTP secret in `user_totp`: turning it on (a pending secret, confirmed by a first
//! code), checking a code at sign-in, and turning it off. A code is accepted only for a step later
//! than the last accepted one, and that is decided by one conditional UPDATE, so the same code
//! cannot be used twice even by two requests at once.
//!
//! The secret is stored sealed with the server's secret key (`crate::secret`), bound to its user:
//! the database or a backup alone does not give anyone the codes. Secrets stored in the clear by
//! an older version are sealed once at start (`seal_stored`).

use axum::http::StatusCode;
use shared::UserId;
use sqlx::AnyConnection;

use super::totp::{Code, Secret};
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::secret::{self, Secret as Key};

/// The purpose the secrets are sealed for (one key per purpose).
const SEALED_FOR: &str = "totp secret";

/// A user's stored row.
#[derive(sqlx::FromRow)]
struct Row {
    secret: String,
    enabled: i64,
}

/// A user's secret as stored: sealed, or in the clear from before sealing.
struct Stored {
    secret: Secret,
    /// The column's text, which the conditional updates compare against.
    text: String,
    enabled: bool,
}

/// Seals a secret for its user.
fn seal(key: &Key, user_id: UserId, secret: &Secret) -> anyhow::Result<String> {
    key.seal(SEALED_FOR, &user_id.get().to_be_bytes(), secret.to_base32().as_bytes())
}

/// The secret of a stored text: sealed (the usual) or base32 in the clear (before sealing).
/// `None`: it does not open with this key.
pub fn open(key: &Key, user_id: UserId, text: &str) -> Option<Secret> {
    if !secret::is_sealed(text) {
        return Secret::from_base32(text);
    }
    let plain = key.open(SEALED_FOR, &user_id.get().to_be_bytes(), text)?;
    Secret::from_base32(std::str::from_utf8(&plain).ok()?)
}

async fn load(db: &Db, key: &Key, user_id: UserId) -> Result<Option<Stored>> {
    let row: Option<Row> = sqlx::query_as("SELECT secret, enabled FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.read)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let Some(secret) = open(key, user_id, &row.secret) else {
        tracing::error!(
            user_id = user_id.get(),
            "a TOTP secret does not open with this server's key: was the key file replaced?"
        );
        return Err(key_mismatch());
    };
    Ok(Some(Stored { secret, text: row.secret, enabled: row.enabled == 1 }))
}

/// 500 with a reason an admin can act on: the secret was sealed under another key file.
fn key_mismatch() -> Error {
    Error::Status {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: "server_key_mismatch",
        message: Msg::new(
            "无法核对验证码：服务器密钥与保存两步验证时的不同。请管理员恢复原密钥文件，或为您重置两步验证",
            "The code cannot be checked: the server's key is not the one two-step verification was saved with. \
             An admin can restore the original key file or reset your two-step verification",
        ),
    }
}

/// Whether the user signs in with a code.
pub async fn is_enabled(db: &Db, user_id: UserId) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_totp WHERE user_id = $1 AND enabled = 1")
        .bind(user_id)
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}

/// Starts (or restarts) turning TOTP on with a new secret; 409 if it is on already.
pub async fn start(db: &Db, key: &Key, user_id: UserId) -> Result<Secret> {
    let secret = Secret::generate();
    // A pending secret is replaced; an enabled one is left alone (the WHERE of the upsert).
    let done = sqlx::query(
        "INSERT INTO user_totp (user_id, secret, enabled, last_step, created_at) VALUES ($1, $2, 0, NULL, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL, created_at = excluded.created_at \
         WHERE user_totp.enabled = 0",
    )
    .bind(user_id)
    .bind(seal(key, user_id, &secret)?)
    .bind(now())
    .execute(&db.write)
    .await?;
    if done.rows_affected() == 0 {
        return Err(already_on());
    }
    Ok(secret)
}

/// Turns TOTP on once the user shows a code of the pending secret. `Ok(false)`: wrong code.
pub async fn confirm(db: &Db, key: &Key, user_id: UserId, code: &Code) -> Result<bool> {
    match load(db, key, user_id).await? {
        Some(Stored { enabled: true, .. }) => Err(already_on()),
        None => Err(Error::Conflict(Msg::new(
            "请先点击“开启两步验证”获取密钥",
            "Start by choosing “Turn on two-step verification” to get a secret",
        ))),
        Some(stored) => consume(db, user_id, &stored, code, "enabled = 1, ").await,
    }
}

/// Checks a code of an enabled secret and uses it up. `Ok(false)`: wrong or already used.
pub async fn verify(db: &Db, key: &Key, user_id: UserId, code: &Code) -> Result<bool> {
    match load(db, key, user_id).await? {
        Some(stored) if stored.enabled => consume(db, user_id, &stored, code, "").await,
        _ => Ok(false),
    }
}

/// Turns TOTP off with a current code. `Ok(false)`: wrong code.
pub async fn disable(db: &Db, key: &Key, user_id: UserId, code: &Code) -> Result<bool> {
    if !is_enabled(db, user_id).await? {
        return Err(not_on());
    }
    if !verify(db, key, user_id, code).await? {
        return Ok(false);
    }
    let mut tx = db.write.begin().await?;
    remove(&mut tx, user_id).await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes a user's secret and recovery codes. `false`: there was no secret.
pub async fn remove(conn: &mut AnyConnection, user_id: UserId) -> sqlx::Result<bool> {
    let done = sqlx::query("DELETE FROM user_totp WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    Ok(done.rows_affected() > 0)
}

pub fn not_on() -> Error {
    Error::Conflict(Msg::new("两步验证没有开启", "Two-step verification is not on"))
}

/// Turns TOTP on with a known secret, without a code: the demo admin and the test harness.
pub async fn enable_with_secret(
    conn: &mut AnyConnection,
    key: &Key,
    user_id: UserId,
    secret: &Secret,
) -> anyhow::Result<()> {
    let sealed = seal(key, user_id, secret)?;
    remove(&mut *conn, user_id).await?;
    sqlx::query("INSERT INTO user_totp (user_id, secret, enabled, last_step, created_at) VALUES ($1, $2, 1, NULL, $3)")
        .bind(user_id)
        .bind(sealed)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Seals every secret still stored in the clear (written before secrets were sealed, or restored
/// from such a backup), once, at start after the migrations. Each row is replaced only if it still
/// holds the text that was read, so instances starting at once on one database each seal what
/// they find and none undoes another's work; running it again finds nothing to do. Also counts
/// sealed secrets that do not open with this key, which means the key file was replaced.
pub async fn seal_stored(db: &Db, key: &Key) -> anyhow::Result<usize> {
    let rows: Vec<(UserId, String)> =
        sqlx::query_as("SELECT user_id, secret FROM user_totp").fetch_all(&db.read).await?;
    let (mut sealed, mut foreign) = (0, 0);
    for (user_id, text) in rows {
        if secret::is_sealed(&text) {
            foreign += usize::from(open(key, user_id, &text).is_none());
            continue;
        }
        let Some(secret) = Secret::from_base32(&text) else {
            tracing::warn!(user_id = user_id.get(), "a TOTP secret in the clear that is not base32: left as it is");
            continue;
        };
        let done = sqlx::query("UPDATE user_totp SET secret = $1 WHERE user_id = $2 AND secret = $3")
            .bind(seal(key, user_id, &secret)?)
            .bind(user_id)
            .bind(text)
            .execute(&db.write)
            .await?;
        sealed += done.rows_affected() as usize;
    }
    if sealed > 0 {
        tracing::info!(sealed, "sealed TOTP secrets stored in the clear with the server's key");
    }
    if foreign > 0 {
        tracing::error!(
            foreign,
            "TOTP secrets sealed under another key: those users cannot sign in until the original key file is \
             back or an admin resets their two-step verification"
        );
    }
    Ok(sealed)
}

/// Accepts `code` if it matches a step later than the last one used, recording that step; `set`
/// adds assignments (`enabled = 1, ` when confirming) to the same UPDATE, which also checks that
/// the row is still the one read.
async fn consume(db: &Db, user_id: UserId, stored: &Stored, code: &Code, set: &str) -> Result<bool> {
    let Some(step) = stored.secret.matching_step(code, now()) else { return Ok(false) };
    let sql = format!(
        "UPDATE user_totp SET {set}last_step = $1 \
         WHERE user_id = $2 AND enabled = $3 AND secret = $4 AND (last_step IS NULL OR last_step < $1)"
    );
    let done = sqlx::query(&sql)
        .bind(step)
        .bind(user_id)
        .bind(i64::from(stored.enabled))
        .bind(stored.text.clone())
        .execute(&db.write)
        .await?;
    Ok(done.rows_affected() == 1)
}

fn already_on() -> Error {
    Error::Conflict(Msg::new("两步验证已经开启", "Two-step verification is already on"))
}

/// 401 at sign-in: the password was right, now the code is needed.
pub fn code_required() -> Error {
    Error::Status {
        status: StatusCode::UNAUTHORIZED,
        code: "totp_required",
        message: Msg::new("请输入验证器应用中的 6 位验证码", "Enter the 6-digit code from your authenticator app"),
    }
}

/// A code that is wrong, or was used already.
pub const WRONG_CODE: Msg = Msg::new(
    "验证码不正确或已使用过，请输入应用中的新验证码",
    "Wrong or already used code. Enter the current code from your app",
);

/// 401 at sign-in: a wrong code, or one already used.
pub fn code_wrong() -> Error {
    Error::Status { status: StatusCode::UNAUTHORIZED, code: "totp_invalid", message: WRONG_CODE }
}

/// 403 for an admin who has not turned TOTP on yet, on every route but the few that let them.
pub fn enrolment_required() -> Error {
    Error::Status {
        status: StatusCode::FORBIDDEN,
        code: "totp_enrolment_required",
        message: Msg::new(
            "管理员必须先开启两步验证（TOTP）才能继续",
            "Admins must turn on two-step verification (TOTP) before anything else",
        ),
    }
}
