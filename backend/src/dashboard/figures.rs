//! The headline figures, each aggregated by the database (see shared::dashboard for the
//! definitions). Every query starts from the campaign's visits through the index on
//! `visits (campaign_id, ...)`, so its cost follows the campaign's size, not the school's.

use shared::dashboard::{AspectCount, Figures};
use shared::Aspect;
use sqlx::Row;

use super::filter::Filter;
use crate::db::{Db, Sql};
use crate::error::Result;

/// `1` when the visit row is in that mode: the per-student maximum says "ever in that mode".
const IN_PERSON: &str = "MAX(CASE WHEN v.mode = 'in_person' THEN 1 ELSE 0 END)";
const CLOUD: &str = "MAX(CASE WHEN v.mode = 'cloud' THEN 1 ELSE 0 END)";

/// One row per reached student: `student_id, city, district, inp, cloud` and, if given, `gid`
/// (an expression on `s` and `cl`). For the whole school the visits are grouped per student
/// first, straight from the index on `visits (campaign_id, student_id, mode, ...)`, and students
/// joined after; when classes are left out, the join comes first so that the database can start
/// from the few classes in scope.
pub fn reached_students(filter: &Filter, scoped: bool, group: Option<&Sql>) -> Sql {
    let mut sql = Sql::new("SELECT x.student_id, s.city, s.district, x.inp, x.cloud");
    if let Some(group) = group {
        sql.push(", ").push_sql(group).push(" AS gid");
    }
    if filter.narrows_classes(scoped) {
        sql.push(&format!(
            " FROM (SELECT v.student_id, {IN_PERSON} AS inp, {CLOUD} AS cloud FROM visits v \
             JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id WHERE v.campaign_id = "
        ));
        sql.bind(filter.campaign_id);
        sql.push_sql(&filter.visit_conditions(scoped));
    } else {
        sql.push(&format!(
            " FROM (SELECT v.student_id, {IN_PERSON} AS inp, {CLOUD} AS cloud FROM visits v WHERE v.campaign_id = "
        ));
        sql.bind(filter.campaign_id);
        sql.push_sql(&filter.own_conditions());
    }
    sql.push(
        " GROUP BY v.student_id) x JOIN students s ON s.id = x.student_id JOIN classes cl ON cl.id = s.class_id \
         WHERE 1 = 1",
    );
    sql.push_sql(&filter.classes(scoped));
    sql
}

/// The aid one visit `v` delivered, summed by the raw figures and the tallies alike: its grant
/// in fen, whether it gave a grant, whether it delivered gifts or a blessing package. `record` is
/// serde_json's compact text of the `VisitRecord`, in which an empty `gifts` is exactly
/// `"gifts":""` (a quote inside another text is escaped, so the pattern never matches there);
/// gifts are free text, so a visit that gave any counts as one package.
pub const AID: [(&str, &str); 3] = [
    ("grant_fen", "COALESCE(v.grant_fen, 0)"),
    ("grants", "CASE WHEN v.grant_fen > 0 THEN 1 ELSE 0 END"),
    ("packages", "CASE WHEN v.record LIKE '%\"gifts\":\"\"%' THEN 0 ELSE 1 END"),
];

/// A student's household: the smallest guardian phone, else the home address, else the student.
pub const HOUSEHOLD_KEY: &str = "COALESCE((SELECT MIN(g.phone) FROM guardians g WHERE g.student_id = s.id \
     AND g.phone IS NOT NULL AND g.phone <> ''), 'a:' || NULLIF(s.address, ''), 's:' || CAST(s.id AS TEXT))";

fn int(row: &sqlx::any::AnyRow, i: usize) -> Result<i64> {
    Ok(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0))
}

pub async fn figures(db: &Db, filter: &Filter) -> Result<(Figures, Vec<AspectCount>)> {
    let mut f = Figures::default();

    let mut sql = Sql::new(
        "SELECT COUNT(*), CAST(SUM(inp) AS BIGINT), CAST(SUM(CASE WHEN inp = 0 AND cloud = 1 THEN 1 ELSE 0 END) AS BIGINT), \
         COUNT(DISTINCT NULLIF(city, '')), \
         COUNT(DISTINCT CASE WHEN district IS NOT NULL AND district <> '' THEN city || '|' || district END) FROM (",
    );
    sql.push_sql(&reached_students(filter, true, None)).push(") x");
    let row = sql.query().fetch_one(&db.read).await?;
    f.students_reached = int(&row, 0)?;
    f.in_person_students = int(&row, 1)?;
    f.cloud_students = int(&row, 2)?;
    f.phone_students = f.students_reached - f.in_person_students - f.cloud_students;
    f.cities = int(&row, 3)?;
    f.regions = int(&row, 4)?;

    let mut sql = Sql::new(&format!("SELECT COUNT(DISTINCT {HOUSEHOLD_KEY})"));
    sql.push_sql(&filter.visits(true)).push(" AND v.mode = 'in_person'");
    f.in_person_households = sql.fetch_scalar(&db.read).await?;

    let mut text = String::from("SELECT COUNT(*)");
    for aspect in Aspect::ALL {
        text.push_str(&format!(
            ", CAST(SUM(CASE WHEN (',' || v.aspects || ',') LIKE '%,{}%' THEN 1 ELSE 0 END) AS BIGINT)",
            format_args!("{},", aspect.code())
        ));
    }
    for (_, expr) in AID {
        text.push_str(&format!(", CAST(SUM({expr}) AS BIGINT)"));
    }
    let mut sql = Sql::new(&text);
    sql.push_sql(&filter.visits_lean());
    let row = sql.query().fetch_one(&db.read).await?;
    f.visits = int(&row, 0)?;
    let mut aspects = Vec::new();
    for (i, aspect) in Aspect::ALL.into_iter().enumerate() {
        aspects.push(AspectCount { aspect: aspect.code().into(), visits: int(&row, i + 1)? });
    }
    let aid = Aspect::ALL.len() + 1;
    (f.grant_fen, f.grants, f.packages) = (int(&row, aid)?, int(&row, aid + 1)?, int(&row, aid + 2)?);

    let mut sql = Sql::new(
        "SELECT CAST(SUM(CASE WHEN f.status = 'open' THEN 1 ELSE 0 END) AS BIGINT), \
         CAST(SUM(CASE WHEN f.status = 'done' THEN 1 ELSE 0 END) AS BIGINT) FROM follow_ups f \
         JOIN visits v ON v.id = f.visit_id JOIN students s ON s.id = v.student_id \
         JOIN classes cl ON cl.id = s.class_id WHERE v.campaign_id = ",
    );
    sql.bind(filter.campaign_id);
    sql.push_sql(&filter.visit_conditions(true));
    let row = sql.query().fetch_one(&db.read).await?;
    f.follow_ups_open = int(&row, 0)?;
    f.follow_ups_done = int(&row, 1)?;

    let mut sql = Sql::new("SELECT COUNT(*) FROM students s JOIN classes cl ON cl.id = s.class_id WHERE 1 = 1");
    sql.push_sql(&filter.classes(true));
    f.students_total = sql.fetch_scalar(&db.read).await?;

    let mut sql = Sql::new("SELECT COUNT(*) FROM classes cl WHERE 1 = 1");
    sql.push_sql(&filter.classes(true));
    f.classes_total = sql.fetch_scalar(&db.read).await?;

    let meetings = |what: &str| {
        let mut sql = Sql::new(what);
        sql.push(" JOIN classes cl ON cl.id = m.class_id WHERE m.campaign_id = ").bind(filter.campaign_id);
        sql.push_sql(&filter.classes(true));
        sql
    };
    let mut held = meetings("SELECT COUNT(DISTINCT m.class_id) FROM meetings m");
    held.push(" AND m.held_at IS NOT NULL");
    f.classes_with_meeting = held.fetch_scalar(&db.read).await?;
    let mut signups = meetings("SELECT COUNT(*) FROM meeting_answers a JOIN meetings m ON m.id = a.meeting_id");
    signups.push(" AND a.answer <> 'absent'");
    f.meeting_signups = signups.fetch_scalar(&db.read).await?;
    let mut present = meetings("SELECT COUNT(*) FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id");
    present.push(" AND t.present = 1");
    f.meeting_attendance = present.fetch_scalar(&db.read).await?;
    Ok((f, aspects))
}
