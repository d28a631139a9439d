//! The dashboard's charts and tables: visits per day, coverage by city and district (small
//! counts suppressed), meetings by college and the tables by college and by counselor.

use shared::dashboard::{AreaCount, DayCount, GroupRow, MeetingRow, SMALL_COUNT};

use super::figures::{reached_students, AID};
use super::filter::Filter;
use crate::db::{Db, Sql};
use crate::error::Result;

/// A day's visits in one mode, from the raw rows or the tallies.
#[derive(sqlx::FromRow)]
pub(super) struct DayRow {
    date: String,
    mode: String,
    visits: i64,
}

impl From<DayRow> for DayCount {
    fn from(r: DayRow) -> DayCount {
        DayCount { date: r.date, mode: r.mode, visits: r.visits }
    }
}

/// An area's count as the caller may see it: below five it is hidden unless every student
/// behind it is in the caller's scope (`all_mine`), so the true number never leaves the server.
pub(super) fn area_count(city: String, district: String, total: i64, all_mine: bool) -> AreaCount {
    let visible = total >= SMALL_COUNT || all_mine;
    AreaCount { city, district, students: visible.then_some(total) }
}

pub async fn by_day(db: &Db, filter: &Filter) -> Result<Vec<DayCount>> {
    let mut sql = Sql::new("SELECT v.visited_on AS date, v.mode AS mode, COUNT(*) AS visits");
    sql.push_sql(&filter.visits_lean()).push(" GROUP BY v.visited_on, v.mode ORDER BY v.visited_on, v.mode");
    let rows: Vec<DayRow> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(DayCount::from).collect())
}

#[derive(sqlx::FromRow)]
struct AreaRow {
    city: String,
    district: String,
    total: i64,
    mine: Option<i64>,
}

/// Students reached per city (`by_district = false`) or per city and district, across the whole
/// school within the filters. A count below five is `None` unless every student behind it is
/// in the caller's scope: the true number never leaves the server.
pub async fn by_area(db: &Db, filter: &Filter, by_district: bool) -> Result<Vec<AreaCount>> {
    let district = if by_district { "COALESCE(district, '')" } else { "''" };
    let mut mine = Sql::new("CASE WHEN 1 = 1");
    filter.scope.restrict(&mut mine, "cl");
    mine.push(" THEN 1 ELSE 0 END");
    let mut sql = Sql::new(&format!(
        "SELECT COALESCE(city, '') AS city, {district} AS district, COUNT(*) AS total, \
         CAST(SUM(gid) AS BIGINT) AS mine FROM ("
    ));
    sql.push_sql(&reached_students(filter, false, Some(&mine)));
    // PostgreSQL refuses a constant in GROUP BY: group city rows by the city alone.
    let group = if by_district { ", COALESCE(district, '')" } else { "" };
    sql.push(&format!(") x GROUP BY COALESCE(city, ''){group} ORDER BY 3 DESC, 1, 2"));
    let rows: Vec<AreaRow> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(|r| area_count(r.city, r.district, r.total, r.mine == Some(r.total))).collect())
}

/// A row of the meetings-by-college query, from raw rows or from the tallies alike.
#[derive(sqlx::FromRow)]
pub(super) struct MeetingAgg {
    college_id: i64,
    college: String,
    classes: i64,
    held: Option<i64>,
    signups: Option<i64>,
    attendance: Option<i64>,
}

impl From<MeetingAgg> for MeetingRow {
    fn from(r: MeetingAgg) -> MeetingRow {
        MeetingRow {
            college_id: r.college_id,
            college: r.college,
            classes: r.classes,
            held: r.held.unwrap_or(0),
            signups: r.signups.unwrap_or(0),
            attendance: r.attendance.unwrap_or(0),
        }
    }
}

pub async fn meetings_by_college(db: &Db, filter: &Filter) -> Result<Vec<MeetingRow>> {
    let mut sql = Sql::new(
        "SELECT co.id AS college_id, co.name AS college, COUNT(*) AS classes, \
         CAST(SUM(COALESCE(mm.held, 0)) AS BIGINT) AS held, CAST(SUM(COALESCE(sa.n, 0)) AS BIGINT) AS signups, \
         CAST(SUM(COALESCE(pr.n, 0)) AS BIGINT) AS attendance \
         FROM classes cl JOIN colleges co ON co.id = cl.college_id \
         LEFT JOIN (SELECT m.class_id, MAX(CASE WHEN m.held_at IS NOT NULL THEN 1 ELSE 0 END) AS held \
           FROM meetings m WHERE m.campaign_id = ",
    );
    sql.bind(filter.campaign_id);
    sql.push(
        " GROUP BY m.class_id) mm ON mm.class_id = cl.id \
         LEFT JOIN (SELECT m.class_id, COUNT(*) AS n FROM meeting_answers a JOIN meetings m ON m.id = a.meeting_id \
           WHERE a.answer <> 'absent' AND m.campaign_id = ",
    )
    .bind(filter.campaign_id);
    sql.push(
        " GROUP BY m.class_id) sa ON sa.class_id = cl.id \
         LEFT JOIN (SELECT m.class_id, COUNT(*) AS n FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id \
           WHERE t.present = 1 AND m.campaign_id = ",
    )
    .bind(filter.campaign_id);
    sql.push(" GROUP BY m.class_id) pr ON pr.class_id = cl.id WHERE 1 = 1");
    sql.push_sql(&filter.classes(true));
    sql.push(" GROUP BY co.id, co.name ORDER BY co.id");
    let rows: Vec<MeetingAgg> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(MeetingRow::from).collect())
}

/// A row of the table by college or by counselor, from raw rows or from the tallies alike.
#[derive(sqlx::FromRow)]
pub(super) struct GroupAgg {
    id: i64,
    name: String,
    students: i64,
    reached: Option<i64>,
    in_person: Option<i64>,
    cloud: Option<i64>,
    follow_ups_open: Option<i64>,
    grant_fen: Option<i64>,
    packages: Option<i64>,
}

impl From<GroupAgg> for GroupRow {
    fn from(r: GroupAgg) -> GroupRow {
        GroupRow {
            id: r.id,
            name: r.name,
            students: r.students,
            reached: r.reached.unwrap_or(0),
            in_person: r.in_person.unwrap_or(0),
            cloud: r.cloud.unwrap_or(0),
            follow_ups_open: r.follow_ups_open.unwrap_or(0),
            grant_fen: r.grant_fen.unwrap_or(0),
            packages: r.packages.unwrap_or(0),
        }
    }
}

/// The table by college (`cl.college_id`, names from `colleges`) or by counselor
/// (`cl.counselor_id`, names from `users`).
pub async fn by_group(db: &Db, filter: &Filter, by_counselor: bool) -> Result<Vec<GroupRow>> {
    let (key, names, name) =
        if by_counselor { ("cl.counselor_id", "users", "display_name") } else { ("cl.college_id", "colleges", "name") };
    let mut sql = Sql::new(&format!(
        "SELECT n.id AS id, n.{name} AS name, st.students AS students, r.reached AS reached, \
         r.in_person AS in_person, r.cloud AS cloud, fu.n AS follow_ups_open, \
         aid.grant_fen AS grant_fen, aid.packages AS packages FROM \
         (SELECT {key} AS gid, COUNT(*) AS students FROM students s JOIN classes cl ON cl.id = s.class_id \
          WHERE {key} IS NOT NULL"
    ));
    sql.push_sql(&filter.classes(true));
    sql.push(&format!(" GROUP BY {key}) st JOIN {names} n ON n.id = st.gid LEFT JOIN (SELECT gid, COUNT(*) AS reached, \
         CAST(SUM(inp) AS BIGINT) AS in_person, CAST(SUM(CASE WHEN inp = 0 AND cloud = 1 THEN 1 ELSE 0 END) AS BIGINT) AS cloud \
         FROM ("));
    sql.push_sql(&reached_students(filter, true, Some(&Sql::new(key))));
    sql.push(") x GROUP BY gid) r ON r.gid = st.gid LEFT JOIN (SELECT ");
    sql.push(&format!(
        "{key} AS gid, COUNT(*) AS n FROM follow_ups f JOIN visits v ON v.id = f.visit_id \
         JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id WHERE f.status = 'open' \
         AND v.campaign_id = "
    ));
    sql.bind(filter.campaign_id);
    sql.push_sql(&filter.visit_conditions(true));
    let [(_, grant), _, (_, packages)] = AID;
    sql.push(&format!(
        " GROUP BY {key}) fu ON fu.gid = st.gid LEFT JOIN (SELECT {key} AS gid, \
         CAST(SUM({grant}) AS BIGINT) AS grant_fen, CAST(SUM({packages}) AS BIGINT) AS packages"
    ));
    sql.push_sql(&filter.visits(true));
    sql.push(&format!(" GROUP BY {key}) aid ON aid.gid = st.gid ORDER BY n.id"));
    let rows: Vec<GroupAgg> = sql.fetch_all(&db.read).await?;
    Ok(rows.into_iter().map(GroupRow::from).collect())
}
