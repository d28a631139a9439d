//! Keeps the dashboard's tallies (migration 0007) in step with the rows they count. A write
//! takes its subject's contribution out first (`sign = -1`), changes the rows, and puts the new
//! contribution back (`sign = 1`), all in the writer's transaction: each contribution is
//! computed from the raw rows by the same queries that fill the tallies from scratch
//! ([`rebuild`], run by the migration), so the two cannot drift apart.
//!
//! Distinct counts (students reached, cities, regions, households) come out right because a
//! subject is always whole: all of a student's visits in a campaign, all of a household's
//! in-person students within a unit. Counters that reach zero stay as zero rows; readers skip them.

use shared::meetings::Attendance;
use shared::Aspect;
use sqlx::AnyConnection;

use super::HOUSEHOLD_KEY;
use crate::db::Sql;

/// Whose contribution to take out or put back.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// Everything: the back-fill.
    All,
    /// The visits and follow-ups of these students in one campaign or in all (then also their
    /// classes' sizes): around visit writes, and around edits of the students or their guardians.
    Students { campaign: Option<i64>, ids: &'a [i64] },
    /// A meeting: its held mark, answers and attendance (around meeting edits).
    Meeting(i64),
    /// One family's answer to a meeting.
    Answer { meeting: i64, student: i64 },
    /// One family's attendance mark.
    Attendance { meeting: i64, student: i64 },
}

/// The tallies whose rows count their changes in `version` (migration 0012): the live
/// dashboard's tag (`super::live`) is made of them. A new row starts at 0 (the rows' count
/// changes then), every change to an existing one adds 1, whether or not a figure moved.
const VERSIONED: [&str; 2] = ["dash_classes", "dash_class_sizes"];

/// `INSERT ... SELECT` that adds `select`'s value columns to the existing rows.
async fn add(conn: &mut AnyConnection, table: &str, keys: &str, values: &[String], select: &Sql) -> sqlx::Result<()> {
    let names = values.join(", ");
    let mut sql = Sql::new(&format!("INSERT INTO {table} ({keys}, {names}) SELECT * FROM ("));
    sql.push_sql(select);
    // `WHERE` keeps SQLite from reading `ON CONFLICT` as a join's `ON`.
    let mut sets: Vec<String> = values.iter().map(|v| format!("{v} = {table}.{v} + excluded.{v}")).collect();
    if VERSIONED.contains(&table) {
        sets.push(format!("version = {table}.version + 1"));
    }
    sql.push(&format!(") q WHERE 1 = 1 ON CONFLICT ({keys}) DO UPDATE SET {}", sets.join(", ")));
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

fn ids(sql: &mut Sql, column: &str, ids: &[i64]) {
    sql.push(&format!(" AND {column} IN ("));
    for (i, id) in ids.iter().enumerate() {
        sql.push(if i == 0 { "" } else { ", " }).bind(*id);
    }
    sql.push(")");
}

/// ` AND ...` on the visit `v` for a subject with visit contributions.
fn visit_cond(subject: Subject) -> Option<Sql> {
    let mut sql = Sql::new("");
    match subject {
        Subject::All => {}
        Subject::Students { campaign, ids: students } => {
            if let Some(id) = campaign {
                sql.push(" AND v.campaign_id = ").bind(id);
            }
            ids(&mut sql, "v.student_id", students);
        }
        _ => return None,
    }
    Some(sql)
}

/// One row per student reached: `campaign_id, student_id, inp, cloud`.
fn reached(cond: &Sql) -> Sql {
    let mut sql = Sql::new(
        "SELECT v.campaign_id, v.student_id, MAX(CASE WHEN v.mode = 'in_person' THEN 1 ELSE 0 END) AS inp, \
         MAX(CASE WHEN v.mode = 'cloud' THEN 1 ELSE 0 END) AS cloud FROM visits v WHERE 1 = 1",
    );
    sql.push_sql(cond).push(" GROUP BY v.campaign_id, v.student_id");
    sql
}

fn n(expr: &str, sign: i64) -> String {
    format!("CAST({expr} AS BIGINT) * {sign}")
}

fn columns(names: &[&str]) -> Vec<String> {
    names.iter().map(|c| c.to_string()).collect()
}

pub fn aspect_column(aspect: Aspect) -> String {
    format!("a_{}", aspect.code())
}

async fn visits(conn: &mut AnyConnection, cond: &Sql, sign: i64) -> sqlx::Result<()> {
    let keys = "campaign_id, class_id";
    let mut sql = Sql::new(&format!(
        "SELECT x.campaign_id, s.class_id, {}, {}, {} FROM (",
        n("COUNT(*)", sign),
        n("SUM(x.inp)", sign),
        n("SUM(CASE WHEN x.inp = 0 AND x.cloud = 1 THEN 1 ELSE 0 END)", sign)
    ));
    sql.push_sql(&reached(cond)).push(") x JOIN students s ON s.id = x.student_id GROUP BY x.campaign_id, s.class_id");
    add(conn, "dash_classes", keys, &columns(&["reached", "in_person", "cloud_only"]), &sql).await?;

    let mut text = format!("SELECT v.campaign_id, s.class_id, {}", n("COUNT(*)", sign));
    let mut names = vec!["visits".to_string()];
    for aspect in Aspect::ALL {
        let like = format!("SUM(CASE WHEN (',' || v.aspects || ',') LIKE '%,{},%' THEN 1 ELSE 0 END)", aspect.code());
        text.push_str(&format!(", {}", n(&like, sign)));
        names.push(aspect_column(aspect));
    }
    for (column, expr) in super::figures::AID {
        text.push_str(&format!(", {}", n(&format!("SUM({expr})"), sign)));
        names.push(column.to_string());
    }
    let mut sql = Sql::new(&text);
    sql.push(" FROM visits v JOIN students s ON s.id = v.student_id WHERE 1 = 1").push_sql(cond);
    sql.push(" GROUP BY v.campaign_id, s.class_id");
    add(conn, "dash_classes", keys, &names, &sql).await?;

    let mut sql = Sql::new(&format!(
        "SELECT v.campaign_id, s.class_id, {}, {} FROM follow_ups f JOIN visits v ON v.id = f.visit_id \
         JOIN students s ON s.id = v.student_id WHERE 1 = 1",
        n("SUM(CASE WHEN f.status = 'open' THEN 1 ELSE 0 END)", sign),
        n("SUM(CASE WHEN f.status = 'done' THEN 1 ELSE 0 END)", sign)
    ));
    sql.push_sql(cond).push(" GROUP BY v.campaign_id, s.class_id");
    add(conn, "dash_classes", keys, &columns(&["follow_ups_open", "follow_ups_done"]), &sql).await?;

    for unit in ["s.class_id", "0"] {
        let mut sql = Sql::new(&format!(
            "SELECT campaign_id, unit, visited_on, mode, {} FROM (SELECT v.campaign_id, {unit} AS unit, \
             v.visited_on, v.mode FROM visits v JOIN students s ON s.id = v.student_id WHERE 1 = 1",
            n("COUNT(*)", sign)
        ));
        sql.push_sql(cond).push(") d GROUP BY campaign_id, unit, visited_on, mode");
        add(conn, "dash_days", "campaign_id, unit, visited_on, mode", &columns(&["visits"]), &sql).await?;

        let mut sql = Sql::new(&format!(
            "SELECT campaign_id, unit, city, district, has_city, {} FROM (SELECT x.campaign_id, {unit} AS unit, \
             COALESCE(s.city, '') AS city, COALESCE(s.district, '') AS district, \
             CASE WHEN s.city IS NULL THEN 0 ELSE 1 END AS has_city FROM (",
            n("COUNT(*)", sign)
        ));
        sql.push_sql(&reached(cond)).push(") x JOIN students s ON s.id = x.student_id) d ");
        sql.push("GROUP BY campaign_id, unit, city, district, has_city");
        let keys = "campaign_id, unit, city, district, has_city";
        add(conn, "dash_areas", keys, &columns(&["students"]), &sql).await?;

        let mut sql = Sql::new(&format!(
            "SELECT campaign_id, unit, household, {} FROM (SELECT x.campaign_id, {unit} AS unit, \
             {HOUSEHOLD_KEY} AS household FROM (",
            n("COUNT(*)", sign)
        ));
        sql.push_sql(&reached(cond)).push(") x JOIN students s ON s.id = x.student_id WHERE x.inp = 1) d ");
        sql.push("GROUP BY campaign_id, unit, household");
        add(conn, "dash_households", "campaign_id, unit, household", &columns(&["students"]), &sql).await?;
    }
    Ok(())
}

async fn class_sizes(conn: &mut AnyConnection, students: Option<&[i64]>, sign: i64) -> sqlx::Result<()> {
    let mut sql = Sql::new(&format!("SELECT s.class_id, {} FROM students s WHERE 1 = 1", n("COUNT(*)", sign)));
    if let Some(students) = students {
        ids(&mut sql, "s.id", students);
    }
    sql.push(" GROUP BY s.class_id");
    add(conn, "dash_class_sizes", "class_id", &columns(&["students"]), &sql).await
}

/// The meeting parts: which ones the subject touches, and the condition on `m` and the row.
async fn meetings(conn: &mut AnyConnection, subject: Subject<'_>, sign: i64) -> sqlx::Result<()> {
    let (meeting, student, parts): (Option<i64>, Option<i64>, [bool; 3]) = match subject {
        Subject::All => (None, None, [true; 3]),
        Subject::Meeting(id) => (Some(id), None, [true; 3]),
        Subject::Answer { meeting, student } => (Some(meeting), Some(student), [false, true, false]),
        Subject::Attendance { meeting, student } => (Some(meeting), Some(student), [false, false, true]),
        Subject::Students { .. } => return Ok(()),
    };
    let sources = [
        ("held", "FROM meetings m WHERE m.held_at IS NOT NULL", None),
        (
            // Keep in step with `signs_up`.
            "signups",
            "FROM meeting_answers a JOIN meetings m ON m.id = a.meeting_id WHERE a.answer <> 'absent'",
            Some("a"),
        ),
        (
            "attendance",
            "FROM meeting_attendance t JOIN meetings m ON m.id = t.meeting_id WHERE t.present = 1",
            Some("t"),
        ),
    ];
    for ((column, from, row), wanted) in sources.into_iter().zip(parts) {
        if !wanted {
            continue;
        }
        let mut sql = Sql::new(&format!("SELECT m.campaign_id, m.class_id, {} {from}", n("COUNT(*)", sign)));
        sql.push(" AND m.campaign_id IS NOT NULL");
        if let Some(id) = meeting {
            sql.push(" AND m.id = ").bind(id);
        }
        if let (Some(id), Some(row)) = (student, row) {
            sql.push(&format!(" AND {row}.student_id = ")).bind(id);
        }
        sql.push(" GROUP BY m.campaign_id, m.class_id");
        add(conn, "dash_classes", "campaign_id, class_id", &columns(&[column]), &sql).await?;
    }
    Ok(())
}

/// Whether a family's answer counts in the `signups` tally (its query's `a.answer <> 'absent'`):
/// a change between two answers that both count, or both do not, leaves the tallies as they are,
/// so the sign-up storm's usual change of mind costs no tally statement at all.
pub fn signs_up(answer: Option<Attendance>) -> bool {
    answer.is_some_and(|a| a != Attendance::Absent)
}

/// Adds (`sign = 1`) or takes out (`sign = -1`) the subject's contribution, on `conn` inside
/// the writer's transaction.
pub async fn apply(conn: &mut AnyConnection, subject: Subject<'_>, sign: i64) -> sqlx::Result<()> {
    if let Subject::Students { ids: [], .. } = subject {
        return Ok(());
    }
    if sign < 0 {
        lock(conn, subject).await?;
    }
    put(conn, subject, sign).await
}

/// As [`apply`], for a caller that holds the subject's lock already (see [`lock`]).
pub async fn put(conn: &mut AnyConnection, subject: Subject<'_>, sign: i64) -> sqlx::Result<()> {
    if let Some(cond) = visit_cond(subject) {
        visits(conn, &cond, sign).await?;
        match subject {
            Subject::All => class_sizes(conn, None, sign).await?,
            Subject::Students { campaign: None, ids } => class_sizes(conn, Some(ids), sign).await?,
            _ => {}
        }
    }
    meetings(conn, subject, sign).await
}

/// Takes the subject's rows' locks before its share is taken out. Taking a share out and
/// putting it back must see the same rows: under PostgreSQL's READ COMMITTED two writers for one
/// subject (the same visit sent twice at once) would otherwise each take out the share they saw
/// before the other committed, and count the other's work twice; with the lock the second
/// waits for the first. On SQLite the single writer connection serialises them already.
async fn lock(conn: &mut AnyConnection, subject: Subject<'_>) -> sqlx::Result<()> {
    let sql = match subject {
        Subject::All => return Ok(()),
        Subject::Students { ids: students, .. } => {
            let mut sql = Sql::new("UPDATE students SET id = id WHERE 1 = 1");
            ids(&mut sql, "id", students);
            sql
        }
        Subject::Meeting(meeting) | Subject::Answer { meeting, .. } | Subject::Attendance { meeting, .. } => {
            let mut sql = Sql::new("UPDATE meetings SET id = id WHERE id = ");
            sql.bind(meeting);
            sql
        }
    };
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

/// Takes a student's whole part out (`-1`) or back in (`1`): around changes to the student's
/// class, city, district, address or guardians, and after a new student is added.
pub async fn student(conn: &mut AnyConnection, id: i64, sign: i64) -> sqlx::Result<()> {
    apply(conn, Subject::Students { campaign: None, ids: &[id] }, sign).await
}

/// Puts in the part of students just inserted: their classes' sizes, nothing else, since a
/// student who did not exist has no visits yet. One statement a batch instead of the dozen a
/// whole student's part takes, which a large import spent most of its time on.
pub async fn new_students(conn: &mut AnyConnection, ids: &[i64]) -> sqlx::Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    class_sizes(conn, Some(ids), 1).await
}

/// Marks the meeting's class row as changed (its `version`) without moving a figure: after a
/// family's feedback, which the dashboard shows but the tallies do not count. Meetings outside
/// a campaign have no row.
pub async fn touch_meeting(conn: &mut AnyConnection, meeting: i64) -> sqlx::Result<()> {
    let mut sql = Sql::new(
        "SELECT m.campaign_id, m.class_id, CAST(0 AS BIGINT) FROM meetings m WHERE m.campaign_id IS NOT NULL AND m.id = ",
    );
    sql.bind(meeting);
    add(conn, "dash_classes", "campaign_id, class_id", &columns(&["held"]), &sql).await
}

/// Fills the tallies from scratch (the migration's back-fill; benchmarks' generator).
pub async fn rebuild(conn: &mut AnyConnection) -> sqlx::Result<()> {
    for table in ["dash_classes", "dash_class_sizes", "dash_days", "dash_areas", "dash_households"] {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *conn).await?;
    }
    apply(conn, Subject::All, 1).await
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// The tables the tallies count, and the store files that may write them: each write there
    /// moves the tally in the same transaction. The demo's generator writes directly and
    /// rebuilds the tallies at the end.
    const COUNTED: &[&str] =
        &["visits", "follow_ups", "students", "guardians", "meetings", "meeting_answers", "meeting_attendance"];
    const STORES: &[&str] = &[
        "visits/store.rs",
        "visits/blank.rs",
        "org/mod.rs",
        "meetings/edit.rs",
        "meetings/seats.rs",
        "meetings/signups.rs",
        "demo/activity.rs",
    ];

    fn sources(dir: &Path, found: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// A write to a counted table outside its store would leave the dashboard wrong until the
    /// next rebuild: every new write path must go through a store function that moves the tally.
    #[test]
    fn only_the_stores_write_counted_tables() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        sources(&root, &mut files);
        let mut strays = Vec::new();
        for (path, text) in &files {
            let relative = path.trim_start_matches(&root.display().to_string()).trim_start_matches('/');
            if STORES.contains(&relative) || relative == "dashboard/tally.rs" {
                continue;
            }
            let text = text.to_lowercase();
            for table in COUNTED {
                for verb in ["insert into", "update", "delete from"] {
                    // `update x set` and `insert into x (`/`delete from x where`: the table as a whole word.
                    for follow in [" set", " (", " where", " values", " select"] {
                        if text.contains(&format!("{verb} {table}{follow}")) {
                            strays.push(format!("{relative}: {verb} {table}"));
                        }
                    }
                }
            }
        }
        assert!(strays.is_empty(), "counted tables written outside their stores: {strays:?}");
        assert!(files.len() > 50, "the sources were not found under {}", root.display());
    }
}
