//! The student export (`GET /api/students/export.xlsx`): the students the caller may see, filtered like the student
//! list, as a roster file that imports back unchanged. Sensitive columns only for those who may
//! see them and ask; every such export is in the audit log, one entry per student.

use shared::imports::StudentExportQuery;
use shared::StudentId;

use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::import::diff::{first_guardians, StudentRow, STUDENT_COLUMNS};
use crate::import::export::{ExportRow, XlsxExport};
use crate::{audit, AppState};

const PAGE: i64 = 1000;

/// The students as an xlsx file under the roster template's headers (docs/roster-template.md).
/// Answered as a download by the API; the caller's scope and rights are applied here.
pub async fn export_students(state: &AppState, user: &StaffUser, query: StudentExportQuery) -> Result<Vec<u8>> {
    let sensitive = query.include_sensitive.unwrap_or(false);
    if sensitive && !user.scope().sees_sensitive() {
        return Err(Error::Forbidden);
    }
    let filter = super::students::filter(user, &query.filter())?;
    crate::auth::limits::spend_export(&state.db, user.id, state.config.export_limit_per_user).await?;
    let mut xlsx = XlsxExport::new(sensitive)?;
    let mut exported = Vec::new();
    let mut last = 0i64;
    loop {
        let mut sql = Sql::new(STUDENT_COLUMNS);
        sql.push_sql(&filter);
        sql.push(" AND s.id > ").bind(last).push(" ORDER BY s.id LIMIT ").bind(PAGE);
        let rows: Vec<StudentRow> = sql.fetch_all(&state.db.read).await?;
        let Some(end) = rows.last().map(|r| r.id) else { break };
        last = end;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut guardians = first_guardians(&mut *state.db.read.acquire().await?, &ids).await?;
        let page: Vec<ExportRow> = rows
            .into_iter()
            .map(|r| {
                exported.push(StudentId(r.id));
                let g = guardians.remove(&r.id);
                ExportRow {
                    student_no: r.student_no,
                    name: r.name,
                    gender: r.gender,
                    college: r.college_name,
                    major: r.major,
                    grade: r.grade,
                    class: r.class_name,
                    counselor: r.counselor_name,
                    province: r.province,
                    city: r.city,
                    district: r.district,
                    address: r.address.filter(|_| sensitive),
                    guardian_name: g.as_ref().map(|g| g.name.clone()),
                    guardian_relation: g.as_ref().and_then(|g| g.relation.clone()),
                    guardian_phone: g.and_then(|g| g.phone).filter(|_| sensitive),
                    hardship: r.hardship.filter(|_| sensitive),
                }
            })
            .collect();
        xlsx.add(&page)?;
    }
    let bytes = tokio::task::spawn_blocking(move || xlsx.finish())
        .await
        .map_err(|e| anyhow::anyhow!("writing the export: {e}"))??;
    // The sensitive columns, or a filter on one of them (which tells the hardship level of every
    // student exported even without the column), are a read of each student exported.
    let filtered = query.hardship.map(|h| format!(" filtered by hardship = {}", h.code())).unwrap_or_default();
    let fields: &[&str] = if sensitive { &["address", "guardian_phone", "hardship"] } else { &["hardship"] };
    if sensitive || query.hardship.is_some() {
        let detail = format!("xlsx export{filtered} of {} students", exported.len());
        audit::record_filter(&state.db, user.id, "export", &exported, fields, &detail).await?;
    }
    Ok(bytes)
}
