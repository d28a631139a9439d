//! The demo campaigns' activity: the finished winter campaign 2024年寒假家访 reproduces the
//! school's reported figures exactly — 2,184 students reached = 91 in person (91 households) +
//! 2,093 by cloud visit, in 11 cities and 49 districts, a held parents' meeting in all 252
//! classes — and a current campaign is under way around the day the demo is loaded: visits this
//! week, meetings held last week and parents' meetings in the coming days with families still to
//! answer. Deterministic apart from those dates (own seed).

use std::collections::HashSet;

use chrono::{Duration, NaiveDate};
use shared::visits::{NewFollowUp, NewVisit, VisitRecord};
use shared::{Aspect, VisitMode};
use sqlx::AnyConnection;

use super::{Rng, CITIES};
use crate::db::{Param, Sql};
use crate::visits::store;

pub const WINTER_REACHED: usize = 2184;
pub const WINTER_IN_PERSON: usize = 91;
pub const WINTER_CITIES: usize = 11;
pub const WINTER_REGIONS: usize = 49;

#[derive(sqlx::FromRow, Clone)]
struct Student {
    id: i64,
    city: String,
    district: String,
    class_id: i64,
    counselor_id: i64,
    guardian_id: i64,
}

/// The 49 districts of the winter campaign: round-robin over the first eleven cities' lists.
fn winter_regions() -> Vec<(&'static str, &'static str)> {
    let cities = &CITIES[..WINTER_CITIES];
    let mut regions = Vec::new();
    for round in 0.. {
        for (city, districts) in cities {
            if regions.len() == WINTER_REGIONS {
                return regions;
            }
            if let Some(d) = districts.get(round) {
                regions.push((*city, *d));
            }
        }
        if round > 20 {
            break;
        }
    }
    regions
}

fn day(start: &str, offset: usize) -> String {
    let start = NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap_or_default();
    (start + Duration::days(offset as i64)).format("%Y-%m-%d").to_string()
}

/// Today in the school's time zone (UTC+8).
pub fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

/// The current campaign around `today`: its name by season (e.g. 2026年冬季家访), first and
/// last day — begun two weeks ago, six weeks to go.
pub fn current_campaign(today: NaiveDate) -> (String, String, String) {
    use chrono::Datelike;
    let season = match today.month() {
        3..=5 => "春季",
        6..=8 => "夏季",
        9..=11 => "秋季",
        _ => "冬季",
    };
    let name = format!("{}年{season}家访", today.year());
    let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
    (name, date(today - Duration::days(14)), date(today + Duration::days(42)))
}

/// 19:00 in Shanghai, `offset` days from `today`, in unix seconds.
fn evening(today: NaiveDate, offset: i64) -> i64 {
    (today + Duration::days(offset)).and_hms_opt(11, 0, 0).map(|t| t.and_utc().timestamp()).unwrap_or_default()
}

fn aspects(rng: &mut Rng) -> Vec<Aspect> {
    let picked: Vec<Aspect> = Aspect::ALL.into_iter().filter(|_| rng.below(3) == 0).collect();
    if picked.is_empty() {
        vec![*rng.pick(&Aspect::ALL)]
    } else {
        picked
    }
}

async fn campaign(conn: &mut AnyConnection, status: &str) -> anyhow::Result<i64> {
    Ok(sqlx::query_scalar("SELECT id FROM campaigns WHERE status = $1").bind(status).fetch_one(&mut *conn).await?)
}

/// Which of a campaign's meetings took place: every n-th (all with 1); `NotYet` for
/// meetings still to come, where only some families have answered yet.
#[derive(Clone, Copy)]
enum Held {
    Every(usize),
    NotYet,
}

struct VisitSpec<'a> {
    campaign_id: i64,
    student: &'a Student,
    mode: VisitMode,
    date: String,
    follow_up: Option<String>,
}

async fn visit(conn: &mut AnyConnection, rng: &mut Rng, n: &mut u64, spec: VisitSpec<'_>) -> anyhow::Result<()> {
    *n += 1;
    let s = spec.student;
    let follow_ups = spec
        .follow_up
        .map(|what| vec![NewFollowUp { what, owner_id: s.counselor_id.into(), due_on: spec.date.clone() }])
        .unwrap_or_default();
    // Families visited at home receive the school's new-year blessing package; every fifth of
    // them a hardship grant of 500 yuan, so the demo's aid totals are not empty.
    let at_home = spec.mode == VisitMode::InPerson;
    let record = VisitRecord {
        gifts: if at_home { "新春祝福包 1 份".into() } else { String::new() },
        grant_fen: (at_home && n.is_multiple_of(5)).then_some(50_000),
        date: spec.date,
        mode: spec.mode,
        duration_min: Some(20 + rng.below(60) as i64),
        family_present: vec!["父亲".into(), "母亲".into()][..1 + rng.below(2)].to_vec(),
        aspects: aspects(rng),
        notes: "（演示数据）".into(),
        ..VisitRecord::default()
    };
    let new = NewVisit {
        client_id: format!("demo-{}-{n:06}", spec.campaign_id),
        campaign_id: spec.campaign_id.into(),
        student_id: s.id.into(),
        plan_id: None,
        record,
        follow_ups,
        addressed: Vec::new(),
    };
    store::insert(conn, s.counselor_id.into(), &new).await?;
    Ok(())
}

/// Multi-row INSERTs, 200 rows a statement.
async fn insert_rows(conn: &mut AnyConnection, head: &str, rows: Vec<Vec<Param>>) -> anyhow::Result<()> {
    for chunk in rows.chunks(200) {
        let mut sql = Sql::new(head);
        for (i, row) in chunk.iter().enumerate() {
            sql.push(if i == 0 { " (" } else { ", (" });
            for (j, value) in row.iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.bind(value.clone());
            }
            sql.push(")");
        }
        sql.query().execute(&mut *conn).await?;
    }
    Ok(())
}

/// One meeting per class of `students`, the first at `start` (unix seconds) and the others on
/// the following days; families answer, and are marked present at held meetings.
async fn meetings(
    conn: &mut AnyConnection,
    rng: &mut Rng,
    campaign_id: i64,
    students: &[Student],
    start: i64,
    held: Held,
) -> anyhow::Result<()> {
    let answered_at_most = crate::db::now();
    let mut classes: Vec<(i64, i64)> = students.iter().map(|s| (s.class_id, s.counselor_id)).collect();
    classes.dedup();
    let mut answers = Vec::new();
    let mut present = Vec::new();
    for (i, (class_id, counselor_id)) in classes.iter().enumerate() {
        let (starts_at, held_at) = match held {
            Held::Every(n) => {
                let starts_at = start + (i as i64 % 10) * 86_400;
                (starts_at, (i % n == 0).then_some(starts_at + 7_200))
            }
            Held::NotYet => (start + (i as i64 % 5) * 86_400, None),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (class_id, campaign_id, theme, description, starts_at, ends_at, place, online_url, \
             per_family, capacity, signup_deadline, held_at, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, '', $4, $5, $6, NULL, 2, 200, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(*class_id)
        .bind(campaign_id)
        .bind("家校携手 共育英才")
        .bind(starts_at)
        .bind(starts_at + 7_200)
        .bind("教学楼 A101")
        .bind(starts_at - 86_400)
        .bind(held_at)
        .bind(*counselor_id)
        .bind(starts_at - 14 * 86_400)
        .fetch_one(&mut *conn)
        .await?;
        let mut taken = 0i64;
        for (seq, s) in students.iter().filter(|s| s.class_id == *class_id).enumerate() {
            // Before a meeting, fewer than half the families have answered yet.
            if matches!(held, Held::NotYet) && rng.below(10) >= 4 {
                continue;
            }
            let answer = match rng.below(20) {
                0..=7 => "in_person",
                8..=15 => "online",
                16 => "absent",
                _ => continue,
            };
            let seats = i64::from(answer == "in_person");
            taken += seats;
            let at = (starts_at - 3 * 86_400).min(answered_at_most);
            answers.push(vec![
                Param::Int(id),
                Param::Int(s.id),
                Param::Int(s.guardian_id),
                Param::Text(answer.into()),
                Param::Int(1),
                Param::Int(seats),
                Param::Text("confirmed".into()),
                Param::Int(seq as i64 + 1),
                Param::Int(at),
                Param::Int(at),
            ]);
            if held_at.is_some() && answer != "absent" {
                let here = i64::from(rng.below(10) > 0);
                present.push(vec![Param::Int(id), Param::Int(s.id), Param::Int(here), Param::Int(*counselor_id)]);
            }
        }
        sqlx::query("UPDATE meetings SET seats_taken = $1, queue_counter = $2 WHERE id = $3")
            .bind(taken)
            .bind(answers.len() as i64)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    insert_rows(
        conn,
        "INSERT INTO meeting_answers (meeting_id, student_id, guardian_id, answer, people, seats, status, queue_seq, \
         created_at, updated_at) VALUES",
        answers,
    )
    .await?;
    let at = (start + 86_400 * 10).min(answered_at_most);
    let present = present
        .into_iter()
        .map(|mut p| {
            p.push(Param::Int(at));
            p
        })
        .collect();
    insert_rows(
        conn,
        "INSERT INTO meeting_attendance (meeting_id, student_id, present, marked_by, marked_at) VALUES",
        present,
    )
    .await
}

/// The campaigns' visits, meetings and answers; `today` places the current campaign's.
pub async fn load(conn: &mut AnyConnection, today: NaiveDate) -> anyhow::Result<()> {
    let mut rng = Rng::new(2024_0226);
    let students: Vec<Student> = sqlx::query_as(
        // A join, not a subquery per student: inside the loading transaction PostgreSQL has no
        // statistics yet and would scan the guardians once per student.
        "SELECT s.id, COALESCE(s.city, '') AS city, COALESCE(s.district, '') AS district, s.class_id, \
         cl.counselor_id, g.guardian_id FROM students s JOIN classes cl ON cl.id = s.class_id \
         JOIN (SELECT student_id, MIN(id) AS guardian_id FROM guardians GROUP BY student_id) g ON g.student_id = s.id \
         ORDER BY s.class_id, s.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    let winter = campaign(conn, "closed").await?;
    let current = campaign(conn, "active").await?;

    // Winter: one student in each of the 49 districts first, then every other eligible student
    // in turn until 2,184; every 24th of them is visited in person, the rest by cloud.
    let regions = winter_regions();
    let eligible: Vec<&Student> =
        students.iter().filter(|s| regions.contains(&(s.city.as_str(), s.district.as_str()))).collect();
    let mut chosen: Vec<&Student> = Vec::new();
    for (city, district) in &regions {
        if let Some(s) = eligible.iter().find(|s| s.city == *city && s.district == *district) {
            chosen.push(s);
        }
    }
    let mut taken: HashSet<i64> = chosen.iter().map(|s| s.id).collect();
    while chosen.len() < WINTER_REACHED.min(eligible.len()) {
        for s in &eligible {
            if chosen.len() == WINTER_REACHED {
                break;
            }
            if !taken.contains(&s.id) && rng.below(5) < 2 {
                taken.insert(s.id);
                chosen.push(s);
            }
        }
    }
    let mut n = 0u64;
    for (i, s) in chosen.iter().enumerate() {
        let in_person = i % 24 == 5 && i / 24 < WINTER_IN_PERSON;
        let mode = if in_person { VisitMode::InPerson } else { VisitMode::Cloud };
        let follow_up = (in_person || i % 40 == 0).then(|| "跟进学生寒假学习计划".to_string());
        let date = day("2024-01-15", rng.below(42));
        visit(conn, &mut rng, &mut n, VisitSpec { campaign_id: winter, student: s, mode, date, follow_up }).await?;
        // Some families are called twice: they still count once.
        if i % 30 == 7 {
            let date = day("2024-01-15", rng.below(42));
            let spec = VisitSpec { campaign_id: winter, student: s, mode: VisitMode::Cloud, date, follow_up: None };
            visit(conn, &mut rng, &mut n, spec).await?;
        }
    }
    sqlx::query(
        "UPDATE follow_ups SET status = 'done', done_at = created_at \
         WHERE id % 4 <> 0 AND visit_id IN (SELECT id FROM visits WHERE campaign_id = $1)",
    )
    .bind(winter)
    .execute(&mut *conn)
    .await?;
    super::teams::leaders_on_winter_visits(conn, winter).await?;
    let winter_meetings = NaiveDate::from_ymd_opt(2024, 1, 20).unwrap_or_default();
    meetings(conn, &mut rng, winter, &students, evening(winter_meetings, 0), Held::Every(1)).await?;

    // The current campaign, under way: visits in every mode over the last two weeks (half of
    // them this week), meetings held last week, and meetings in the coming days.
    let mut n = 0u64;
    for (i, s) in students.iter().enumerate().filter(|(i, _)| i % 23 == 3) {
        let mode = [VisitMode::Cloud, VisitMode::Cloud, VisitMode::InPerson, VisitMode::Phone][i % 4];
        let follow_up = (i % 3 == 0).then(|| "联系家长确认假期安排".to_string());
        let days_ago = if i % 2 == 0 { rng.below(7) } else { 7 + rng.below(7) };
        let date = (today - Duration::days(days_ago as i64)).format("%Y-%m-%d").to_string();
        visit(conn, &mut rng, &mut n, VisitSpec { campaign_id: current, student: s, mode, date, follow_up }).await?;
    }
    // Some of the current campaign's follow-ups are referred to the school's services (no tally
    // counts the department).
    for (department, rest) in [("counselling", 1), ("financial_aid", 2), ("career", 3)] {
        sqlx::query(
            "UPDATE follow_ups SET department = $1 \
             WHERE id % 7 = $2 AND visit_id IN (SELECT id FROM visits WHERE campaign_id = $3)",
        )
        .bind(department)
        .bind(rest as i64)
        .bind(current)
        .execute(&mut *conn)
        .await?;
    }
    let held: Vec<Student> = students.iter().filter(|s| s.class_id % 3 == 0).cloned().collect();
    meetings(conn, &mut rng, current, &held, evening(today, -12), Held::Every(3)).await?;
    let coming: Vec<Student> = students.iter().filter(|s| s.class_id % 3 == 1).cloned().collect();
    meetings(conn, &mut rng, current, &coming, evening(today, 2), Held::NotYet).await?;
    // Meetings, answers and follow-ups above go in as bulk rows: count them all once.
    crate::dashboard::tally::rebuild(conn).await?;
    Ok(())
}
