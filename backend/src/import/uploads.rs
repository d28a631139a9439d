//! Uploads kept between a preview and its confirmation (the `imports` table), so that any
//! server instance can confirm them: stored at preview, claimed once inside the confirming
//! transaction, deleted after a day if never confirmed.

use shared::UserId;
use sqlx::AnyConnection;

use crate::db::now;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::Db;

/// Uploads not confirmed within a day are deleted.
const KEEP_SECS: i64 = 86_400;

/// An upload to keep: `kind` says what it imports (`roster`, …).
pub struct Upload<'a> {
    pub kind: &'a str,
    pub user_id: UserId,
    pub filename: &'a str,
    pub data: &'a [u8],
    pub sheet: Option<&'a str>,
}

/// Keeps an upload (and forgets stale ones); returns its import id.
pub async fn keep(db: &Db, upload: Upload<'_>) -> Result<i64> {
    let at = now();
    sqlx::query("DELETE FROM imports WHERE committed_at IS NULL AND created_at < $1")
        .bind(at - KEEP_SECS)
        .execute(&db.write)
        .await?;
    let id = sqlx::query_scalar(
        "INSERT INTO imports (kind, user_id, filename, data, sheet, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         RETURNING id",
    )
    .bind(upload.kind.to_string())
    .bind(upload.user_id)
    .bind(upload.filename.to_string())
    .bind(upload.data.to_vec())
    .bind(upload.sheet.map(str::to_string))
    .bind(at)
    .fetch_one(&db.write)
    .await?;
    Ok(id)
}

pub fn already_committed() -> Error {
    Error::Conflict(Msg::new("这次导入已经确认过了", "This import has already been confirmed"))
}

/// Marks an upload confirmed and drops its file, on the confirming transaction: of two
/// confirmations at once one goes ahead, and a failed write leaves the upload unconfirmed.
pub async fn claim(tx: &mut AnyConnection, id: i64) -> Result<()> {
    let claimed =
        sqlx::query("UPDATE imports SET committed_at = $1, data = NULL WHERE id = $2 AND committed_at IS NULL")
            .bind(now())
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if claimed.rows_affected() != 1 {
        return Err(already_committed());
    }
    Ok(())
}

/// An upload waiting for its confirmation.
#[derive(sqlx::FromRow)]
pub struct Stored {
    pub kind: String,
    pub user_id: UserId,
    pub filename: String,
    pub sheet: Option<String>,
    pub data: Option<Vec<u8>>,
    pub committed_at: Option<i64>,
}

/// The upload with this id if its kind is acceptable (404 otherwise); 409 once confirmed.
pub async fn load(db: &Db, id: i64, kind: impl Fn(&str) -> bool) -> Result<(Stored, Vec<u8>)> {
    let mut stored: Stored =
        sqlx::query_as("SELECT kind, user_id, filename, sheet, data, committed_at FROM imports WHERE id = $1")
            .bind(id)
            .fetch_optional(&db.read)
            .await?
            .filter(|s: &Stored| kind(&s.kind))
            .ok_or(Error::NotFound)?;
    match (stored.committed_at, stored.data.take()) {
        (None, Some(data)) => Ok((stored, data)),
        _ => Err(already_committed()),
    }
}
