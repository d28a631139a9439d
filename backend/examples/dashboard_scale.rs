//! Times the campaign summary at scale on SQLite: 1,000,000 students, 3,000,000 visits (2,000,000
//! in the measured campaign), 4,000 classes with held meetings. Not part of the test suite:
//! `cargo run --release -p backend --example dashboard_scale [-- /tmp/scale.db]`.

use std::time::Instant;

use backend::auth::Scope;
use backend::Db;
use shared::dashboard::SummaryQuery;

const CITIES: &str = "('沈阳市'),('大连市'),('鞍山市'),('抚顺市'),('本溪市'),('丹东市'),('锦州市'),('营口市'),\
    ('阜新市'),('辽阳市'),('盘锦市'),('铁岭市'),('朝阳市'),('葫芦岛市')";

fn seq(n: i64) -> String {
    format!("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) ")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let path = std::env::args().nth(1).unwrap_or_else(|| "/tmp/jiafang-scale.db".into());
    let url = format!("sqlite://{path}?mode=rwc");
    let fresh = !std::path::Path::new(&path).exists();
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    if fresh {
        let started = Instant::now();
        let statements = [
            format!("{}INSERT INTO colleges (id, name, created_at) SELECT i, '学院' || i, 0 FROM n", seq(20)),
            format!(
                "{}INSERT INTO users (id, username, display_name, role, college_id, created_at) \
                 SELECT i, 'c' || i, '辅导员' || i, 'counselor', (i - 1) / 34 + 1, 0 FROM n",
                seq(680)
            ),
            format!(
                "{}INSERT INTO classes (id, college_id, name, counselor_id) SELECT i, (i - 1) / 200 + 1, '班' || i, \
                 (i - 1) / 6 + 1 FROM n",
                seq(4000)
            ),
            "CREATE TEMP TABLE cities (k INTEGER PRIMARY KEY, name TEXT)".into(),
            format!("INSERT INTO cities (name) VALUES {CITIES}"),
            format!(
                "{}INSERT INTO students (id, student_no, name, class_id, city, district, address, updated_at) \
                 SELECT i, 'S' || i, '学生' || i, (i - 1) / 250 + 1, (SELECT name FROM cities WHERE k = i % 14 + 1), \
                 CASE WHEN i % 50 = 0 THEN NULL ELSE '区' || (i % 9) END, '路' || i || '号', 0 FROM n",
                seq(1_000_000)
            ),
            // Two students per phone: siblings.
            format!(
                "{}INSERT INTO guardians (student_id, position, name, relation, phone) \
                 SELECT i, 0, '家长' || i, '父亲', '139' || substr('00000000' || (i / 2), -8, 8) FROM n",
                seq(1_000_000)
            ),
            "INSERT INTO campaigns (id, name, starts_on, ends_on, status, target_students, created_at) VALUES \
             (1, '寒假', '2024-01-15', '2024-02-25', 'closed', 500000, 0), \
             (2, '暑假', '2024-07-10', '2024-08-31', 'active', 500000, 0)"
                .into(),
            format!(
                "{}INSERT INTO visits (client_id, campaign_id, student_id, author_id, visited_on, mode, aspects, record, \
                 created_at, updated_at) SELECT 'c' || i, CASE WHEN i <= 2000000 THEN 1 ELSE 2 END, \
                 (i * 7919) % 1000000 + 1, i % 680 + 1, date('2024-01-15', '+' || (i % 40) || ' days'), \
                 CASE i % 10 WHEN 0 THEN 'in_person' WHEN 1 THEN 'phone' ELSE 'cloud' END, \
                 CASE i % 3 WHEN 0 THEN 'academic,career' WHEN 1 THEN 'financial_aid' ELSE 'mental_health,employment' END, \
                 '{{}}', 0, 0 FROM n",
                seq(3_000_000)
            ),
            "INSERT INTO follow_ups (visit_id, what, owner_id, due_on, status, created_at) \
             SELECT id, '跟进', author_id, visited_on, CASE WHEN id % 3 = 0 THEN 'open' ELSE 'done' END, 0 \
             FROM visits WHERE id % 10 = 0"
                .into(),
            format!(
                "{}INSERT INTO meetings (class_id, campaign_id, theme, starts_at, ends_at, per_family, capacity, \
                 signup_deadline, held_at, created_at, updated_at) SELECT i, 1, '家长会', 0, 1, 2, 300, 0, \
                 CASE WHEN i % 20 = 0 THEN NULL ELSE 1 END, 0, 0 FROM n",
                seq(4000)
            ),
            "INSERT INTO meeting_answers (meeting_id, student_id, guardian_id, answer, people, seats, status, queue_seq, \
             created_at, updated_at) SELECT m.id, s.id, s.id, CASE WHEN s.id % 7 = 0 THEN 'absent' ELSE 'online' END, \
             1, 0, 'confirmed', s.id, 0, 0 FROM students s JOIN meetings m ON m.class_id = s.class_id WHERE s.id % 2 = 0"
                .into(),
            "INSERT INTO meeting_attendance (meeting_id, student_id, present, marked_at) \
             SELECT meeting_id, student_id, 1, 0 FROM meeting_answers WHERE answer <> 'absent' AND student_id % 3 = 0"
                .into(),
            "ANALYZE".into(),
        ];
        let mut conn = db.write.acquire().await?;
        for sql in statements {
            sqlx::query(&sql).execute(&mut *conn).await?;
        }
        println!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    for (label, scope, query) in [
        ("whole school", Scope::All, SummaryQuery::default()),
        ("one college", Scope::College(3), SummaryQuery::default()),
        ("one counselor", Scope::Counselor(42), SummaryQuery::default()),
        (
            "whole school, cloud, ten days",
            Scope::All,
            SummaryQuery {
                mode: Some("cloud".into()),
                from: Some("2024-01-20".into()),
                to: Some("2024-01-29".into()),
                ..SummaryQuery::default()
            },
        ),
    ] {
        let started = Instant::now();
        let s = backend::api::dashboard::summary(&db, 1, &query, scope).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!(
            "{label}: {:.2} s — reached {}, households {}, regions {}, visits {} (previous campaign included: {})",
            started.elapsed().as_secs_f64(),
            s.figures.students_reached,
            s.figures.in_person_households,
            s.figures.regions,
            s.figures.visits,
            s.previous.is_some()
        );
    }
    Ok(())
}
