//! The dashboard read from the tallies (see [`super::tally`]): used when the caller filters by
//! organisation and scope only (no mode, no dates), which is what the dashboard opens with. Each
//! query sums at most one row per class (or per class and key); the whole school's keyed
//! figures read the school's own rows (`unit = 0`). Results equal the raw queries'
//! ([`super::figures`], [`super::breakdown`]) exactly; tests/tests/api/dashboard_tallies.rs checks.

use std::collections::HashMap;

use shared::dashboard::{AreaCount, AspectCount, DayCount, Figures, GroupRow, MeetingRow};
use shared::Aspect;
use sqlx::Row;

use super::breakdown::{area_count, DayRow, GroupAgg, MeetingAgg};
use super::filter::Filter;
use super::tally::aspect_column;
use crate::auth::Scope;
use crate::db::{Db, Sql};
use crate::error::Result;

fn int(row: &sqlx::any::AnyRow, i: usize) -> Result<i64> {
    Ok(row.try_get::<Option<i64>, _>(i)?.unwrap_or(0))
}

/// ` FROM {table} d ... WHERE d.campaign_id = $ AND ...`: the school's rows, or the rows of the
/// classes within the filters (and the scope, if `scoped`).
fn keyed(table: &str, filter: &Filter, scoped: bool) -> Sql {
    let mut sql = Sql::new(&format!(" FROM {table} d"));
    if filter.narrows_classes(scoped) {
        sql.push(" JOIN classes cl ON cl.id = d.unit WHERE d.campaign_id = ").bind(filter.campaign_id);
        sql.push(" AND d.unit <> 0").push_sql(&filter.classes(scoped));
    } else {
        sql.push(" WHERE d.unit = 0 AND d.campaign_id = ").bind(filter.campaign_id);
    }
    sql
}

/// ` FROM dash_classes d JOIN classes cl ... WHERE ...` within filters and scope.
fn classes(filter: &Filter) -> Sql {
    let mut sql = Sql::new(" FROM dash_classes d JOIN classes cl ON cl.id = d.class_id WHERE d.campaign_id = ");
    sql.bind(filter.campaign_id).push_sql(&filter.classes(true));
    sql
}

pub async fn figures(db: &Db, filter: &Filter) -> Result<(Figures, Vec<AspectCount>)> {
    let mut f = Figures::default();
    let mut text = String::from(
        "SELECT CAST(SUM(d.reached) AS BIGINT), CAST(SUM(d.in_person) AS BIGINT), CAST(SUM(d.cloud_only) AS BIGINT), \
         CAST(SUM(d.visits) AS BIGINT), CAST(SUM(d.follow_ups_open) AS BIGINT), CAST(SUM(d.follow_ups_done) AS BIGINT), \
         CAST(SUM(CASE WHEN d.held > 0 THEN 1 ELSE 0 END) AS BIGINT), CAST(SUM(d.signups) AS BIGINT), \
         CAST(SUM(d.attendance) AS BIGINT)",
    );
    for aspect in Aspect::ALL {
        text.push_str(&format!(", CAST(SUM(d.{}) AS BIGINT)", aspect_column(aspect)));
    }
    for (column, _) in super::figures::AID {
        text.push_str(&format!(", CAST(SUM(d.{column}) AS BIGINT)"));
    }
    let mut sql = Sql::new(&text);
    sql.push_sql(&classes(filter));
    let row = sql.query().fetch_one(&db.read).await?;
    f.students_reached = int(&row, 0)?;
    f.in_person_students = int(&row, 1)?;
    f.cloud_students = int(&row, 2)?;
    f.phone_students = f.students_reached - f.in_person_students - f.cloud_students;
    f.visits = int(&row, 3)?;
    f.follow_ups_open = int(&row, 4)?;
    f.follow_ups_done = int(&row, 5)?;
    f.classes_with_meeting = int(&row, 6)?;
    f.meeting_signups = int(&row, 7)?;
    f.meeting_attendance = int(&row, 8)?;
    let mut aspects = Vec::new();
    for (i, aspect) in Aspect::ALL.into_iter().enumerate() {
        aspects.push(AspectCount { aspect: aspect.code().into(), visits: int(&row, i + 9)? });
    }
    let aid = Aspect::ALL.len() + 9;
    (f.grant_fen, f.grants, f.packages) = (int(&row, aid)?, int(&row, aid + 1)?, int(&row, aid + 2)?);

    let mut sql = Sql::new(
        "SELECT COUNT(DISTINCT CASE WHEN d.city <> '' THEN d.city END), COUNT(DISTINCT CASE WHEN d.district <> '' \
         AND d.has_city = 1 THEN d.city || '|' || d.district END)",
    );
    sql.push_sql(&keyed("dash_areas", filter, true)).push(" AND d.students > 0");
    let row = sql.query().fetch_one(&db.read).await?;
    f.cities = int(&row, 0)?;
    f.regions = int(&row, 1)?;

    let mut sql = Sql::new("SELECT COUNT(DISTINCT d.household)");
    sql.push_sql(&keyed("dash_households", filter, true)).push(" AND d.students > 0");
    f.in_person_households = sql.fetch_scalar(&db.read).await?;

    let mut sql = Sql::new(
        "SELECT CAST(COALESCE(SUM(z.students), 0) AS BIGINT) FROM dash_class_sizes z \
         JOIN classes cl ON cl.id = z.class_id WHERE 1 = 1",
    );
    sql.push_sql(&filter.classes(true));
    f.students_total = sql.fetch_scalar(&db.read).await?;

    let mut sql = Sql::new("SELECT COUNT(*) FROM classes cl WHERE 1 = 1");
    sql.push_sql(&filter.classes(true));
    f.classes_total = sql.fetch_scalar(&db.read).await?;
    Ok((f, aspects))
}

pub async fn by_day(db: &Db, filter: &Filter) -> Result<Vec<DayCount>> {
    let mut sql = Sql::new("SELECT d.visited_on AS date, d.mode AS mode, CAST(SUM(d.visits) AS BIGINT) AS visits");
    sql.push_sql(&keyed("dash_days", filter, true));
    sql.push(" GROUP BY d.visited_on, d.mode HAVING SUM(d.visits) > 0 ORDER BY d.visited_on, d.mode");
    let rows: Vec<DayRow> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(DayCount::from).collect())
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    city: String,
    district: String,
    students: i64,
}

async fn areas(db: &Db, filter: &Filter, by_district: bool, scoped: bool, ordered: bool) -> Result<Vec<AreaRow>> {
    let district = if by_district { "d.district" } else { "''" };
    let mut sql = Sql::new(&format!(
        "SELECT d.city AS city, {district} AS district, CAST(SUM(d.students) AS BIGINT) AS students"
    ));
    sql.push_sql(&keyed("dash_areas", filter, scoped));
    // PostgreSQL refuses a constant in GROUP BY: group city rows by the city alone.
    let group = if by_district { ", d.district" } else { "" };
    sql.push(&format!(" GROUP BY d.city{group} HAVING SUM(d.students) > 0"));
    if ordered {
        sql.push(" ORDER BY 3 DESC, 1, 2");
    }
    Ok(sql.fetch_all(&db.read).await?)
}

/// As [`super::breakdown::by_area`]: totals over the whole school within the filters, small
/// counts hidden unless every student behind them is in the caller's scope.
pub async fn by_area(db: &Db, filter: &Filter, by_district: bool) -> Result<Vec<AreaCount>> {
    let totals = areas(db, filter, by_district, false, true).await?;
    let mine: Option<HashMap<(String, String), i64>> = if filter.scope != Scope::All {
        let rows = areas(db, filter, by_district, true, false).await?;
        Some(rows.into_iter().map(|r| ((r.city, r.district), r.students)).collect())
    } else {
        None
    };
    Ok(totals
        .into_iter()
        .map(|r| {
            let all_mine = match &mine {
                None => true,
                Some(mine) => mine.get(&(r.city.clone(), r.district.clone())) == Some(&r.students),
            };
            area_count(r.city, r.district, r.students, all_mine)
        })
        .collect())
}

pub async fn meetings_by_college(db: &Db, filter: &Filter) -> Result<Vec<MeetingRow>> {
    let mut sql = Sql::new(
        "SELECT co.id AS college_id, co.name AS college, COUNT(*) AS classes, \
         CAST(SUM(CASE WHEN d.held > 0 THEN 1 ELSE 0 END) AS BIGINT) AS held, \
         CAST(SUM(COALESCE(d.signups, 0)) AS BIGINT) AS signups, \
         CAST(SUM(COALESCE(d.attendance, 0)) AS BIGINT) AS attendance \
         FROM classes cl JOIN colleges co ON co.id = cl.college_id \
         LEFT JOIN dash_classes d ON d.class_id = cl.id AND d.campaign_id = ",
    );
    sql.bind(filter.campaign_id).push(" WHERE 1 = 1").push_sql(&filter.classes(true));
    sql.push(" GROUP BY co.id, co.name ORDER BY co.id");
    let rows: Vec<MeetingAgg> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(MeetingRow::from).collect())
}

/// As [`super::breakdown::by_group`].
pub async fn by_group(db: &Db, filter: &Filter, by_counselor: bool) -> Result<Vec<GroupRow>> {
    let (key, names, name) =
        if by_counselor { ("cl.counselor_id", "users", "display_name") } else { ("cl.college_id", "colleges", "name") };
    let mut sql = Sql::new(&format!(
        "SELECT n.id AS id, n.{name} AS name, st.students AS students, r.reached AS reached, \
         r.in_person AS in_person, r.cloud AS cloud, r.follow_ups_open AS follow_ups_open, \
         r.grant_fen AS grant_fen, r.packages AS packages FROM \
         (SELECT {key} AS gid, CAST(SUM(z.students) AS BIGINT) AS students FROM dash_class_sizes z \
          JOIN classes cl ON cl.id = z.class_id WHERE {key} IS NOT NULL"
    ));
    sql.push_sql(&filter.classes(true));
    sql.push(&format!(
        " GROUP BY {key} HAVING SUM(z.students) > 0) st JOIN {names} n ON n.id = st.gid LEFT JOIN \
         (SELECT {key} AS gid, CAST(SUM(d.reached) AS BIGINT) AS reached, CAST(SUM(d.in_person) AS BIGINT) AS in_person, \
         CAST(SUM(d.cloud_only) AS BIGINT) AS cloud, CAST(SUM(d.follow_ups_open) AS BIGINT) AS follow_ups_open, \
         CAST(SUM(d.grant_fen) AS BIGINT) AS grant_fen, CAST(SUM(d.packages) AS BIGINT) AS packages"
    ));
    sql.push_sql(&classes(filter));
    sql.push(&format!(" GROUP BY {key}) r ON r.gid = st.gid ORDER BY n.id"));
    let rows: Vec<GroupAgg> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(GroupRow::from).collect())
}
