//! Who may plan, log, read and correct which visits.
//!
//! A student is *reachable* in a campaign by those whose scope holds the student's class (their
//! counselor and class advisor, their college leader, admins) and by the leader of one of the
//! campaign's teams in the student's college. A visit is visible to those who can reach its
//! student, to its author and to the staff who took part. Sensitive notes are read only by
//! those whose own scope holds the student.
//!
//! A visit's *members* (the staff who took part, who then read it) must be people who may see
//! the student — staff whose scope holds the student's class — school-wide staff (school leaders
//! and the Student Affairs Office, who joined visits of every college in the seed's campaign),
//! or named members (or the leader) of one of the campaign's teams for the student's college
//! (`check_members`). A closed campaign
//! is a record: no new visits, plans or imports (`check_campaign_open`).

use axum::http::StatusCode;
use shared::campaigns::CampaignStatus;
use shared::{CampaignId, StudentId, UserId, VisitId};

use crate::auth::StaffUser;
use crate::db::{Db, Sql};
use crate::error::{Error, Result};
use crate::i18n::Msg;
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
        CampaignRef::MeetingColumn => {
            sql.push(" AND t.campaign_id = m.campaign_id");
        }
    }
    sql.push("))");
}

#[derive(Debug, Clone, Copy)]
pub enum CampaignRef {
    Id(CampaignId),
    /// The campaign of the `visits` row aliased `v`.
    VisitColumn,
    /// The campaign of the `meetings` row aliased `m` (none: only the caller's scope reaches).
    MeetingColumn,
}

/// Appends ` AND (…)`: the `visits` row `v` (joined to its student `s` and class `cl`) is visible.
pub fn restrict_visits(user: &StaffUser, sql: &mut Sql) {
    sql.push(" AND (v.author_id = ").bind(user.id);
    sql.push(" OR v.id IN (SELECT vm.visit_id FROM visit_members vm WHERE vm.user_id = ").bind(user.id);
    sql.push(") OR (1 = 1");
    restrict_reachable(user, sql, CampaignRef::VisitColumn);
    sql.push("))");
}

pub async fn check_campaign(state: &AppState, campaign_id: CampaignId) -> Result<()> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE id = $1")
        .bind(campaign_id.get())
        .fetch_one(&state.db.read)
        .await?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// 422 `campaign_closed`: nothing new goes into a closed campaign.
pub fn campaign_closed() -> Error {
    Error::Status {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "campaign_closed",
        message: Msg::new(
            "该活动已结束，不能再新增或修改家访记录、计划和导入",
            "This campaign is closed: its visits, plans and imports can no longer be added or changed",
        ),
    }
}

/// 404 for an unknown campaign, 422 `campaign_closed` for a closed one.
pub async fn check_campaign_open(db: &Db, campaign_id: CampaignId) -> Result<()> {
    let mut conn = db.read.acquire().await?;
    let campaign = crate::campaigns::load(&mut conn, campaign_id).await?;
    if campaign.status == CampaignStatus::Closed {
        return Err(campaign_closed());
    }
    Ok(())
}

/// Of `member_ids`, those who may not take part in a visit to the student in the campaign: not
/// an active account, or neither school-wide staff (admins, school leaders) nor holding the
/// student in their scope (the college's leaders, the class's counselor and advisor) nor named in one of the campaign's teams for the
/// student's college (as member or leader).
pub async fn ineligible_members(
    db: &Db,
    campaign_id: CampaignId,
    student_id: StudentId,
    member_ids: &[UserId],
) -> Result<Vec<UserId>> {
    ineligible(db, campaign_id, student_id, member_ids, " AND u.active = 1").await
}

/// As `ineligible_members`, for visits brought in from paper or Excel: staff accounts that are
/// not activated yet count too (a school's first import is of visits by counselors who have not
/// signed in yet); disabled accounts do not.
pub async fn ineligible_imported_members(
    db: &Db,
    campaign_id: CampaignId,
    student_id: StudentId,
    member_ids: &[UserId],
) -> Result<Vec<UserId>> {
    ineligible(db, campaign_id, student_id, member_ids, " AND u.disabled_at IS NULL").await
}

async fn ineligible(
    db: &Db,
    campaign_id: CampaignId,
    student_id: StudentId,
    member_ids: &[UserId],
    accounts: &'static str,
) -> Result<Vec<UserId>> {
    let mut ids = member_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(ids);
    }
    let mut sql =
        Sql::new("SELECT u.id FROM students s JOIN classes cl ON cl.id = s.class_id CROSS JOIN users u WHERE s.id = ");
    sql.bind(student_id).push(accounts).push(" AND u.id IN (");
    super::push_ids(&mut sql, &ids);
    sql.push(
        ") AND (u.role IN ('admin', 'school_leader') OR (u.role = 'college_leader' AND u.college_id = cl.college_id) \
         OR cl.counselor_id = u.id OR cl.advisor_id = u.id \
         OR u.id IN (SELECT tm.user_id FROM team_members tm JOIN teams t ON t.id = tm.team_id \
         WHERE t.college_id = cl.college_id AND t.campaign_id = ",
    );
    sql.bind(campaign_id);
    sql.push(") OR u.id IN (SELECT t.leader_id FROM teams t WHERE t.college_id = cl.college_id AND t.campaign_id = ");
    sql.bind(campaign_id).push("))");
    let eligible: Vec<(i64,)> = sql.fetch_all(&db.read).await?;
    let eligible: Vec<UserId> = eligible.into_iter().map(|(id,)| UserId(id)).collect();
    Ok(ids.into_iter().filter(|id| !eligible.contains(id)).collect())
}

/// The message for `member_ids` naming someone `ineligible_members` found.
pub const MEMBER_NOT_ELIGIBLE: Msg = Msg::new(
    "参与人员须能查看该学生（学生所在班级的辅导员、班主任、学院领导），或是校领导、学工处人员，或是本活动该学院工作组的成员",
    "Team members must be allowed to see this student (the class's counselor or advisor, the college's leaders), \
     be school leaders or Student Affairs staff, or be named in this campaign's team for the student's college",
);

/// 422 on `member_ids` unless every member may take part (see `ineligible_members`).
pub async fn check_members(
    db: &Db,
    campaign_id: CampaignId,
    student_id: StudentId,
    member_ids: &[UserId],
) -> Result<()> {
    if ineligible_members(db, campaign_id, student_id, member_ids).await?.is_empty() {
        Ok(())
    } else {
        Err(Error::field("member_ids", MEMBER_NOT_ELIGIBLE))
    }
}

/// 404 for an unknown student, 403 for one the caller cannot reach in this campaign.
pub async fn check_student(
    state: &AppState,
    user: &StaffUser,
    campaign_id: CampaignId,
    student_id: StudentId,
) -> Result<()> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id = ");
    sql.bind(student_id);
    if sql.fetch_scalar(&state.db.read).await? == 0 {
        return Err(Error::NotFound);
    }
    restrict_reachable(user, &mut sql, CampaignRef::Id(campaign_id));
    if sql.fetch_scalar(&state.db.read).await? == 0 {
        return Err(Error::Forbidden);
    }
    refuse_erased(&state.db, student_id).await
}

/// 422 `student_erased` (like `campaign_closed`) for a student whose personal data was erased at the family's request
/// (`privacy::rights::erase`): nothing more is recorded about them — no visit (a tablet that was
/// offline keeps its copy with this reason until its author discards it), plan or correction.
pub async fn refuse_erased(db: &Db, student_id: StudentId) -> Result<()> {
    let erased: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE id = $1 AND student_no = $2")
        .bind(student_id)
        .bind(crate::org::erased_student_no(student_id))
        .fetch_one(&db.read)
        .await?;
    if erased == 0 {
        return Ok(());
    }
    Err(Error::Status {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "student_erased",
        message: Msg::new(
            "这位学生的个人信息已应家庭要求删除，不能再记录或修改其家访和计划",
            "This student's personal data was erased at the family's request: their visits and plans can no longer be recorded or changed",
        ),
    })
}

/// Whether the caller sees anything of the student in any campaign: their scope holds the class,
/// they lead a campaign's team for its college, or they wrote or took part in one of its visits.
/// To anyone else the student's history is 404: they learn nothing, not even that it exists.
pub async fn reaches_ever(state: &AppState, user: &StaffUser, student_id: StudentId) -> Result<bool> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id = ");
    sql.bind(student_id).push(" AND ((1 = 1");
    user.scope().restrict(&mut sql, "cl");
    sql.push(") OR cl.college_id IN (SELECT t.college_id FROM teams t WHERE t.leader_id = ").bind(user.id);
    sql.push(") OR s.id IN (SELECT v.student_id FROM visits v WHERE v.author_id = ").bind(user.id);
    sql.push(" OR v.id IN (SELECT vm.visit_id FROM visit_members vm WHERE vm.user_id = ").bind(user.id);
    sql.push(")))");
    Ok(sql.fetch_scalar(&state.db.read).await? > 0)
}

/// Whether the caller's own scope holds the student: the readers of sensitive notes.
pub async fn sees_sensitive(state: &AppState, user: &StaffUser, student_id: StudentId) -> Result<bool> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id = ");
    sql.bind(student_id);
    user.scope().restrict(&mut sql, "cl");
    Ok(sql.fetch_scalar(&state.db.read).await? > 0)
}

/// 404 for an unknown visit, 403 for one the caller may not see.
pub async fn check_visit(state: &AppState, user: &StaffUser, visit_id: VisitId) -> Result<()> {
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
