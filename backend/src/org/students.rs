//! Students: a searchable, paged list and a student's page with guardians.

use shared::org::{Guardian, StudentDetail, StudentQuery, StudentSummary};
use shared::{ClassId, Gender, Hardship, Page, PhoneNumber, StudentId, StudentNo};

use crate::audit;
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::AppState;

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    student_no: String,
    name: String,
    gender: Option<String>,
    class_id: i64,
    class_name: String,
    college_name: String,
    city: Option<String>,
    district: Option<String>,
}

impl SummaryRow {
    fn into_summary(self) -> Result<StudentSummary> {
        Ok(StudentSummary {
            id: self.id.into(),
            student_no: StudentNo::parse(&self.student_no)
                .map_err(|e| anyhow::anyhow!("stored student number: {e}"))?,
            name: self.name,
            gender: self.gender.as_deref().and_then(|g| Gender::parse(g).ok()),
            class_id: self.class_id.into(),
            class_name: self.class_name,
            college_name: self.college_name,
            city: self.city,
            district: self.district,
        })
    }
}

const SUMMARY_FROM: &str =
    " FROM students s JOIN classes cl ON cl.id = s.class_id JOIN colleges co ON co.id = cl.college_id WHERE 1 = 1";
const SUMMARY_COLUMNS: &str = "SELECT s.id, s.student_no, s.name, s.gender, s.class_id, cl.name AS class_name, \
     co.name AS college_name, s.city, s.district";

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Students the caller may see, filtered and paged, by name. Filtering by hardship level is a
/// read of it, written to the audit log (each student listed, the filter and the number found).
pub async fn list_students(state: &AppState, user: &StaffUser, query: StudentQuery) -> Result<Page<StudentSummary>> {
    let per_page = query.per_page.unwrap_or(50).clamp(1, 200);
    let page = query.page.unwrap_or(1).clamp(1, 1_000_000);
    let filter = filter(user, &query)?;
    let mut count = Sql::new("SELECT COUNT(*)");
    count.push_sql(&filter);
    let total = count.fetch_scalar(&state.db.read).await?;
    let mut list = Sql::new(SUMMARY_COLUMNS);
    list.push_sql(&filter);
    list.push(" ORDER BY cl.name, s.name, s.id LIMIT ").bind(per_page).push(" OFFSET ").bind((page - 1) * per_page);
    let rows: Vec<SummaryRow> = list.fetch_all(&state.db.read).await?;
    if let Some(hardship) = query.hardship {
        // Filtering by hardship level reads it: audited like any other read of it.
        let ids: Vec<StudentId> = rows.iter().map(|r| StudentId(r.id)).collect();
        let detail = format!("student list filtered by hardship = {}: {total} students", hardship.code());
        audit::record_filter(&state.db, user.id, "read", &ids, &["hardship"], &detail).await?;
    }
    let items = rows.into_iter().map(SummaryRow::into_summary).collect::<Result<_>>()?;
    Ok(Page { items, total, page, per_page })
}

/// `FROM … WHERE …` of the students the caller may see that match the query's filters (also
/// used by the export). Filtering by hardship level needs the right to see it.
pub(crate) fn filter(user: &StaffUser, query: &StudentQuery) -> Result<Sql> {
    let scope = user.scope();
    let mut filter = Sql::new(SUMMARY_FROM);
    scope.restrict(&mut filter, "cl");
    if let Some(q) = query.q.as_deref().map(shared::domain::normalize).filter(|q| !q.is_empty()) {
        let pattern = like_pattern(&q.to_lowercase());
        filter.push(" AND (lower(s.name) LIKE ").bind(pattern.clone()).push(" ESCAPE '\\'");
        filter.push(" OR s.student_no LIKE ").bind(pattern).push(" ESCAPE '\\')");
    }
    if let Some(id) = query.college_id {
        filter.push(" AND cl.college_id = ").bind(id);
    }
    if let Some(id) = query.class_id {
        filter.push(" AND s.class_id = ").bind(id);
    }
    if let Some(city) = query.city.as_deref().map(shared::domain::normalize).filter(|c| !c.is_empty()) {
        filter.push(" AND s.city = ").bind(city);
    }
    if let Some(hardship) = query.hardship {
        if !scope.sees_sensitive() {
            return Err(Error::Forbidden);
        }
        filter.push(" AND s.hardship = ").bind(hardship.code());
    }
    Ok(filter)
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    college_id: i64,
    major: Option<String>,
    grade: Option<i64>,
    province: Option<String>,
    address: Option<String>,
    hardship: Option<String>,
    counselor_name: Option<String>,
    advisor_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct GuardianRow {
    id: i64,
    name: String,
    relation: Option<String>,
    phone: Option<String>,
}

/// A student's page with guardians. Home address, guardian phones and hardship level only for
/// those who may see them; each such read is written to the audit log.
pub async fn get_student(state: &AppState, user: &StaffUser, id: StudentId) -> Result<StudentDetail> {
    let class_id: Option<i64> = sqlx::query_scalar("SELECT class_id FROM students WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.read)
        .await?;
    super::classes::check_visible(&state.db, user, class_id.map(ClassId).ok_or(Error::NotFound)?).await?;

    let mut sql = Sql::new(SUMMARY_COLUMNS);
    sql.push(SUMMARY_FROM).push(" AND s.id = ").bind(id);
    let summary: SummaryRow = sql.fetch_one(&state.db.read).await?;
    let detail: DetailRow = sqlx::query_as(
        "SELECT cl.college_id, s.major, s.grade, s.province, s.address, s.hardship, \
                cu.display_name AS counselor_name, au.display_name AS advisor_name \
         FROM students s JOIN classes cl ON cl.id = s.class_id \
         LEFT JOIN users cu ON cu.id = cl.counselor_id LEFT JOIN users au ON au.id = cl.advisor_id \
         WHERE s.id = $1",
    )
    .bind(id)
    .fetch_one(&state.db.read)
    .await?;
    let guardians: Vec<GuardianRow> =
        sqlx::query_as("SELECT id, name, relation, phone FROM guardians WHERE student_id = $1 ORDER BY position, id")
            .bind(id)
            .fetch_all(&state.db.read)
            .await?;

    let sensitive = user.scope().sees_sensitive();
    if sensitive {
        audit::record(&state.db, user.id, "read", Some(id), &["address", "hardship", "guardian_phone"], "student page")
            .await?;
    }
    Ok(StudentDetail {
        summary: summary.into_summary()?,
        college_id: detail.college_id,
        major: detail.major,
        grade: detail.grade,
        province: detail.province,
        counselor_name: detail.counselor_name,
        advisor_name: detail.advisor_name,
        sensitive_visible: sensitive,
        address: detail.address.filter(|_| sensitive),
        hardship: detail.hardship.filter(|_| sensitive).and_then(|h| Hardship::parse(&h).ok()),
        guardians: guardians
            .into_iter()
            .map(|g| Guardian {
                id: g.id.into(),
                name: g.name,
                relation: g.relation,
                phone: g.phone.filter(|_| sensitive).and_then(|p| PhoneNumber::parse(&p).ok()),
            })
            .collect(),
    })
}
