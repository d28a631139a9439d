//! Planning: the students a counselor (or team leader) can visit in a campaign, with filters,
//! and visit plans — one per student, with date, mode, team and meeting link; in-person plans
//! in one district may be grouped into a trip.

use shared::visits::{NewPlans, Person, Plan, PlanStudent, PlanStudentQuery};
use shared::{CampaignId, ClassId, StudentId, StudentNo, UserId, VisitMode};

use super::access::{self, restrict_reachable, CampaignRef};
use super::validate::{self, Check};
use crate::audit;
use crate::auth::StaffUser;
use crate::db::{now, Db, Sql};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::AppState;

#[derive(sqlx::FromRow)]
struct StudentRow {
    id: StudentId,
    student_no: String,
    name: String,
    class_id: ClassId,
    class_name: String,
    city: Option<String>,
    district: Option<String>,
    visits: i64,
    plans: i64,
}

/// The students the caller can visit in the campaign, filtered.
pub async fn students(state: &AppState, user: &StaffUser, q: &PlanStudentQuery) -> Result<Vec<PlanStudent>> {
    access::check_campaign(state, q.campaign_id).await?;
    let mut sql = Sql::new(
        "SELECT s.id, s.student_no, s.name, s.class_id, cl.name AS class_name, s.city, s.district, \
         (SELECT COUNT(*) FROM visits v WHERE v.student_id = s.id AND v.campaign_id = ",
    );
    sql.bind(q.campaign_id)
        .push(") AS visits, (SELECT COUNT(*) FROM visit_plans p WHERE p.student_id = s.id AND p.campaign_id = ");
    sql.bind(q.campaign_id).push(") AS plans FROM students s JOIN classes cl ON cl.id = s.class_id WHERE 1 = 1");
    restrict_reachable(user, &mut sql, CampaignRef::Id(q.campaign_id));
    if let Some(id) = q.class_id {
        sql.push(" AND s.class_id = ").bind(id);
    }
    if let Some(city) = q.city.as_deref().map(shared::domain::normalize).filter(|c| !c.is_empty()) {
        sql.push(" AND s.city = ").bind(city);
    }
    if let Some(district) = q.district.as_deref().map(shared::domain::normalize).filter(|d| !d.is_empty()) {
        sql.push(" AND s.district = ").bind(district);
    }
    if let Some(hardship) = q.hardship {
        // Only among the students whose sensitive fields the caller may see.
        user.scope().restrict(&mut sql, "cl");
        sql.push(" AND s.hardship = ").bind(hardship.code());
    }
    if q.not_visited == Some(true) {
        sql.push(" AND NOT EXISTS (SELECT 1 FROM visits v2 WHERE v2.student_id = s.id AND v2.campaign_id = ")
            .bind(q.campaign_id)
            .push(")");
    }
    if q.has_concerns == Some(true) {
        // This campaign's open concerns that the caller may see (`super::concerns`).
        sql.push(" AND EXISTS (SELECT 1 FROM meeting_concerns mc WHERE mc.student_id = s.id");
        super::concerns::restrict_open(&mut sql, q.campaign_id);
        super::concerns::restrict_visible(user, &mut sql);
        sql.push(")");
    }
    sql.push(" ORDER BY cl.name, s.name, s.id LIMIT 2000");
    let rows: Vec<StudentRow> = sql.fetch_all(&state.db.read).await?;
    if let Some(hardship) = q.hardship {
        let ids: Vec<StudentId> = rows.iter().map(|r| r.id).collect();
        let detail = format!("visit planning filtered by hardship = {}: {} students", hardship.code(), ids.len());
        audit::record_filter(&state.db, user.id, "read", &ids, &["hardship"], &detail).await?;
    }
    let students = rows
        .into_iter()
        .map(|r| {
            Ok(PlanStudent {
                id: r.id,
                student_no: StudentNo::parse(&r.student_no)
                    .map_err(|e| anyhow::anyhow!("stored student number: {e}"))?,
                name: r.name,
                class_id: r.class_id,
                class_name: r.class_name,
                city: r.city,
                district: r.district,
                visits: r.visits,
                plans: r.plans,
            })
        })
        .collect::<Result<_>>()?;
    Ok(students)
}

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: UserId,
    name: String,
}

/// Staff who can be named as team members or follow-up owners: the caller's college and the
/// school-wide staff (all staff for admins); for staff of no college (school leaders), the
/// school-wide staff and the colleges whose teams they are on.
pub async fn colleagues(db: &Db, user: &StaffUser) -> Result<Vec<Person>> {
    // Not service staff: they take part in no visit and own no follow-up (one is referred to
    // their department instead).
    let mut sql = Sql::new("SELECT id, display_name AS name FROM users WHERE active = 1 AND role <> 'service_staff'");
    if user.role != shared::Role::Admin {
        sql.push(" AND (id = ").bind(user.id);
        match user.college_id {
            Some(college) => {
                sql.push(" OR role IN ('admin', 'school_leader') OR college_id = ").bind(college);
            }
            None => {
                sql.push(" OR role IN ('admin', 'school_leader') OR college_id IN (SELECT t.college_id FROM teams t WHERE t.leader_id = ").bind(user.id);
                sql.push(" OR t.id IN (SELECT tm.team_id FROM team_members tm WHERE tm.user_id = ")
                    .bind(user.id)
                    .push("))");
            }
        }
        sql.push(")");
    }
    sql.push(" ORDER BY display_name, id LIMIT 1000");
    let rows: Vec<PersonRow> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(|r| Person { id: r.id, name: r.name }).collect())
}

/// The campaign's plans the caller can see: for students they reach, or that they made or
/// take part in.
pub async fn list(state: &AppState, user: &StaffUser, campaign_id: CampaignId) -> Result<Vec<Plan>> {
    access::check_campaign(state, campaign_id).await?;
    let mut sql = Sql::new(" AND p.campaign_id = ");
    sql.bind(campaign_id).push(" AND (p.created_by = ").bind(user.id);
    sql.push(" OR p.id IN (SELECT pm.plan_id FROM visit_plan_members pm WHERE pm.user_id = ").bind(user.id);
    sql.push(") OR (1 = 1");
    restrict_reachable(user, &mut sql, CampaignRef::Id(campaign_id));
    sql.push("))");
    super::plan_read::plans(state, &sql).await
}

/// Plans a visit for each student; in-person plans given a trip name are grouped into one trip,
/// which needs them all in one district. A closed campaign takes no new plans (422
/// `campaign_closed`); the team must be allowed to take part in a visit to every student (422 on
/// `member_ids`).
pub async fn create(state: &AppState, user: &StaffUser, body: &NewPlans) -> Result<Vec<Plan>> {
    let mut check = Check::default();
    let date = check.date("date", &body.date);
    let time = check.time("time", body.time.as_deref());
    let mut students = body.student_ids.clone();
    students.sort_unstable();
    students.dedup();
    if students.is_empty() || students.len() > 200 {
        check.fail("student_ids", Msg::new("请选择 1 到 200 名学生", "Choose 1 to 200 students"));
    }
    let link = shared::domain::normalize(body.meeting_link.as_deref().unwrap_or(""));
    if !link.is_empty() && (!link.starts_with("https://") || link.len() > 500 || link.contains(char::is_whitespace)) {
        check.fail("meeting_link", Msg::new("会议链接应以 https:// 开头", "A meeting link starts with https://"));
    }
    let trip = shared::domain::normalize(body.trip_name.as_deref().unwrap_or(""));
    if !trip.is_empty() && (body.mode != VisitMode::InPerson || trip.chars().count() > 100) {
        check.fail("trip_name", Msg::new("只有上门家访可以编为行程", "Only in-person visits form a trip"));
    }
    if !validate::staff_exist(state, &body.member_ids).await? {
        check.fail("member_ids", Msg::new("所选人员不存在或已停用", "A chosen person does not exist or is disabled"));
    }
    check.finish()?;
    access::check_campaign_open(&state.db, body.campaign_id).await?;
    for id in &students {
        access::check_student(state, user, body.campaign_id, *id).await?;
    }
    // The plan's team will read what they plan: the same rule as a visit's members.
    for id in &students {
        access::check_members(&state.db, body.campaign_id, *id, &body.member_ids).await?;
    }
    let place = super::plan_read::one_district(state, &students).await?;
    if !trip.is_empty() && place.is_none() {
        return Err(Error::field(
            "trip_name",
            Msg::new("同一行程的学生须在同一区县", "A trip's students live in one district"),
        ));
    }
    let mut member_ids = body.member_ids.clone();
    member_ids.sort_unstable();
    member_ids.dedup();
    let at = now();
    let mut tx = state.db.write.begin().await?;
    let mut trip_id = None;
    if let (false, Some((city, district))) = (trip.is_empty(), place) {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO visit_trips (campaign_id, name, city, district, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(body.campaign_id)
        .bind(trip.clone())
        .bind(city)
        .bind(district)
        .bind(user.id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        trip_id = Some(id);
    }
    let mut ids = Vec::new();
    for student_id in &students {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO visit_plans (campaign_id, student_id, mode, planned_on, planned_time, meeting_link, trip_id, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(body.campaign_id)
        .bind(*student_id)
        .bind(body.mode.code())
        .bind(date.clone())
        .bind(time.clone())
        .bind(Some(link.clone()).filter(|l| !l.is_empty()))
        .bind(trip_id)
        .bind(user.id)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        for member in &member_ids {
            sqlx::query("INSERT INTO visit_plan_members (plan_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*member)
                .execute(&mut *tx)
                .await?;
        }
        ids.push(id);
    }
    tx.commit().await?;
    let mut sql = Sql::new(" AND p.id IN (");
    super::push_ids(&mut sql, &ids);
    sql.push(")");
    super::plan_read::plans(state, &sql).await
}
