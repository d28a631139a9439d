//! What the report says about places beyond the dashboard's coverage charts: students from
//! outside the province (their own line, not among the cities) and the districts that have
//! students within scope of whom none was reached (uncovered — a district with no students is
//! not listed, it has no one to visit). Read once per report, from the raw rows.

use sqlx::Row;

use super::super::filter::Filter;
use crate::db::{Db, Sql};
use crate::error::Result;

/// The province the school's students mostly come from; others are "省外".
pub const HOME_PROVINCE: &str = "辽宁省";

/// Students from outside the province within scope, how many were reached and visited in person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutOfProvince {
    pub students: i64,
    pub reached: i64,
    pub in_person: i64,
}

/// A district with students, none of them reached.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Uncovered {
    pub city: String,
    pub district: String,
    pub students: i64,
}

/// ` FROM students s JOIN classes cl LEFT JOIN (reached) r WHERE ...` within scope.
fn students(filter: &Filter) -> Sql {
    let mut sql = Sql::new(
        " FROM students s JOIN classes cl ON cl.id = s.class_id LEFT JOIN (SELECT v.student_id, \
         MAX(CASE WHEN v.mode = 'in_person' THEN 1 ELSE 0 END) AS inp FROM visits v WHERE v.campaign_id = ",
    );
    sql.bind(filter.campaign_id);
    sql.push(" GROUP BY v.student_id) r ON r.student_id = s.id WHERE 1 = 1");
    sql.push_sql(&filter.classes(true));
    sql
}

pub async fn out_of_province(db: &Db, filter: &Filter) -> Result<OutOfProvince> {
    let mut sql = Sql::new("SELECT COUNT(*), COUNT(r.student_id), CAST(COALESCE(SUM(r.inp), 0) AS BIGINT)");
    sql.push_sql(&students(filter));
    sql.push(" AND s.province IS NOT NULL AND s.province <> '' AND s.province <> ").bind(HOME_PROVINCE);
    let row = sql.query().fetch_one(&db.read).await?;
    Ok(OutOfProvince { students: row.try_get(0)?, reached: row.try_get(1)?, in_person: row.try_get(2)? })
}

/// In-province districts with students and none reached, the most students first.
pub async fn uncovered(db: &Db, filter: &Filter) -> Result<Vec<Uncovered>> {
    let mut sql = Sql::new("SELECT COALESCE(s.city, '') AS city, s.district AS district, COUNT(*) AS students");
    sql.push_sql(&students(filter));
    sql.push(
        " AND s.district IS NOT NULL AND s.district <> '' AND (s.province IS NULL OR s.province = '' OR s.province = ",
    );
    sql.bind(HOME_PROVINCE);
    sql.push(") GROUP BY COALESCE(s.city, ''), s.district HAVING COUNT(r.student_id) = 0 ORDER BY 3 DESC, 1, 2");
    Ok(sql.fetch_all(&db.read).await?)
}
