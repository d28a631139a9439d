//! Issue 8, item 4: the dashboard at scale on SQLite. A generator makes 1,000,000 students,
//! 3,000,000 visits (2,000,000 in the measured campaign, the rest in the next one) and
//! 10,000,000 meeting answers (ten meetings a class, every family answers), then fills the
//! tallies with the migration's own back-fill. Timed through the store functions the handler
//! calls (`dashboard::summary`, and `dashboard::chart` for each of its queries), on the read
//! pool, p50 of several runs: the whole school, one college, one counselor; the baseline is
//! `SELECT count(*) FROM visits` in the same run. The database is cached under
//! `target/bench/` by generator version; `--quick` makes one a thousand times smaller.

use std::time::Instant;

use anyhow::{Context, Result};
use backend::auth::Scope;
use backend::dashboard::{self, Chart};
use backend::Db;
use shared::dashboard::SummaryQuery;

use crate::report::{Budget, Figure};
use crate::Ctx;

/// Bump when the generated data changes: a cached database of another version is remade.
const VERSION: u32 = 1;
const GROUP: &str = "dashboard (SQLite)";
const BUDGET_MS: f64 = 100.0;

const CITIES: &str = "('沈阳市'),('大连市'),('鞍山市'),('抚顺市'),('本溪市'),('丹东市'),('锦州市'),('营口市'),\
    ('阜新市'),('辽阳市'),('盘锦市'),('铁岭市'),('朝阳市'),('葫芦岛市')";

fn seq(n: i64) -> String {
    format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) ")
}

/// Sizes: students (250 a class, 200 classes a college, 6 a counselor), three visits a student.
fn statements(students: i64) -> Vec<String> {
    let classes = students / 250;
    let colleges = (classes / 200).max(1);
    let counselors = (classes / 6).max(1);
    let visits = students * 3;
    let first = visits * 2 / 3;
    vec![
        format!("{}INSERT INTO colleges (id, name, created_at) SELECT i, '学院' || i, 0 FROM n", seq(colleges)),
        format!(
            "{}INSERT INTO users (id, username, display_name, role, college_id, created_at) \
             SELECT i, 'c' || i, '辅导员' || i, 'counselor', (i - 1) * {colleges} / {counselors} + 1, 0 FROM n",
            seq(counselors)
        ),
        format!(
            "{}INSERT INTO classes (id, college_id, name, counselor_id) SELECT i, (i - 1) * {colleges} / {classes} + 1, \
             '班' || i, (i - 1) * {counselors} / {classes} + 1 FROM n",
            seq(classes)
        ),
        "CREATE TEMP TABLE cities (k INTEGER PRIMARY KEY, name TEXT)".into(),
        format!("INSERT INTO cities (name) VALUES {CITIES}"),
        format!(
            "{}INSERT INTO students (id, student_no, name, class_id, city, district, address, updated_at) \
             SELECT i, 'S' || i, '学生' || i, (i - 1) / 250 + 1, (SELECT name FROM cities WHERE k = i % 14 + 1), \
             CASE WHEN i % 50 = 0 THEN NULL ELSE '区' || (i % 9) END, '路' || i || '号', 0 FROM n",
            seq(students)
        ),
        // Two students per phone: siblings.
        format!(
            "{}INSERT INTO guardians (id, student_id, position, name, relation, phone) \
             SELECT i, i, 0, '家长' || i, '父亲', '139' || substr('00000000' || (i / 2), -8, 8) FROM n",
            seq(students)
        ),
        "INSERT INTO campaigns (id, name, starts_on, ends_on, status, target_students, created_at) VALUES \
         (1, '寒假', '2024-01-15', '2024-02-25', 'closed', 500000, 0), \
         (2, '暑假', '2024-07-10', '2024-08-31', 'active', 500000, 0)"
            .into(),
        format!(
            "{}INSERT INTO visits (client_id, campaign_id, student_id, author_id, visited_on, mode, aspects, record, \
             created_at, updated_at) SELECT 'c' || i, CASE WHEN i <= {first} THEN 1 ELSE 2 END, \
             (i * 7919) % {students} + 1, i % {counselors} + 1, date('2024-01-15', '+' || (i % 40) || ' days'), \
             CASE i % 10 WHEN 0 THEN 'in_person' WHEN 1 THEN 'phone' ELSE 'cloud' END, \
             CASE i % 3 WHEN 0 THEN 'academic,career' WHEN 1 THEN 'financial_aid' ELSE 'mental_health,employment' END, \
             '{{}}', 0, 0 FROM n",
            seq(visits)
        ),
        "INSERT INTO follow_ups (visit_id, what, owner_id, due_on, status, created_at) \
         SELECT id, '跟进', author_id, visited_on, CASE WHEN id % 3 = 0 THEN 'open' ELSE 'done' END, 0 \
         FROM visits WHERE id % 10 = 0"
            .into(),
        // Ten meetings a class in the measured campaign, all but every 20th class's held.
        format!(
            "{}INSERT INTO meetings (class_id, campaign_id, theme, starts_at, ends_at, per_family, capacity, \
             signup_deadline, held_at, created_at, updated_at) SELECT (i - 1) % {classes} + 1, 1, '家长会', 0, 1, 2, 300, 0, \
             CASE WHEN i % 20 = 0 THEN NULL ELSE 1 END, 0, 0 FROM n",
            seq(classes * 10)
        ),
        "INSERT INTO meeting_answers (meeting_id, student_id, guardian_id, answer, people, seats, status, queue_seq, \
         created_at, updated_at) SELECT m.id, s.id, s.id, CASE WHEN s.id % 7 = 0 THEN 'absent' ELSE 'online' END, \
         1, 0, 'confirmed', s.id, 0, 0 FROM meetings m JOIN students s ON s.class_id = m.class_id"
            .into(),
        "INSERT INTO meeting_attendance (meeting_id, student_id, present, marked_at) \
         SELECT meeting_id, student_id, 1, 0 FROM meeting_answers WHERE answer <> 'absent' AND student_id % 9 = 0"
            .into(),
    ]
}

/// The cached database for these sizes, made if missing; returns it and a note on its making.
async fn database(ctx: &Ctx, students: i64) -> Result<(Db, String)> {
    std::fs::create_dir_all(&ctx.out)?;
    let path = ctx.out.join(format!("dashboard-v{VERSION}-{students}.db"));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    if path.exists() {
        let db = Db::connect(&url).await?;
        db.migrate().await?;
        return Ok((db, format!("cached database {}", path.display())));
    }
    let partial = path.with_extension("partial");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", partial.display()));
    }
    let started = Instant::now();
    let db = Db::connect(&format!("sqlite://{}?mode=rwc", partial.display())).await?;
    db.migrate().await?;
    let rebuilt = {
        let mut conn = db.write.acquire().await?;
        sqlx::query("PRAGMA synchronous = OFF").execute(&mut *conn).await?;
        sqlx::query("PRAGMA cache_size = -262144").execute(&mut *conn).await?;
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        for sql in statements(students) {
            let step = Instant::now();
            let what: String = sql[sql.find("INSERT").unwrap_or(0)..].chars().take(40).collect();
            sqlx::query(&sql).execute(&mut *tx).await.with_context(|| what.clone())?;
            eprintln!("bench:   {:.1} s: {what}", step.elapsed().as_secs_f64());
        }
        let step = Instant::now();
        dashboard::tally::rebuild(&mut tx).await.context("filling the tallies")?;
        let rebuilt = step.elapsed().as_secs_f64();
        tx.commit().await?;
        sqlx::query("ANALYZE").execute(&mut *conn).await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
        rebuilt
    };
    db.close().await;
    std::fs::rename(&partial, &path)?;
    let note = format!("generated in {:.0} s (tallies: {rebuilt:.0} s)", started.elapsed().as_secs_f64());
    eprintln!("bench:   {note}");
    let db = Db::connect(&url).await?;
    Ok((db, note))
}

/// The median of `runs` timings of `f`, in milliseconds (one warm-up run first).
async fn p50<F, Fut>(runs: usize, mut f: F) -> Result<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    f().await?;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        f().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    let students: i64 = if ctx.quick { 1_000 } else { 1_000_000 };
    let (db, made) = database(ctx, students).await?;
    let count = |table: &'static str| {
        let db = &db;
        async move { sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&db.read).await }
    };
    let sizes = format!(
        "{} students, {} visits, {} meeting answers; {made}",
        count("students").await?,
        count("visits").await?,
        count("meeting_answers").await?
    );
    let runs = if ctx.quick { 3 } else { 7 };
    let baseline = p50(runs, || async {
        count("visits").await?;
        Ok(())
    })
    .await?;
    let budget = if ctx.quick { None } else { Budget::at_most(BUDGET_MS) };
    let mut figures =
        vec![Figure::new(GROUP, "baseline: SELECT count(*) FROM visits, p50", baseline, "ms").note(&sizes)];
    let (college, counselor) = if ctx.quick { (1, 1) } else { (3, 42) };
    let query = SummaryQuery::default();
    for (label, scope) in [
        ("whole school", Scope::All),
        ("one college", Scope::College(college)),
        ("one counselor", Scope::Counselor(counselor)),
    ] {
        let ms = p50(runs, || async {
            dashboard::summary(&db, shared::CampaignId(1), &query, scope).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            Ok(())
        })
        .await?;
        let ratio = format!("SELECT count(*) FROM visits: {baseline:.1} ms");
        figures.push(
            Figure::new(GROUP, &format!("campaign summary, {label}, p50"), ms, "ms")
                .budget(budget.clone())
                .ratio(ms / baseline, ratio.clone())
                .note("GET /api/campaigns/{id}/summary's store function, both campaigns' figures"),
        );
        for chart in Chart::ALL {
            let ms = p50(runs, || async {
                dashboard::chart(&db, 1, &query, scope, chart).await.map_err(|e| anyhow::anyhow!("{e}"))?;
                Ok(())
            })
            .await?;
            figures.push(
                Figure::new(GROUP, &format!("{}, {label}, p50", chart.name()), ms, "ms")
                    .budget(budget.clone())
                    .ratio(ms / baseline, ratio.clone()),
            );
        }
    }
    db.close().await;
    Ok(figures)
}
