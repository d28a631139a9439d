//! The audit log of sensitive personal information: who read or exported which fields of which
//! student, and when.

use crate::db::{now, Db};

pub async fn record(
    db: &Db,
    user_id: i64,
    action: &str,
    student_id: Option<i64>,
    fields: &[&str],
    detail: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, user_id, action, student_id, fields, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(now())
    .bind(user_id)
    .bind(action.to_string())
    .bind(student_id)
    .bind(fields.join(","))
    .bind(detail.to_string())
    .execute(&db.write)
    .await?;
    Ok(())
}
