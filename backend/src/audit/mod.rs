//! The audit log of sensitive personal information: who read or exported which fields of which
//! student, and when.

pub mod search;

use shared::{StudentId, UserId};

use crate::db::{now, Db};

pub async fn record(
    db: &Db,
    user_id: UserId,
    action: &str,
    student_id: Option<StudentId>,
    fields: &[&str],
    detail: &str,
) -> sqlx::Result<()> {
    record_as(db, Some(user_id), action, student_id, fields, detail).await
}

/// One entry per student, written in a few multi-row inserts (an export may hold thousands).
pub async fn record_students(
    db: &Db,
    user_id: UserId,
    action: &str,
    student_ids: &[StudentId],
    fields: &[&str],
    detail: &str,
) -> sqlx::Result<()> {
    let (at, fields) = (now(), fields.join(","));
    let mut tx = db.write.begin().await?;
    for chunk in student_ids.chunks(500) {
        let mut sql =
            crate::db::Sql::new("INSERT INTO audit_log (at, user_id, action, student_id, fields, detail) VALUES ");
        for (i, id) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" }).bind(at).push(", ").bind(user_id).push(", ").bind(action);
            sql.push(", ").bind(*id).push(", ").bind(fields.as_str()).push(", ").bind(detail).push(")");
        }
        sql.query().execute(&mut *tx).await?;
    }
    tx.commit().await
}

/// A request that filtered (or sorted) on a sensitive field read that field of every student it
/// matched: one entry per student it returned, naming the filter and how many students matched
/// in all; one entry without a student if none did (the answer "nobody" is a read too).
pub async fn record_filter(
    db: &Db,
    user_id: UserId,
    action: &str,
    student_ids: &[StudentId],
    fields: &[&str],
    detail: &str,
) -> sqlx::Result<()> {
    if student_ids.is_empty() {
        record(db, user_id, action, None, fields, detail).await
    } else {
        record_students(db, user_id, action, student_ids, fields, detail).await
    }
}

/// An entry by `user_id`, or by the server itself when `None` (the daily retention job).
pub async fn record_as(
    db: &Db,
    user_id: Option<UserId>,
    action: &str,
    student_id: Option<StudentId>,
    fields: &[&str],
    detail: &str,
) -> sqlx::Result<()> {
    let mut conn = db.write.acquire().await?;
    record_in(&mut conn, user_id, action, student_id, fields, detail).await
}

/// `record_as` in the caller's transaction: the entry exists exactly when what it records does.
pub async fn record_in(
    conn: &mut sqlx::AnyConnection,
    user_id: Option<UserId>,
    action: &str,
    student_id: Option<StudentId>,
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
    .execute(conn)
    .await?;
    Ok(())
}
