//! The audit log viewer: admins search who read, exported or changed which sensitive fields of
//! which student. Reading the log is itself not logged (it holds no sensitive values).

use shared::audit::{AuditEntry, AuditQuery};
use shared::{Page, Role, StudentId, UserId};

use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::Result;
use crate::AppState;

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    at: i64,
    user_id: Option<UserId>,
    username: Option<String>,
    action: String,
    student_id: Option<StudentId>,
    student_name: Option<String>,
    fields: String,
    detail: String,
}

/// Audit log entries, newest first, filtered by student, user, action and time (admins only).
pub async fn search_audit(state: &AppState, user: &StaffUser, query: AuditQuery) -> Result<Page<AuditEntry>> {
    user.require(&[Role::Admin])?;
    let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let mut filter = Sql::new(
        " FROM audit_log a LEFT JOIN users u ON u.id = a.user_id LEFT JOIN students s ON s.id = a.student_id \
         WHERE 1 = 1",
    );
    if let Some(id) = query.student_id {
        filter.push(" AND a.student_id = ").bind(id);
    }
    if let Some(id) = query.user_id {
        filter.push(" AND a.user_id = ").bind(id);
    }
    if let Some(action) = query.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        filter.push(" AND a.action = ").bind(action);
    }
    if let Some(from) = query.from {
        filter.push(" AND a.at >= ").bind(from);
    }
    if let Some(to) = query.to {
        filter.push(" AND a.at < ").bind(to);
    }
    let mut count = Sql::new("SELECT COUNT(*)");
    count.push_sql(&filter);
    let total = count.fetch_scalar(&state.db.read).await?;
    let mut list = Sql::new(
        "SELECT a.id, a.at, a.user_id, u.username, a.action, a.student_id, s.name AS student_name, a.fields, a.detail",
    );
    list.push_sql(&filter);
    list.push(" ORDER BY a.at DESC, a.id DESC LIMIT ").bind(per_page).push(" OFFSET ").bind((page - 1) * per_page);
    let rows: Vec<Row> = list.fetch_all(&state.db.read).await?;
    let items = rows
        .into_iter()
        .map(|r| AuditEntry {
            id: r.id,
            at: r.at,
            user_id: r.user_id,
            username: r.username,
            action: r.action,
            student_id: r.student_id,
            student_name: r.student_name,
            fields: r.fields.split(',').filter(|f| !f.is_empty()).map(str::to_string).collect(),
            detail: r.detail,
        })
        .collect();
    Ok(Page { items, total, page, per_page })
}
