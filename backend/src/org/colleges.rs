//! Colleges, as far as the caller may see them.

use shared::org::{Class, College};

use super::classes::{self, ClassRow};
use crate::auth::{Scope, StaffUser};
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::AppState;

#[derive(sqlx::FromRow)]
struct CollegeRow {
    id: i64,
    name: String,
    classes: i64,
    students: i64,
}

/// Colleges with at least one class the caller may see (all of them for admins).
pub async fn list_colleges(state: &AppState, user: &StaffUser) -> Result<Vec<College>> {
    let scope = user.scope();
    let mut sql = Sql::new(
        "SELECT co.id, co.name, COUNT(DISTINCT cl.id) AS classes, COUNT(s.id) AS students \
         FROM colleges co LEFT JOIN classes cl ON cl.college_id = co.id \
         LEFT JOIN students s ON s.class_id = cl.id WHERE 1 = 1",
    );
    if scope != Scope::All {
        scope.restrict(&mut sql, "cl");
    }
    sql.push(" GROUP BY co.id, co.name ORDER BY co.name");
    let rows: Vec<CollegeRow> = sql.fetch_all(&state.db.read).await?;
    Ok(rows.into_iter().map(|r| College { id: r.id, name: r.name, classes: r.classes, students: r.students }).collect())
}

/// The classes of one college that the caller may see.
pub async fn college_classes(state: &AppState, user: &StaffUser, id: i64) -> Result<Vec<Class>> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM colleges WHERE id = $1").bind(id).fetch_optional(&state.db.read).await?;
    exists.ok_or(Error::NotFound)?;
    let mut sql = classes::select();
    sql.push(" AND cl.college_id = ").bind(id);
    user.scope().restrict(&mut sql, "cl");
    sql.push(classes::GROUP_ORDER);
    let rows: Vec<ClassRow> = sql.fetch_all(&state.db.read).await?;
    if rows.is_empty() && user.scope() != Scope::All {
        return Err(Error::Forbidden);
    }
    Ok(rows.into_iter().map(Class::from).collect())
}
