//! Follow-up actions agreed on visits: an owner's list, adding one to a visit later, closing one
//! with an outcome and reopening it, reassigning it (owner, service department, due date), the
//! reminders (due this week or overdue) and the referrals a service department sees. Every
//! write goes through `store`, which moves the dashboard's tallies in the same transaction, and
//! is audited.
//!
//! Who may do what:
//! - add a follow-up to a visit: whoever may see the visit (`access::check_visit`);
//! - close or reopen it: its owner, the visit's author, or the staff of the service department
//!   it is referred to;
//! - reassign it: its owner, the visit's author, or those whose own scope holds the student (the
//!   class's counselor and advisor, the college's leaders, admins) — so a leader chasing an
//!   overdue follow-up can hand it to someone else;
//! - service staff see only the follow-ups referred to their department, as `Referral`s (the
//!   student's name and class and the follow-up's text; nothing else of the record), and every
//!   other route refuses them (`auth::extract::SERVICE_STAFF_ROUTES`).

use shared::follow_ups::{DueCount, DueFollowUps, FollowUpAssignment, FollowUpClose, FollowUpInput, Referral};
use shared::visits::{FollowUp, FollowUpStatus, Person};
use shared::{Department, FollowUpId, Role, StudentId, UserId, VisitId};

use super::access;
use super::read::{follow_up_select, follow_ups, today};
use super::store;
use super::validate::{follow_up_what, Check, MAX_TEXT};
use crate::audit;
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::AppState;

/// How many days after today still count as "this week" for the reminders.
const WEEK_DAYS: i64 = 6;

/// The owner's follow-ups in `status`, soonest due first.
pub async fn of_owner(state: &AppState, owner_id: UserId, status: FollowUpStatus) -> Result<Vec<FollowUp>> {
    let mut sql = follow_up_select();
    sql.push(" AND f.owner_id = ").bind(owner_id).push(" AND f.status = ").bind(status_code(status));
    sql.push(" ORDER BY f.due_on, f.id LIMIT 1000");
    follow_ups(state, &sql).await
}

fn status_code(status: FollowUpStatus) -> &'static str {
    if status == FollowUpStatus::Done {
        "done"
    } else {
        "open"
    }
}

/// One follow-up as the rules need it.
#[derive(sqlx::FromRow)]
struct Facts {
    owner_id: UserId,
    author_id: UserId,
    student_id: StudentId,
    department: Option<String>,
    status: String,
}

/// 404 for an unknown follow-up, and for service staff one not referred to their department (they
/// learn nothing of the others, not even that they exist).
async fn facts(state: &AppState, user: &StaffUser, id: i64) -> Result<Facts> {
    let facts: Option<Facts> = sqlx::query_as(
        "SELECT f.owner_id, v.author_id, v.student_id, f.department, f.status \
         FROM follow_ups f JOIN visits v ON v.id = f.visit_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_optional(&state.db.read)
    .await?;
    let facts = facts.ok_or(Error::NotFound)?;
    if user.role == Role::ServiceStaff && !referred_to(user, &facts) {
        return Err(Error::NotFound);
    }
    Ok(facts)
}

/// Whether the follow-up is referred to the caller's own service department.
fn referred_to(user: &StaffUser, facts: &Facts) -> bool {
    user.role == Role::ServiceStaff && user.department.is_some_and(|d| facts.department.as_deref() == Some(d.code()))
}

/// Its owner, the visit's author, or its department's staff; else 403.
fn may_close(user: &StaffUser, facts: &Facts) -> Result<()> {
    if facts.owner_id == user.id || facts.author_id == user.id || referred_to(user, facts) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// The follow-up as its list shows it.
async fn one(state: &AppState, id: i64) -> Result<FollowUp> {
    let mut sql = follow_up_select();
    sql.push(" AND f.id = ").bind(id);
    follow_ups(state, &sql).await?.pop().ok_or(Error::NotFound)
}

async fn audit_change(state: &AppState, user: &StaffUser, student_id: StudentId, detail: String) -> Result<()> {
    audit::record(&state.db, user.id, "update", Some(student_id), &["follow_up"], &detail).await?;
    Ok(())
}

/// Marks a follow-up done or open again (the quick toggle): its owner or the visit's author
/// (else 403).
pub async fn set_status(state: &AppState, user: &StaffUser, id: i64, status: FollowUpStatus) -> Result<FollowUp> {
    let facts = facts(state, user, id).await?;
    if facts.owner_id != user.id && facts.author_id != user.id {
        return Err(Error::Forbidden);
    }
    let mut tx = state.db.write.begin().await?;
    store::set_follow_up_status(&mut tx, id, status, user.id, None).await?;
    tx.commit().await?;
    audit_change(state, user, facts.student_id, format!("follow-up {id} marked {}", status_code(status))).await?;
    one(state, id).await
}

/// Closes an open follow-up with what came of it (409 if it is closed already).
pub async fn close(state: &AppState, user: &StaffUser, id: i64, body: &FollowUpClose) -> Result<()> {
    let facts = facts(state, user, id).await?;
    may_close(user, &facts)?;
    let mut check = Check::default();
    let outcome = check.text("outcome", &body.outcome, MAX_TEXT);
    if outcome.is_empty() {
        check.fail("outcome", Msg::new("请写明处理结果", "Say what came of it"));
    }
    check.finish()?;
    if facts.status == "done" {
        return Err(Error::Conflict(Msg::new("该事项已经关闭", "This follow-up is closed already")));
    }
    let mut tx = state.db.write.begin().await?;
    store::set_follow_up_status(&mut tx, id, FollowUpStatus::Done, user.id, Some(&outcome)).await?;
    tx.commit().await?;
    audit_change(state, user, facts.student_id, format!("follow-up {id} closed")).await
}

/// Opens a closed follow-up again (409 if it is open).
pub async fn reopen(state: &AppState, user: &StaffUser, id: i64) -> Result<()> {
    let facts = facts(state, user, id).await?;
    may_close(user, &facts)?;
    if facts.status != "done" {
        return Err(Error::Conflict(Msg::new("该事项尚未关闭", "This follow-up is open")));
    }
    let mut tx = state.db.write.begin().await?;
    store::set_follow_up_status(&mut tx, id, FollowUpStatus::Open, user.id, None).await?;
    tx.commit().await?;
    audit_change(state, user, facts.student_id, format!("follow-up {id} reopened")).await
}

/// 422 on `field` unless the owner is an active staff member who is not service staff (a
/// service is named by the follow-up's `department`).
async fn check_owner(state: &AppState, check: &mut Check, field: &str, owner_id: i64) -> Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE id = $1 AND active = 1 AND role <> $2")
        .bind(owner_id)
        .bind(Role::ServiceStaff.code())
        .fetch_one(&state.db.read)
        .await?;
    if n == 0 {
        check.fail(field, Msg::new("负责人不存在或已停用", "The owner does not exist or is disabled"));
    }
    Ok(())
}

/// Adds a follow-up to a visit the caller may see; the new follow-up.
pub async fn add(state: &AppState, user: &StaffUser, visit_id: VisitId, body: &FollowUpInput) -> Result<FollowUp> {
    access::check_visit(state, user, visit_id).await?;
    let mut check = Check::default();
    let what = follow_up_what(&mut check, "what", &body.what);
    let due_on = check.date("due_on", &body.due_on);
    check_owner(state, &mut check, "owner_id", body.owner_id.get()).await?;
    check.finish()?;
    let mut tx = state.db.write.begin().await?;
    let id = store::add_follow_up(&mut tx, visit_id, user.id, &what, body.owner_id, &due_on, body.department).await?;
    tx.commit().await?;
    let added = one(state, id).await?;
    audit_change(state, user, added.student_id, format!("follow-up {id} added to visit {visit_id}")).await?;
    if let Some(department) = body.department {
        refer(state, id, department).await;
    }
    Ok(added)
}

/// Reassigns and reschedules a follow-up: its owner, the visit's author, or whoever's own scope
/// holds the student.
pub async fn assign(state: &AppState, user: &StaffUser, id: i64, body: &FollowUpAssignment) -> Result<FollowUp> {
    let facts = facts(state, user, id).await?;
    let allowed = facts.owner_id == user.id
        || facts.author_id == user.id
        || access::sees_sensitive(state, user, facts.student_id).await?;
    if !allowed {
        return Err(Error::Forbidden);
    }
    let mut check = Check::default();
    let due_on = check.date("due_on", &body.due_on);
    check_owner(state, &mut check, "owner_id", body.owner_id.get()).await?;
    check.finish()?;
    let mut tx = state.db.write.begin().await?;
    store::assign_follow_up(&mut tx, id, body.owner_id, body.department, &due_on).await?;
    tx.commit().await?;
    let department = body.department.map(Department::code).unwrap_or("-");
    let detail = format!("follow-up {id} assigned to user {} ({department}), due {due_on}", body.owner_id);
    audit_change(state, user, facts.student_id, detail).await?;
    if let Some(department) = body.department.filter(|d| facts.department.as_deref() != Some(d.code())) {
        refer(state, id, department).await;
    }
    one(state, id).await
}

/// Tells the department's staff of a follow-up newly referred to them; the follow-up is stored
/// either way, so a notice that cannot be queued is logged, not the caller's error.
async fn refer(state: &AppState, id: i64, department: Department) {
    if let Err(e) = crate::notify::notices::referral(state, id, department).await {
        tracing::warn!(error = %e, follow_up = id, "queueing the referral's notice failed");
    }
}

/// The date `days` after a `YYYY-MM-DD` date (itself if it is not one).
pub fn days_after(date: &str, days: i64) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| (d + chrono::Duration::days(days)).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| date.to_string())
}

/// The last day of "this week": `WEEK_DAYS` after today.
fn week_end(today: &str) -> String {
    days_after(today, WEEK_DAYS)
}

/// ` AND ...`: open follow-ups that are the caller's to see through — their own, or for service
/// staff their department's.
fn theirs(user: &StaffUser, sql: &mut Sql) {
    sql.push(" AND f.status = 'open'");
    match (user.role, user.department) {
        (Role::ServiceStaff, Some(d)) => {
            sql.push(" AND f.department = ").bind(d.code());
        }
        (Role::ServiceStaff, None) => {
            sql.push(" AND 1 = 0");
        }
        _ => {
            sql.push(" AND f.owner_id = ").bind(user.id);
        }
    }
}

/// The reminders: the caller's open follow-ups due this week or overdue, and the overdue ones
/// they oversee (a college leader their college's, admins the school's).
pub async fn due(state: &AppState, user: &StaffUser) -> Result<DueFollowUps> {
    let today = today();
    let week_end = week_end(&today);
    let mut sql = follow_up_select();
    theirs(user, &mut sql);
    sql.push(" AND f.due_on <= ").bind(week_end.clone()).push(" ORDER BY f.due_on, f.id LIMIT 1000");
    let mine = follow_ups(state, &sql).await?;
    let overdue = if matches!(user.role, Role::Admin | Role::CollegeLeader) {
        let mut sql = follow_up_select();
        sql.push(" AND f.status = 'open' AND f.due_on < ").bind(today.clone());
        user.scope().restrict(&mut sql, "cl");
        sql.push(" ORDER BY f.due_on, f.id LIMIT 1000");
        follow_ups(state, &sql).await?
    } else {
        Vec::new()
    };
    Ok(DueFollowUps { today, week_end, mine, overdue })
}

/// The badge: how many of the caller's open follow-ups are due this week, and how many overdue.
pub async fn due_count(state: &AppState, user: &StaffUser) -> Result<DueCount> {
    let today = today();
    let mut sql = Sql::new("SELECT CAST(COUNT(*) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN f.due_on < ");
    sql.bind(today.clone()).push(" THEN 1 ELSE 0 END), 0) AS BIGINT) FROM follow_ups f WHERE 1 = 1");
    theirs(user, &mut sql);
    sql.push(" AND f.due_on <= ").bind(week_end(&today));
    let (due, overdue): (i64, i64) = sql.fetch_one(&state.db.read).await?;
    Ok(DueCount { due, overdue })
}

#[derive(sqlx::FromRow)]
struct ReferralRow {
    id: i64,
    student_name: String,
    class_name: String,
    what: String,
    owner_id: UserId,
    owner_name: String,
    department: String,
    due_on: String,
    status: String,
    outcome: Option<String>,
}

/// The follow-ups referred to the caller's department (service staff only, else 403), soonest
/// due first: only what `Referral` holds is read.
pub async fn referred(state: &AppState, user: &StaffUser, status: FollowUpStatus) -> Result<Vec<Referral>> {
    let department = match (user.role, user.department) {
        (Role::ServiceStaff, Some(d)) => d,
        _ => return Err(Error::Forbidden),
    };
    let rows: Vec<ReferralRow> = sqlx::query_as(
        "SELECT f.id, s.name AS student_name, cl.name AS class_name, f.what, f.owner_id, \
                u.display_name AS owner_name, f.department, f.due_on, f.status, f.outcome \
         FROM follow_ups f JOIN visits v ON v.id = f.visit_id JOIN students s ON s.id = v.student_id \
         JOIN classes cl ON cl.id = s.class_id JOIN users u ON u.id = f.owner_id \
         WHERE f.department = $1 AND f.status = $2 ORDER BY f.due_on, f.id LIMIT 1000",
    )
    .bind(department.code())
    .bind(status_code(status))
    .fetch_all(&state.db.read)
    .await?;
    let today = today();
    Ok(rows
        .into_iter()
        .map(|r| {
            let status = if r.status == "done" { FollowUpStatus::Done } else { FollowUpStatus::Open };
            Referral {
                id: FollowUpId(r.id),
                student_name: r.student_name,
                class_name: r.class_name,
                what: r.what,
                owner: Person { id: r.owner_id, name: r.owner_name },
                department: Department::from_code(&r.department).unwrap_or(department),
                overdue: status == FollowUpStatus::Open && r.due_on < today,
                due_on: r.due_on,
                status,
                outcome: r.outcome,
            }
        })
        .collect())
}
