//! Concerns into visits (issue 15): the concerns families raised at a campaign's parents'
//! meetings that no visit has addressed yet, as the counselor sees them when planning and logging
//! a visit; and marking the ones a visit addressed, with the short reply the family reads.
//!
//! Who sees which concern is the rule of the meeting's concern list
//! (`meetings::signups::concerns`): mental health and family finances (`Topic::is_sensitive`)
//! only for staff whose own scope holds the student's class — the class's counselor and advisor,
//! the college leader, admins; not a team leader reaching the student through a team. Each read
//! of them is written to the audit log (`meeting_concern`), and so is a visit answering one.

use shared::concerns::{AddressedConcern, ConcernQuery, OpenConcern};
use shared::history::HistoryConcern;
use shared::meetings::Topic;
use shared::visits::NewVisit;
use shared::{CampaignId, StudentId, VisitId};
use sqlx::AnyConnection;

use super::access::{self, restrict_reachable, CampaignRef};
use crate::audit;
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::AppState;

/// `'mental_health', 'family_finances'`: the sensitive topics' codes, as SQL literals.
fn sensitive_codes() -> String {
    Topic::ALL.iter().filter(|t| t.is_sensitive()).map(|t| format!("'{}'", t.code())).collect::<Vec<_>>().join(", ")
}

/// Appends ` AND (…)`: the concern `mc` of a student in the class `cl` is one the caller may see
/// (not sensitive, or the class is in the caller's own scope and the family's consent it was sent
/// under has not been withdrawn: `privacy::visible_consent`).
pub fn restrict_visible(user: &StaffUser, sql: &mut Sql) {
    restrict_sensitive(user, sql, true);
}

/// `restrict_visible`, with or without the family's consent as a condition.
fn restrict_sensitive(user: &StaffUser, sql: &mut Sql, consent: bool) {
    let consent = if consent { crate::privacy::visible_consent("mc") } else { "1 = 1".to_string() };
    sql.push(&format!(" AND (mc.topic NOT IN ({}) OR ({consent}", sensitive_codes()));
    user.scope().restrict(sql, "cl");
    sql.push("))");
}

/// Appends ` AND …`: the concern `mc` is open and was raised at one of the campaign's meetings.
pub fn restrict_open(sql: &mut Sql, campaign_id: CampaignId) {
    sql.push(" AND mc.visit_id IS NULL AND mc.meeting_id IN (SELECT m.id FROM meetings m WHERE m.campaign_id = ");
    sql.bind(campaign_id).push(")");
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    student_id: i64,
    meeting_id: i64,
    topic: String,
    text: String,
    created_at: i64,
}

/// The campaign's open concerns of the students the caller reaches (one student's, if asked),
/// oldest first; sensitive ones as the module's rule says, and their reads audited.
pub async fn open(state: &AppState, user: &StaffUser, q: &ConcernQuery) -> Result<Vec<OpenConcern>> {
    let campaign = q.campaign_id;
    access::check_campaign(state, campaign).await?;
    let mut sql = Sql::new(
        "SELECT mc.id, mc.student_id, mc.meeting_id, mc.topic, mc.text, mc.created_at FROM meeting_concerns mc \
         JOIN students s ON s.id = mc.student_id JOIN classes cl ON cl.id = s.class_id WHERE 1 = 1",
    );
    restrict_open(&mut sql, campaign);
    restrict_reachable(user, &mut sql, CampaignRef::Id(campaign));
    restrict_visible(user, &mut sql);
    if let Some(student) = q.student_id {
        sql.push(" AND mc.student_id = ").bind(student.get());
    }
    sql.push(" ORDER BY mc.student_id, mc.created_at, mc.id LIMIT 5000");
    let rows: Vec<Row> = sql.fetch_all(&state.db.read).await?;
    let concerns: Vec<OpenConcern> = rows
        .into_iter()
        .filter_map(|r| {
            Some(OpenConcern {
                id: r.id.into(),
                student_id: r.student_id.into(),
                meeting_id: r.meeting_id.into(),
                topic: Topic::from_code(&r.topic)?,
                text: r.text,
                created_at: r.created_at,
            })
        })
        .collect();
    let mut audited: Vec<StudentId> =
        concerns.iter().filter(|c| c.topic.is_sensitive()).map(|c| c.student_id).collect();
    audited.dedup();
    if !audited.is_empty() {
        let detail = format!("open concerns of campaign {campaign}");
        audit::record_students(&state.db, user.id, "read", &audited, &["meeting_concern"], &detail).await?;
    }
    Ok(concerns)
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    id: i64,
    meeting_id: i64,
    topic: String,
    text: String,
    created_at: i64,
    visit_id: Option<VisitId>,
    reply: Option<String>,
}

/// Every concern the student's family raised (all campaigns, open or addressed), newest first,
/// for the student's history: at meetings the caller reaches (their scope, or a campaign whose
/// team they lead), sensitive ones as the module's rule says, and their reads audited.
pub async fn of_student(state: &AppState, user: &StaffUser, student: StudentId) -> Result<Vec<HistoryConcern>> {
    let mut sql = Sql::new(
        "SELECT mc.id, mc.meeting_id, mc.topic, mc.text, mc.created_at, mc.visit_id, mc.reply \
         FROM meeting_concerns mc JOIN meetings m ON m.id = mc.meeting_id JOIN students s ON s.id = mc.student_id \
         JOIN classes cl ON cl.id = s.class_id WHERE mc.student_id = ",
    );
    sql.bind(student);
    restrict_reachable(user, &mut sql, CampaignRef::MeetingColumn);
    restrict_visible(user, &mut sql);
    sql.push(" ORDER BY mc.created_at DESC, mc.id DESC LIMIT 1000");
    let rows: Vec<HistoryRow> = sql.fetch_all(&state.db.read).await?;
    let concerns: Vec<HistoryConcern> = rows
        .into_iter()
        .filter_map(|r| {
            Some(HistoryConcern {
                id: r.id.into(),
                meeting_id: r.meeting_id.into(),
                topic: Topic::from_code(&r.topic)?,
                text: r.text,
                created_at: r.created_at,
                visit_id: r.visit_id,
                reply: r.reply,
            })
        })
        .collect();
    if concerns.iter().any(|c| c.topic.is_sensitive()) {
        audit::record(&state.db, user.id, "read", Some(student), &["meeting_concern"], "student history").await?;
    }
    Ok(concerns)
}

/// 422 on `addressed` unless every concern named was raised for the visit's student at one of
/// its campaign's meetings and is one the caller may see. One addressed meanwhile by another visit
/// passes here and keeps that visit's reply (`address`): a tablet syncing late loses nothing.
pub async fn check(state: &AppState, user: &StaffUser, visit: &NewVisit) -> Result<()> {
    if visit.addressed.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = visit.addressed.iter().map(|a| a.concern_id.get()).collect();
    let mut sql = Sql::new(
        "SELECT COUNT(*) FROM meeting_concerns mc JOIN meetings m ON m.id = mc.meeting_id \
         JOIN students s ON s.id = mc.student_id JOIN classes cl ON cl.id = s.class_id WHERE mc.student_id = ",
    );
    sql.bind(visit.student_id).push(" AND m.campaign_id = ").bind(visit.campaign_id);
    // Not the consent: a visit written before the family withdrew it (waiting in a tablet's
    // outbox) must still be stored, not rejected; the concern stays hidden from staff after.
    restrict_sensitive(user, &mut sql, false);
    sql.push(" AND mc.id IN (");
    super::push_ids(&mut sql, &ids);
    sql.push(")");
    if sql.fetch_scalar(&state.db.read).await? != ids.len() as i64 {
        return Err(Error::field(
            "addressed",
            Msg::new(
                "所选问题不是该学生家长在本活动家长会上提出的",
                "A concern chosen was not raised for this student at this campaign's parents' meetings",
            ),
        ));
    }
    Ok(())
}

/// Marks the concerns the newly stored visit addressed, inside its transaction: only those still
/// open, so that storing is done once whatever the number of attempts.
pub async fn address(
    conn: &mut AnyConnection,
    visit_id: VisitId,
    student_id: StudentId,
    at: i64,
    addressed: &[AddressedConcern],
) -> sqlx::Result<()> {
    for a in addressed {
        sqlx::query(
            "UPDATE meeting_concerns SET visit_id = $1, reply = $2, addressed_at = $3 \
             WHERE id = $4 AND student_id = $5 AND visit_id IS NULL",
        )
        .bind(visit_id)
        .bind(Some(a.reply.clone()).filter(|r| !r.is_empty()))
        .bind(at)
        .bind(a.concern_id.get())
        .bind(student_id)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// After a visit is stored: an audit entry if it answered a sensitive concern.
pub async fn audit_addressed(
    state: &AppState,
    user: &StaffUser,
    visit_id: VisitId,
    student_id: StudentId,
) -> Result<()> {
    let sql = format!("SELECT COUNT(*) FROM meeting_concerns WHERE visit_id = $1 AND topic IN ({})", sensitive_codes());
    let n: i64 = sqlx::query_scalar(&sql).bind(visit_id).fetch_one(&state.db.read).await?;
    if n > 0 {
        let detail = format!("visit {visit_id} addressed concerns");
        audit::record(&state.db, user.id, "update", Some(student_id), &["meeting_concern"], &detail).await?;
    }
    Ok(())
}
