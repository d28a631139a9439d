//! Each user's TOTP secret in `user_totp`: turning it on (a pending secret, confirmed by a first
//! code), checking a code at sign-in, and turning it off. A code is accepted only for a step later
//! than the last accepted one, and that is decided by one conditional UPDATE, so the same code
//! cannot be used twice even by two requests at once.

use axum::http::StatusCode;
use sqlx::AnyConnection;

use super::totp::{Code, Secret};
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;

/// A user's stored row.
#[derive(sqlx::FromRow)]
struct Row {
    secret: String,
    enabled: i64,
}

async fn load(db: &Db, user_id: i64) -> Result<Option<(Secret, bool)>> {
    let row: Option<Row> = sqlx::query_as("SELECT secret, enabled FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(&db.read)
        .await?;
    row.map(|r| {
        let secret =
            Secret::from_base32(&r.secret).ok_or_else(|| anyhow::anyhow!("user {user_id}: bad TOTP secret"))?;
        Ok((secret, r.enabled == 1))
    })
    .transpose()
}

/// Whether the user signs in with a code.
pub async fn is_enabled(db: &Db, user_id: i64) -> Result<bool> {
    Ok(load(db, user_id).await?.is_some_and(|(_, enabled)| enabled))
}

/// Starts (or restarts) turning TOTP on with a new secret; 409 if it is on already.
pub async fn start(db: &Db, user_id: i64) -> Result<Secret> {
    let secret = Secret::generate();
    // A pending secret is replaced; an enabled one is left alone (the WHERE of the upsert).
    let done = sqlx::query(
        "INSERT INTO user_totp (user_id, secret, enabled, last_step, created_at) VALUES ($1, $2, 0, NULL, $3) \
         ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, last_step = NULL, created_at = excluded.created_at \
         WHERE user_totp.enabled = 0",
    )
    .bind(user_id)
    .bind(secret.to_base32())
    .bind(now())
    .execute(&db.write)
    .await?;
    if done.rows_affected() == 0 {
        return Err(already_on());
    }
    Ok(secret)
}

/// Turns TOTP on once the user shows a code of the pending secret. `Ok(false)`: wrong code.
pub async fn confirm(db: &Db, user_id: i64, code: &Code) -> Result<bool> {
    match load(db, user_id).await? {
        Some((_, true)) => Err(already_on()),
        None => Err(Error::Conflict(Msg::new(
            "请先点击“开启两步验证”获取密钥",
            "Start by choosing “Turn on two-step verification” to get a secret",
        ))),
        Some((secret, false)) => consume(db, user_id, &secret, code, 0, "enabled = 1, ").await,
    }
}

/// Checks a code of an enabled secret and uses it up. `Ok(false)`: wrong or already used.
pub async fn verify(db: &Db, user_id: i64, code: &Code) -> Result<bool> {
    match load(db, user_id).await? {
        Some((secret, true)) => consume(db, user_id, &secret, code, 1, "").await,
        _ => Ok(false),
    }
}

/// Turns TOTP off with a current code. `Ok(false)`: wrong code.
pub async fn disable(db: &Db, user_id: i64, code: &Code) -> Result<bool> {
    if !is_enabled(db, user_id).await? {
        return Err(Error::Conflict(Msg::new("两步验证没有开启", "Two-step verification is not on")));
    }
    if !verify(db, user_id, code).await? {
        return Ok(false);
    }
    sqlx::query("DELETE FROM user_totp WHERE user_id = $1").bind(user_id).execute(&db.write).await?;
    Ok(true)
}

/// Turns TOTP on with a known secret, without a code: the demo admin and the test harness.
pub async fn enable_with_secret(conn: &mut AnyConnection, user_id: i64, secret: &Secret) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM user_totp WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    sqlx::query("INSERT INTO user_totp (user_id, secret, enabled, last_step, created_at) VALUES ($1, $2, 1, NULL, $3)")
        .bind(user_id)
        .bind(secret.to_base32())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Accepts `code` if it matches a step later than the last one used, recording that step; `set`
/// adds assignments (`enabled = 1, ` when confirming) to the same UPDATE.
async fn consume(db: &Db, user_id: i64, secret: &Secret, code: &Code, enabled: i64, set: &str) -> Result<bool> {
    let Some(step) = secret.matching_step(code, now()) else { return Ok(false) };
    let sql = format!(
        "UPDATE user_totp SET {set}last_step = $1 \
         WHERE user_id = $2 AND enabled = $3 AND secret = $4 AND (last_step IS NULL OR last_step < $1)"
    );
    let done =
        sqlx::query(&sql).bind(step).bind(user_id).bind(enabled).bind(secret.to_base32()).execute(&db.write).await?;
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
