//! Reading plans with their students, teams and trips.

use shared::{CampaignId, StudentId, UserId};
use std::collections::HashMap;

use shared::visits::{Person, Plan};
use shared::VisitMode;

use crate::db::Sql;
use crate::error::Result;
use crate::AppState;

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: i64,
    campaign_id: CampaignId,
    student_id: StudentId,
    student_name: String,
    class_name: String,
    city: Option<String>,
    district: Option<String>,
    mode: String,
    planned_on: String,
    planned_time: Option<String>,
    meeting_link: Option<String>,
    trip_id: Option<i64>,
    trip_name: Option<String>,
    created_by: UserId,
    created_by_name: String,
    visits: i64,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    plan_id: i64,
    id: UserId,
    name: String,
}

/// Plans matching `condition` (` AND …` on the plan `p`, student `s`, class `cl`).
pub async fn plans(state: &AppState, condition: &Sql) -> Result<Vec<Plan>> {
    let mut sql = Sql::new(
        "SELECT p.id, p.campaign_id, p.student_id, s.name AS student_name, cl.name AS class_name, s.city, s.district, \
                p.mode, p.planned_on, p.planned_time, p.meeting_link, p.trip_id, t.name AS trip_name, \
                p.created_by, u.display_name AS created_by_name, \
                (SELECT COUNT(*) FROM visits v WHERE v.student_id = p.student_id AND v.campaign_id = p.campaign_id) AS visits \
         FROM visit_plans p JOIN students s ON s.id = p.student_id JOIN classes cl ON cl.id = s.class_id \
         JOIN users u ON u.id = p.created_by LEFT JOIN visit_trips t ON t.id = p.trip_id WHERE 1 = 1",
    );
    sql.push_sql(condition);
    sql.push(" ORDER BY p.planned_on, p.planned_time, s.name, p.id LIMIT 2000");
    let rows: Vec<PlanRow> = sql.fetch_all(&state.db.read).await?;
    let mut members: HashMap<i64, Vec<Person>> = HashMap::new();
    if !rows.is_empty() {
        let mut sql = Sql::new(
            "SELECT pm.plan_id, u.id, u.display_name AS name FROM visit_plan_members pm JOIN users u ON u.id = pm.user_id \
             WHERE pm.plan_id IN (",
        );
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        super::push_ids(&mut sql, &ids);
        sql.push(") ORDER BY u.display_name, u.id");
        for m in sql.fetch_all::<MemberRow>(&state.db.read).await? {
            members.entry(m.plan_id).or_default().push(Person { id: m.id, name: m.name });
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| Plan {
            id: r.id,
            campaign_id: r.campaign_id,
            student_id: r.student_id,
            student_name: r.student_name,
            class_name: r.class_name,
            city: r.city,
            district: r.district,
            mode: VisitMode::parse(&r.mode).unwrap_or(VisitMode::InPerson),
            date: r.planned_on,
            time: r.planned_time,
            meeting_link: r.meeting_link,
            members: members.remove(&r.id).unwrap_or_default(),
            trip_id: r.trip_id,
            trip_name: r.trip_name,
            created_by: Person { id: r.created_by, name: r.created_by_name },
            visited: r.visits > 0,
        })
        .collect())
}

/// The one city and district all these students live in, if they share one.
pub async fn one_district(state: &AppState, students: &[StudentId]) -> Result<Option<(String, String)>> {
    let mut sql = Sql::new("SELECT DISTINCT COALESCE(city, ''), COALESCE(district, '') FROM students WHERE id IN (");
    super::push_ids(&mut sql, students);
    sql.push(")");
    let places: Vec<(String, String)> = sql
        .query()
        .try_map(|row: sqlx::any::AnyRow| {
            use sqlx::Row;
            Ok((row.try_get::<String, _>(0)?, row.try_get::<String, _>(1)?))
        })
        .fetch_all(&state.db.read)
        .await?;
    Ok(match places.as_slice() {
        [(city, district)] if !district.is_empty() => Some((city.clone(), district.clone())),
        _ => None,
    })
}
