//! Issue 15, item 6: the live dashboard's cost. 200 dashboards open at once, each asking every
//! 3 s whether its figures changed (`GET /api/campaigns/{id}/summary` with `If-None-Match`, as
//! the page does), for 30 s, against the release server on SQLite with a school of 1,000
//! students and 1,500 visits. Two runs: quiet (nothing written: every answer after the first
//! is a 304 from the tag alone) and busy (a visit stored every second, so nearly every poll
//! finds a change and computes the whole summary, which is also what polling without an ETag
//! would cost all the time). Figures: requests per second, the share of 304s, latency, and the
//! process's CPU time and peak memory. The server and the 200 clients share one process (the
//! test harness runs the server in-process), so the CPU time is an upper bound for the server.

use std::time::{Duration, Instant};

use anyhow::{ensure, Result};
use shared::VisitMode;
use tests::TestApp;

use crate::load::Conn;
use crate::report::{Budget, Figure};
use crate::Ctx;

const GROUP: &str = "live dashboard (SQLite)";
const PERIOD: Duration = Duration::from_millis(3000);

struct Size {
    dashboards: usize,
    duration: Duration,
    classes: usize,
    families: usize,
}

const FULL: Size = Size { dashboards: 200, duration: Duration::from_secs(30), classes: 20, families: 50 };
const QUICK: Size = Size { dashboards: 20, duration: Duration::from_secs(4), classes: 2, families: 10 };

/// Process CPU time (user + system) and peak resident memory.
fn usage() -> (Duration, f64) {
    // SAFETY: getrusage only writes the struct it is given.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) };
    let t = |tv: libc::timeval| Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64);
    (t(u.ru_utime) + t(u.ru_stime), u.ru_maxrss as f64 / 1024.0)
}

#[derive(Default)]
struct Polls {
    changed: u64,
    unchanged: u64,
    failed: u64,
    latencies: Vec<u32>,
}

/// One dashboard: polls every `PERIOD` (starting at a random point of the first period) with
/// the tag of the summary it holds, until `deadline`.
async fn dashboard(
    address: String,
    cookie: String,
    path: String,
    offset: Duration,
    deadline: Instant,
) -> Result<Polls> {
    let mut conn = Conn::open(&address).await?;
    let mut polls = Polls::default();
    let mut tag: Option<String> = None;
    let mut next = Instant::now() + offset;
    while next < deadline {
        tokio::time::sleep_until(next.into()).await;
        next += PERIOD;
        let mut headers = vec![("cookie", cookie.as_str())];
        if let Some(tag) = &tag {
            headers.push(("if-none-match", tag.as_str()));
        }
        let sent = Instant::now();
        let response = conn.send(conn.request("GET", &path, &headers, Vec::new())).await?;
        polls.latencies.push(sent.elapsed().as_micros().min(u128::from(u32::MAX)) as u32);
        match response.status().as_u16() {
            200 => {
                polls.changed += 1;
                tag = response.headers().get("etag").and_then(|v| v.to_str().ok()).map(str::to_string);
            }
            304 => polls.unchanged += 1,
            _ => polls.failed += 1,
        }
    }
    Ok(polls)
}

async fn school(app: &TestApp, size: &Size) -> Result<(i64, String, Vec<(i64, i64)>)> {
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    let college = school.colleges[0].id;
    let author = school.colleges[0].classes[0].counselor.id;
    let mut students = Vec::new();
    for c in 0..size.classes {
        let class = app.add_class(college, &format!("2023 级 {} 班", c + 1), None, None).await;
        students.extend(app.add_families(class, &format!("L{c:03}-"), size.families).await);
    }
    let modes = [VisitMode::InPerson, VisitMode::Cloud, VisitMode::Phone];
    let cities = ["沈阳市", "大连市", "鞍山市"];
    for (i, id) in students.iter().enumerate() {
        if i % 4 == 0 {
            app.set_home(*id, cities[i % 3], Some("和平区"), &format!("1390000{i:04}")).await;
        }
    }
    for (i, id) in students.iter().enumerate().take(students.len() * 3 / 4) {
        let date = format!("2024-01-{:02}", 15 + i % 10);
        app.add_visit(campaign, *id, author, modes[i % 3], &date).await;
        if i % 2 == 0 {
            app.add_visit(campaign, *id, author, modes[(i + 1) % 3], &date).await;
        }
    }
    let response = app.login(&reqwest::Client::new(), &school.admin.username, &school.admin.password).await;
    ensure!(response.status().is_success(), "signing in: {}", response.status());
    let cookie = tests::cookie_pair(&tests::set_cookie(&response));
    let later: Vec<(i64, i64)> = students.iter().skip(students.len() * 3 / 4).map(|s| (*s, author.get())).collect();
    Ok((campaign, cookie, later))
}

struct Run {
    polls: Polls,
    elapsed: Duration,
    cpu: Duration,
    peak_mib: f64,
    written: usize,
}

async fn run_once(
    app: &TestApp,
    size: &Size,
    campaign: i64,
    cookie: &str,
    writes: Option<&[(i64, i64)]>,
) -> Result<Run> {
    let path = format!("/api/campaigns/{campaign}/summary");
    let started = Instant::now();
    let deadline = started + size.duration;
    let (cpu_before, _) = usage();
    let mut tasks = Vec::new();
    for i in 0..size.dashboards {
        let offset = PERIOD.mul_f64(i as f64 / size.dashboards as f64);
        tasks.push(tokio::spawn(dashboard(app.address.clone(), cookie.to_string(), path.clone(), offset, deadline)));
    }
    let mut written = 0;
    if let Some(writes) = writes {
        // A visit a second, through the store the API uses.
        let mut next = Instant::now();
        for (student, author) in writes {
            if Instant::now() + Duration::from_secs(1) >= deadline {
                break;
            }
            next += Duration::from_secs(1);
            tokio::time::sleep_until(next.into()).await;
            app.add_visit(campaign, *student, *author, VisitMode::Cloud, "2024-01-28").await;
            written += 1;
        }
    }
    let mut polls = Polls::default();
    for task in tasks {
        let p = task.await??;
        polls.changed += p.changed;
        polls.unchanged += p.unchanged;
        polls.failed += p.failed;
        polls.latencies.extend(p.latencies);
    }
    let elapsed = started.elapsed();
    let (cpu_after, peak_mib) = usage();
    polls.latencies.sort_unstable();
    ensure!(polls.failed == 0, "{} polls failed", polls.failed);
    Ok(Run { polls, elapsed, cpu: cpu_after - cpu_before, peak_mib, written })
}

fn quantile_ms(latencies: &[u32], q: f64) -> f64 {
    if latencies.is_empty() {
        return f64::NAN;
    }
    f64::from(latencies[((latencies.len() - 1) as f64 * q).round() as usize]) / 1000.0
}

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    let size = if ctx.quick { &QUICK } else { &FULL };
    let app = tests::spawn_app_on(None, |_| {}).await;
    let (campaign, cookie, later) = school(&app, size).await?;
    let mut figures = Vec::new();
    for (label, writes) in [("quiet", None), ("busy, a visit a second", Some(later.as_slice()))] {
        let run = run_once(&app, size, campaign, &cookie, writes).await?;
        let total = run.polls.changed + run.polls.unchanged;
        let per_s = total as f64 / run.elapsed.as_secs_f64();
        let cpu_share = run.cpu.as_secs_f64() / run.elapsed.as_secs_f64();
        let conditions = format!(
            "{} dashboards polling every {:.0} s for {:.0} s; {} full answers (200), {} unchanged (304); {} visits \
             written; school of {} students",
            size.dashboards,
            PERIOD.as_secs_f64(),
            run.elapsed.as_secs_f64(),
            run.polls.changed,
            run.polls.unchanged,
            run.written,
            size.classes * size.families + 12
        );
        let judged = !ctx.quick;
        figures.push(Figure::new(GROUP, &format!("{label}: requests per second"), per_s, "/s").note(conditions));
        figures.push(Figure::new(
            GROUP,
            &format!("{label}: share answered 304"),
            run.polls.unchanged as f64 / total.max(1) as f64,
            "ratio",
        ));
        figures.push(
            Figure::new(GROUP, &format!("{label}: process CPU (server + 200 clients), cores busy"), cpu_share, "cores")
                .budget(if judged { Budget::at_most(0.5) } else { None })
                .note(format!(
                    "{:.1} s of CPU in {:.1} s; {:.2} ms of CPU a request",
                    run.cpu.as_secs_f64(),
                    run.elapsed.as_secs_f64(),
                    run.cpu.as_secs_f64() * 1000.0 / total.max(1) as f64
                )),
        );
        figures.push(Figure::new(
            GROUP,
            &format!("{label}: poll latency p50"),
            quantile_ms(&run.polls.latencies, 0.5),
            "ms",
        ));
        figures.push(
            Figure::new(GROUP, &format!("{label}: poll latency p99"), quantile_ms(&run.polls.latencies, 0.99), "ms")
                .budget(if judged { Budget::at_most(250.0) } else { None }),
        );
        figures.push(Figure::new(GROUP, &format!("{label}: peak process memory"), run.peak_mib, "MiB"));
    }
    app.stop().await;
    Ok(figures)
}
