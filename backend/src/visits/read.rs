//! Reading a visit as the caller may see it: sensitive notes only for readers of sensitive
//! information, each such read written to the audit log.

use shared::visits::{FollowUp, FollowUpStatus, Person, Visit, VisitRecord};
use shared::{CampaignId, StudentId, UserId, VisitId};

use super::access;
use super::store::from_json;
use crate::audit;
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::Result;
use crate::AppState;

#[derive(sqlx::FromRow)]
struct VisitRow {
    id: VisitId,
    client_id: String,
    campaign_id: CampaignId,
    student_id: StudentId,
    student_name: String,
    class_name: String,
    plan_id: Option<i64>,
    author_id: UserId,
    author_name: String,
    revision: i64,
    record: String,
    created_at: i64,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: UserId,
    name: String,
}

impl From<PersonRow> for Person {
    fn from(r: PersonRow) -> Person {
        Person { id: r.id, name: r.name }
    }
}

/// Hides the sensitive notes from those who may not read them.
pub fn redact(mut record: VisitRecord, sensitive: bool) -> VisitRecord {
    if !sensitive {
        record.sensitive_notes = None;
    }
    record
}

/// Writes the audit entry for reading a visit's sensitive notes, if there were any to read.
pub async fn audit_sensitive(
    state: &AppState,
    user: &StaffUser,
    student_id: StudentId,
    visit_id: VisitId,
    what: &str,
) -> Result<()> {
    audit::record(&state.db, user.id, "read", Some(student_id), &["sensitive_notes"], &format!("{what} {visit_id}"))
        .await?;
    Ok(())
}

/// The visit, which the caller has been checked to see.
pub async fn visit(state: &AppState, user: &StaffUser, id: VisitId) -> Result<Visit> {
    let row: VisitRow = sqlx::query_as(
        "SELECT v.id, v.client_id, v.campaign_id, v.student_id, s.name AS student_name, cl.name AS class_name, \
                v.plan_id, v.author_id, u.display_name AS author_name, v.revision, v.record, v.created_at, v.updated_at \
         FROM visits v JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id \
         JOIN users u ON u.id = v.author_id WHERE v.id = $1",
    )
    .bind(id)
    .fetch_one(&state.db.read)
    .await?;
    let members: Vec<PersonRow> = sqlx::query_as(
        "SELECT u.id, u.display_name AS name FROM visit_members m JOIN users u ON u.id = m.user_id \
         WHERE m.visit_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(id)
    .fetch_all(&state.db.read)
    .await?;
    let sensitive = access::sees_sensitive(state, user, row.student_id).await?;
    let record = from_json(&row.record)?;
    if sensitive && record.sensitive_notes.as_deref().is_some_and(|n| !n.is_empty()) {
        audit_sensitive(state, user, row.student_id, id, "visit").await?;
    }
    let mut sql = follow_up_select();
    sql.push(" AND f.visit_id = ").bind(id).push(" ORDER BY f.due_on, f.id");
    Ok(Visit {
        id: row.id,
        client_id: row.client_id,
        campaign_id: row.campaign_id,
        student_id: row.student_id,
        student_name: row.student_name,
        class_name: row.class_name,
        plan_id: row.plan_id,
        author: Person { id: row.author_id, name: row.author_name },
        members: members.into_iter().map(Person::from).collect(),
        revision: row.revision,
        record: redact(record, sensitive),
        sensitive_visible: sensitive,
        follow_ups: follow_ups(state, &sql).await?,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

#[derive(sqlx::FromRow)]
struct FollowUpRow {
    id: i64,
    visit_id: VisitId,
    student_id: StudentId,
    student_name: String,
    what: String,
    owner_id: UserId,
    owner_name: String,
    due_on: String,
    status: String,
    class_name: String,
    department: Option<String>,
    outcome: Option<String>,
    done_by: Option<UserId>,
    done_by_name: Option<String>,
}

/// Follow-ups joined to their visit `v`, student `s`, class `cl`; callers append conditions.
pub fn follow_up_select() -> Sql {
    Sql::new(
        "SELECT f.id, f.visit_id, v.student_id, s.name AS student_name, f.what, f.owner_id, \
                u.display_name AS owner_name, f.due_on, f.status, cl.name AS class_name, f.department, f.outcome, \
                f.done_by, d.display_name AS done_by_name \
         FROM follow_ups f JOIN visits v ON v.id = f.visit_id JOIN students s ON s.id = v.student_id \
         JOIN classes cl ON cl.id = s.class_id JOIN users u ON u.id = f.owner_id \
         LEFT JOIN users d ON d.id = f.done_by WHERE 1 = 1",
    )
}

/// Today's date in the school's time zone (UTC+8), `YYYY-MM-DD`.
pub fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(8)).format("%Y-%m-%d").to_string()
}

pub async fn follow_ups(state: &AppState, sql: &Sql) -> Result<Vec<FollowUp>> {
    let rows: Vec<FollowUpRow> = sql.fetch_all(&state.db.read).await?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = if r.status == "done" { FollowUpStatus::Done } else { FollowUpStatus::Open };
            FollowUp {
                id: r.id,
                visit_id: r.visit_id,
                student_id: r.student_id,
                student_name: r.student_name,
                what: r.what,
                owner: Person { id: r.owner_id, name: r.owner_name },
                overdue: status == FollowUpStatus::Open && r.due_on < today,
                due_on: r.due_on,
                status,
                class_name: r.class_name,
                department: r.department.as_deref().and_then(shared::Department::from_code),
                outcome: r.outcome,
                done_by: r.done_by.zip(r.done_by_name).map(|(id, name)| Person { id, name }),
            }
        })
        .collect())
}
