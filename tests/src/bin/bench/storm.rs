//! Sign-up storm (issues 8 and 18): thousands of families, each with its own family session
//! opened beforehand through its personal link, keep changing their answers to their class
//! meeting — in person (1 or 2 people), online or not coming — so seats are given back and the
//! waitlist moves, against the release server as a process of its own: on SQLite, on PostgreSQL,
//! and on PostgreSQL with two instances sharing the database. The load is Debian's `wrk` with a
//! Lua script rotating the families' cookies (`storm.lua`): a well-kept generator in C, so the
//! figures are not the generator's own. The same connections then ask `GET /api/health`, the
//! baseline. Afterwards no meeting may seat more than its capacity, and the seats taken must be
//! exactly the seats of the confirmed answers. The server's peak memory (VmHWM) is reported.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, ensure, Context, Result};
use serde::Deserialize;
use tests::meetings::{meeting_input, token_of};
use tests::TestApp;

use crate::load::Conn;
use crate::report::{Budget, Figure};
use crate::Ctx;

struct Size {
    classes: usize,
    families: usize,
    /// Seats per meeting: fewer than the families who would come, so the waitlist is used.
    capacity: i64,
    connections: usize,
    duration: Duration,
}

const FULL: Size =
    Size { classes: 40, families: 100, capacity: 80, connections: 64, duration: Duration::from_secs(15) };
const QUICK: Size = Size { classes: 4, families: 25, capacity: 20, connections: 16, duration: Duration::from_secs(2) };

const SCRIPT: &str = include_str!("storm.lua");

/// The budgets of issue 18, per database.
struct Budgets {
    per_second: f64,
    p99_ms: f64,
}

const SQLITE: Budgets = Budgets { per_second: 3_000.0, p99_ms: 50.0 };
const POSTGRES: Budgets = Budgets { per_second: 2_500.0, p99_ms: 80.0 };

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    let mut figures = storm(ctx, None, 1, "storm (SQLite)", &SQLITE).await.context("on SQLite")?;
    match std::env::var("JIAFANG_BENCH_POSTGRES").ok().filter(|u| !u.is_empty()) {
        Some(url) => {
            figures.extend(storm(ctx, Some(&url), 1, "storm (PostgreSQL)", &POSTGRES).await.context("on PostgreSQL")?);
            let group = "storm (PostgreSQL, two instances)";
            figures.extend(storm(ctx, Some(&url), 2, group, &POSTGRES).await.context("on PostgreSQL, two instances")?);
        }
        None => eprintln!("bench: storm: JIAFANG_BENCH_POSTGRES is not set, PostgreSQL skipped"),
    }
    Ok(figures)
}

/// The server binary beside this one: `cargo xtask bench` builds both in the same profile.
fn server_binary() -> Result<PathBuf> {
    let binary = std::env::current_exe()?.with_file_name("jiafang-under-test");
    ensure!(binary.exists(), "{} is not built (cargo build -p tests --bin jiafang-under-test)", binary.display());
    Ok(binary)
}

async fn storm(
    ctx: &Ctx,
    postgres: Option<&str>,
    instances: usize,
    group: &str,
    budgets: &Budgets,
) -> Result<Vec<Figure>> {
    let size = if ctx.quick { &QUICK } else { &FULL };
    // Sign-up limits count only failed tries at a link (unknown tokens, wrong identification);
    // every family here enters with a good link, so the defaults stay as they are.
    let mut app = tests::spawn_app_on(postgres, |_| {}).await;
    let (cookies, meetings) = families(&app, size).await?;
    app.stop_server().await;
    let binary = server_binary()?;
    let binary = binary.to_str().context("the binary's path is not UTF-8")?;
    let mut servers = Vec::new();
    for _ in 0..instances {
        servers.push(app.another_process(binary).await);
    }
    let dir = ctx.out.join("storm");
    std::fs::create_dir_all(&dir)?;
    let script = dir.join("storm.lua");
    std::fs::write(&script, SCRIPT)?;
    // The families split between the instances, the connections too.
    let share = cookies.len().div_ceil(instances);
    let mut cookie_files = Vec::new();
    for (i, part) in cookies.chunks(share).enumerate() {
        let file = dir.join(format!("cookies-{i}.txt"));
        std::fs::write(&file, part.join("\n"))?;
        cookie_files.push(file);
    }
    let connections = size.connections / instances;
    let answers = wrk_all(&servers, &script, &cookie_files, "answer", connections, size.duration)?;
    let health = wrk_all(&servers, &script, &cookie_files, "health", connections, size.duration)?;
    let peak_mb: f64 = servers.iter().filter_map(|(s, _)| s.peak_rss_mb()).fold(0.0, f64::max);
    drop(servers);
    check_seats(&app, &meetings).await?;
    app.stop().await;
    let judged = !ctx.quick;
    Ok(figures(group, size, instances, cookies.len(), &answers, &health, peak_mb, judged.then_some(budgets)))
}

/// What one wrk run printed from `storm.lua`'s `done`.
#[derive(Debug, Deserialize, Default)]
struct Wrk {
    requests: u64,
    duration_us: u64,
    status_errors: u64,
    socket_errors: u64,
    p50_us: u64,
    p99_us: u64,
}

impl Wrk {
    fn ok_per_second(&self) -> f64 {
        self.requests.saturating_sub(self.status_errors) as f64 / (self.duration_us as f64 / 1e6)
    }
}

/// One wrk per server at once (its own families, its share of the connections), summed; the
/// latencies are the slowest instance's.
fn wrk_all(
    servers: &[(tests::process::ServerProcess, String)],
    script: &Path,
    cookie_files: &[PathBuf],
    mode: &str,
    connections: usize,
    duration: Duration,
) -> Result<Wrk> {
    // wrk's threads share the two cores with the servers; one thread per instance, at least two in all.
    let threads = if servers.len() == 1 { 2 } else { 1 };
    let children = servers
        .iter()
        .zip(cookie_files)
        .map(|((_, address), cookies)| {
            Command::new("wrk")
                .arg(format!("-t{threads}"))
                .arg(format!("-c{connections}"))
                .arg(format!("-d{}s", duration.as_secs().max(1)))
                .args(["--timeout", "10s", "-s"])
                .arg(script)
                .arg(address)
                .arg("--")
                .arg(cookies)
                .arg(mode)
                .arg(threads.to_string())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .context("starting wrk (Debian's package `wrk`; `cargo xtask bench` installs it)")
        })
        .collect::<Result<Vec<_>>>()?;
    let mut total = Wrk::default();
    for child in children {
        let output = child.wait_with_output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        ensure!(output.status.success(), "wrk failed: {stdout}{}", String::from_utf8_lossy(&output.stderr));
        let line = stdout
            .lines()
            .rev()
            .find(|l| l.starts_with('{'))
            .with_context(|| format!("no figures from wrk: {stdout}"))?;
        let run: Wrk = serde_json::from_str(line)?;
        total.requests += run.requests;
        total.duration_us = total.duration_us.max(run.duration_us);
        total.status_errors += run.status_errors;
        total.socket_errors += run.socket_errors;
        total.p50_us = total.p50_us.max(run.p50_us);
        total.p99_us = total.p99_us.max(run.p99_us);
    }
    if total.requests <= total.status_errors {
        bail!("no {mode} request succeeded: {total:?}");
    }
    Ok(total)
}

/// A class of `families` per meeting, its meeting and links, and a family session per family:
/// the `Cookie` header of each, and the meetings' ids.
async fn families(app: &TestApp, size: &Size) -> Result<(Vec<String>, Vec<i64>)> {
    let admin = app.add_account("admin", shared::Role::Admin, None).await;
    let staff = app.signed_in(&admin).await;
    let college = app.add_college("文学院").await;
    let mut tokens = Vec::new();
    let mut meetings = Vec::new();
    for c in 0..size.classes {
        let class_id = app.add_class(college, &format!("2023 级 {} 班", c + 1), None, None).await;
        app.add_families(class_id, &format!("C{c:03}-"), size.families).await;
        let meeting = app.create_meeting(&staff, &meeting_input(class_id, size.capacity, 2)).await;
        meetings.push(meeting.id.get());
        let links = app.issue_links(&staff, meeting.id).await;
        tokens.extend(links.families.iter().filter_map(|l| l.url.as_deref()).map(token_of));
    }
    ensure!(
        tokens.len() == size.classes * size.families,
        "{} links for {} families",
        tokens.len(),
        size.classes * size.families
    );
    Ok((enter(app, tokens, size.connections).await?, meetings))
}

/// Opens every family's link (`POST /api/family/enter`) over a few connections at once.
async fn enter(app: &TestApp, tokens: Vec<String>, connections: usize) -> Result<Vec<String>> {
    let tokens = Arc::new(tokens);
    let mut tasks = Vec::new();
    for start in 0..connections.min(tokens.len()) {
        let (tokens, address) = (tokens.clone(), app.address.clone());
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::open(&address).await?;
            let mut cookies = Vec::new();
            for i in (start..tokens.len()).step_by(connections) {
                let body = serde_json::to_vec(&serde_json::json!({ "token": tokens[i] }))?;
                let response = conn.send(conn.request("POST", "/api/family/enter", &[], body)).await?;
                ensure!(response.status().is_success(), "entering: {}", response.status());
                let cookie = response.headers().get("set-cookie").context("no family cookie")?.to_str()?;
                cookies.push((i, tests::cookie_pair(cookie)));
            }
            anyhow::Ok(cookies)
        }));
    }
    let mut cookies = vec![String::new(); tokens.len()];
    for task in tasks {
        for (i, cookie) in task.await?? {
            cookies[i] = cookie;
        }
    }
    Ok(cookies)
}

/// Nothing over capacity, and the seats taken add up to the confirmed answers' seats.
async fn check_seats(app: &TestApp, meetings: &[i64]) -> Result<()> {
    for id in meetings {
        let (taken, capacity): (i64, i64) = sqlx::query_as("SELECT seats_taken, capacity FROM meetings WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.read)
            .await?;
        let seated: i64 = sqlx::query_scalar(
            "SELECT CAST(COALESCE(SUM(seats), 0) AS BIGINT) FROM meeting_answers WHERE meeting_id = $1 AND status = 'confirmed'",
        )
        .bind(id)
        .fetch_one(&app.db.read)
        .await?;
        if taken > capacity || taken != seated {
            bail!("meeting {id}: {taken} seats taken of {capacity}, confirmed answers hold {seated}");
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn figures(
    group: &str,
    size: &Size,
    instances: usize,
    families: usize,
    answers: &Wrk,
    health: &Wrk,
    peak_mb: f64,
    budgets: Option<&Budgets>,
) -> Vec<Figure> {
    let per_s = answers.ok_per_second();
    let health_per_s = health.ok_per_second();
    let ms = |us: u64| us as f64 / 1000.0;
    let conditions = format!(
        "{families} families with their own family sessions in {} classes ({} seats per meeting), each request a \
         family changing its answer; wrk, {} keep-alive connections for {:.1} s over {instances} server \
         instance(s); refused (status ≥ 400): {}, socket errors: {}",
        size.classes,
        size.capacity,
        size.connections,
        answers.duration_us as f64 / 1e6,
        answers.status_errors,
        answers.socket_errors
    );
    let baseline = format!("GET /api/health with the same connections: {health_per_s:.0}/s");
    vec![
        Figure::new(group, "accepted answers per second", per_s, "/s")
            .budget(budgets.and_then(|b| Budget::at_least(b.per_second)))
            .ratio(per_s / health_per_s, baseline.clone())
            .note(conditions),
        Figure::new(group, "answer latency p50", ms(answers.p50_us), "ms"),
        Figure::new(group, "answer latency p99", ms(answers.p99_us), "ms")
            .budget(budgets.and_then(|b| Budget::at_most(b.p99_ms))),
        Figure::new(group, "answers/s ÷ health requests/s", per_s / health_per_s, "ratio").note(baseline),
        Figure::new(group, "health p99 under the same load", ms(health.p99_us), "ms"),
        Figure::new(group, "server peak memory (VmHWM, largest instance)", peak_mb, "MB"),
    ]
}
