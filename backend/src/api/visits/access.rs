//! Who may plan, log, read and correct which visits.
//!
//! A student is *reachable* in a campaign by those whose scope holds the student's class (their
//! counselor and class advisor, their college leader, admins) and by the leader of one of the
//! campaign's teams in the student's college. A visit is visible to those who can reach its
//! student, to its author and to the staff who took part. Sensitive notes are read only by
//! those whose own scope holds the student.

use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::AppState;

/// Appends ` AND (…)`: the `classes` row aliased `cl` is reachable in `campaign` (an SQL
/// expression such as `$1` already bound, or a column such as `v.campaign_id`).
pub fn restrict_reachable(user: &StaffUser, sql: &mut Sql, campaign: CampaignRef) {
    sql.push(" AND ((1 = 1");
    user.scope().restrict(sql, "cl");
    sql.push(") OR cl.college_id IN (SELECT t.college_id FROM teams t WHERE t.leader_id = ").bind(user.id);
    match campaign {
        CampaignRef::Id(id) => {
            sql.push(" AND t.campaign_id = ").bind(id);
        }
        CampaignRef::VisitColumn => {
            sql.push(" AND t.campaign_id = v.campaign_id");
        }
    }
    sql.push("))");
}

#[derive(Debug, Clone, Copy)]
pub enum CampaignRef {
    Id(i64),
    /// The campaign of the `visits` row aliased `v`.
    VisitColumn,
}

/// Appends ` AND (…)`: the `visits` row `v` (joined to its student `s` and class `cl`) is visible.
pub fn restrict_visits(user: &StaffUser, sql: &mut Sql) {
    sql.push(" AND (v.author_id = ").bind(user.id);
    sql.push(" OR v.id IN (SELECT vm.visit_id FROM visit_members vm WHERE vm.user_id = ").bind(user.id);
    sql.push(") OR (1 = 1");
    restrict_reachable(user, sql, CampaignRef::VisitColumn);
    sql.push("))");
}

pub async fn check_campaign(state: &AppState, campaign_id: i64) -> Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE id = $1")
        .bind(campaign_id)
        .fetch_one(&state.db.read)
        .await?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// 404 for an unknown student, 403 for one the caller cannot reach in this campaign.
pub async fn check_student(state: &AppState, user: &StaffUser, campaign_id: i64, student_id: i64) -> Result<()> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id = ");
    sql.bind(student_id);
    if sql.fetch_scalar(&state.db.read).await? == 0 {
        return Err(Error::NotFound);
    }
    restrict_reachable(user, &mut sql, CampaignRef::Id(campaign_id));
    if sql.fetch_scalar(&state.db.read).await? == 0 {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// Whether the caller's own scope holds the student: the readers of sensitive notes.
pub async fn sees_sensitive(state: &AppState, user: &StaffUser, student_id: i64) -> Result<bool> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id = ");
    sql.bind(student_id);
    user.scope().restrict(&mut sql, "cl");
    Ok(sql.fetch_scalar(&state.db.read).await? > 0)
}

/// 404 for an unknown visit, 403 for one the caller may not see.
pub async fn check_visit(state: &AppState, user: &StaffUser, visit_id: i64) -> Result<()> {
    let mut sql = Sql::new(
        "SELECT COUNT(*) FROM visits v JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id \
         WHERE v.id = ",
    );
    sql.bind(visit_id);
    if sql.fetch_scalar(&state.db.read).await? == 0 {
        return Err(Error::NotFound);
    }
    restrict_visits(user, &mut sql);
    if sql.fetch_scalar(&state.db.read).await? == 0 {
        return Err(Error::Forbidden);
    }
    Ok(())
}
