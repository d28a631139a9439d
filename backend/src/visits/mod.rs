//! Home visits (家访): who may see and log what (`access`), checking what is sent (`validate`),
//! storing visits with the dashboard's tallies (`store`), reading them back (`read`), plans
//! (`plans`, `plan_read`), follow-ups, the concerns from parents' meetings a visit answers
//! (`concerns`) and the visit import. The API and the CLI call these.

pub mod access;
pub mod blank;
pub mod case_report;
pub mod cases;
pub mod concerns;
pub mod follow_ups;
pub mod history;
pub mod import;
pub mod plan_read;
pub mod plans;
pub mod read;
pub mod store;
pub mod validate;

use shared::visits::{NewVisit, Person, VisitEdit, VisitQuery, VisitRevision, VisitSummary};
use shared::{CampaignId, StudentId, UserId, VisitId, VisitMode};

use self::store::{from_json, Outcome};
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::AppState;

/// Appends `$1, $2, …` for each id (the caller writes the parentheses).
pub fn push_ids<Id: Copy + Into<crate::db::Param>>(sql: &mut Sql, ids: &[Id]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
}

/// Checks a visit sent to be logged: valid, in a campaign, for a student the caller reaches,
/// with members who may take part (the form and the offline sync alike). Whether the campaign
/// is still open is decided where it is stored (`store::log`).
pub async fn prepare(state: &AppState, user: &StaffUser, visit: &NewVisit) -> Result<NewVisit> {
    let visit = validate::new_visit(state, visit).await?;
    access::check_campaign(state, visit.campaign_id).await?;
    access::check_student(state, user, visit.campaign_id, visit.student_id).await?;
    access::check_members(&state.db, visit.campaign_id, visit.student_id, &visit.record.member_ids).await?;
    concerns::check(state, user, &visit).await?;
    if let Some(plan_id) = visit.plan_id {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM visit_plans WHERE id = $1 AND campaign_id = $2 AND student_id = $3",
        )
        .bind(plan_id)
        .bind(visit.campaign_id)
        .bind(visit.student_id)
        .fetch_one(&state.db.read)
        .await?;
        if n == 0 {
            return Err(Error::field("plan_id", Msg::new("家访计划与学生不符", "The plan is not for this student")));
        }
    }
    Ok(visit)
}

/// Stores a prepared visit in a transaction of its own.
pub async fn store_one(state: &AppState, user: &StaffUser, visit: &NewVisit) -> Result<Outcome> {
    let mut tx = state.db.write.begin().await?;
    let outcome = store::log(&mut tx, user.id, visit).await?;
    tx.commit().await?;
    if let (Outcome::Stored(id), false) = (outcome, visit.addressed.is_empty()) {
        concerns::audit_addressed(state, user, id, visit.student_id).await?;
    }
    Ok(outcome)
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: VisitId,
    client_id: String,
    student_id: StudentId,
    student_name: String,
    class_name: String,
    visited_on: String,
    mode: String,
    author_id: UserId,
    author_name: String,
    revision: i64,
}

/// Visits the caller may see, newest first.
pub async fn list(state: &AppState, user: &StaffUser, query: &VisitQuery) -> Result<Vec<VisitSummary>> {
    let mut sql = Sql::new(
        "SELECT v.id, v.client_id, v.student_id, s.name AS student_name, cl.name AS class_name, v.visited_on, v.mode, \
                v.author_id, u.display_name AS author_name, v.revision \
         FROM visits v JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id \
         JOIN users u ON u.id = v.author_id WHERE 1 = 1",
    );
    access::restrict_visits(user, &mut sql);
    if let Some(id) = query.campaign_id {
        sql.push(" AND v.campaign_id = ").bind(id);
    }
    if let Some(id) = query.student_id {
        sql.push(" AND v.student_id = ").bind(id);
    }
    sql.push(" ORDER BY v.visited_on DESC, v.id DESC LIMIT 1000");
    let rows: Vec<SummaryRow> = sql.fetch_all(&state.db.read).await?;
    Ok(rows
        .into_iter()
        .map(|r| VisitSummary {
            id: r.id,
            client_id: r.client_id,
            student_id: r.student_id,
            student_name: r.student_name,
            class_name: r.class_name,
            date: r.visited_on,
            mode: VisitMode::parse(&r.mode).unwrap_or(VisitMode::InPerson),
            author: Person { id: r.author_id, name: r.author_name },
            revision: r.revision,
        })
        .collect())
}

/// What became of a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corrected {
    /// Stored, or nothing to change.
    Done,
    /// The base revision is not the current one: someone got there first.
    Stale,
}

/// Corrects a visit the caller has been checked to see: only its author, only from the current
/// revision. Once its campaign is closed, 422 `campaign_closed` unless the server lets authors
/// correct closed campaigns. Members must be allowed to take part (422 on `member_ids`).
pub async fn correct(state: &AppState, user: &StaffUser, id: VisitId, body: &VisitEdit) -> Result<Corrected> {
    let (author_id, revision, stored, campaign_id, student_id): (UserId, i64, String, CampaignId, StudentId) =
        sqlx::query_as("SELECT author_id, revision, record, campaign_id, student_id FROM visits WHERE id = $1")
            .bind(id)
            .fetch_one(&state.db.read)
            .await?;
    if author_id != user.id {
        return Err(Error::Forbidden);
    }
    access::refuse_erased(&state.db, student_id).await?;
    // A closed campaign is a record: its author corrects it only where the school allows that.
    if !state.config.closed_campaign_corrections {
        access::check_campaign_open(&state.db, campaign_id).await?;
    }
    let mut check = validate::Check::default();
    let mut record = validate::record(&mut check, &body.record);
    if !validate::staff_exist(state, &record.member_ids).await? {
        check.fail("member_ids", Msg::new("所选人员不存在或已停用", "A chosen person does not exist or is disabled"));
    }
    check.finish()?;
    access::check_members(&state.db, campaign_id, student_id, &record.member_ids).await?;
    if body.base_revision != revision {
        return Ok(Corrected::Stale);
    }
    let before = from_json(&stored)?;
    if record.sensitive_notes.is_none() {
        record.sensitive_notes = before.sensitive_notes.clone();
    }
    if record != before {
        let mut tx = state.db.write.begin().await?;
        let done = store::update(&mut tx, id, revision, user.id, &stored, &record).await?;
        tx.commit().await?;
        if !done {
            return Ok(Corrected::Stale);
        }
    }
    Ok(Corrected::Done)
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    revision: i64,
    changed_by: UserId,
    changed_by_name: String,
    changed_at: i64,
    before_json: Option<String>,
    after_json: String,
}

/// Every version of a visit the caller has been checked to see, oldest first; sensitive notes
/// only for their readers, and such a read audited.
pub async fn revisions(state: &AppState, user: &StaffUser, id: VisitId) -> Result<Vec<VisitRevision>> {
    let student_id: StudentId =
        sqlx::query_scalar("SELECT student_id FROM visits WHERE id = $1").bind(id).fetch_one(&state.db.read).await?;
    let rows: Vec<RevisionRow> = sqlx::query_as(
        "SELECT r.revision, r.changed_by, u.display_name AS changed_by_name, r.changed_at, r.before_json, r.after_json \
         FROM visit_revisions r JOIN users u ON u.id = r.changed_by WHERE r.visit_id = $1 ORDER BY r.revision",
    )
    .bind(id)
    .fetch_all(&state.db.read)
    .await?;
    let sensitive = access::sees_sensitive(state, user, student_id).await?;
    if sensitive {
        read::audit_sensitive(state, user, student_id, id, "visit history").await?;
    }
    let mut revisions = Vec::with_capacity(rows.len());
    for r in rows {
        let before = r.before_json.as_deref().map(from_json).transpose()?;
        revisions.push(VisitRevision {
            revision: r.revision,
            changed_by: Person { id: r.changed_by, name: r.changed_by_name },
            changed_at: r.changed_at,
            before: before.map(|b| read::redact(b, sensitive)),
            after: read::redact(from_json(&r.after_json)?, sensitive),
        });
    }
    Ok(revisions)
}
