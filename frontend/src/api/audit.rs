//! The audit log.

use shared::audit::AuditEntry;
use shared::{ApiError, Page};

use super::get;

/// The audit log's filters; `None` is "any".
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub student_id: Option<i64>,
    pub user_id: Option<i64>,
    pub action: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
}

/// `GET /api/audit`: one page of entries.
pub async fn entries(page: i64, filter: &AuditFilter) -> Result<Page<AuditEntry>, ApiError> {
    let mut path = format!("/api/audit?page={page}");
    for (name, value) in [("student_id", filter.student_id), ("user_id", filter.user_id)] {
        if let Some(id) = value {
            path.push_str(&format!("&{name}={id}"));
        }
    }
    if let Some(action) = &filter.action {
        path.push_str(&format!("&action={}", super::encode(action)));
    }
    if let Some(at) = filter.from {
        path.push_str(&format!("&from={at}"));
    }
    if let Some(at) = filter.to {
        path.push_str(&format!("&to={at}"));
    }
    get(path).await
}
