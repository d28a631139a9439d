//! `cargo xtask bench` runs this in release: each benchmark of issue 8 against the real server on
//! a fresh database, then `report.md` and `report.json` in the output folder. `--quick` runs
//! small sizes with no budgets judged, so that `cargo xtask test` keeps every benchmark working.
//!
//! Each benchmark is a module with `pub async fn run(ctx: &Ctx) -> anyhow::Result<Vec<Figure>>`;
//! add it to `BENCHMARKS` below.

mod dashboard;
mod field_app;
mod import;
mod live_dashboard;
mod load;
mod offline_sync;
mod parent_page;
mod report;
mod storm;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use anyhow::{bail, Result};
use report::{Figure, Report};

/// What every benchmark is told about this run.
pub struct Ctx {
    /// Small sizes, for `cargo xtask test`: the figures are printed but not judged.
    pub quick: bool,
    /// Where the report goes; a benchmark may leave extra files here.
    pub out: PathBuf,
}

type Run = for<'a> fn(&'a Ctx) -> Pin<Box<dyn Future<Output = Result<Vec<Figure>>> + 'a>>;

/// Name (for `--only`) and entry point of each benchmark, in the order they run.
const BENCHMARKS: &[(&str, Run)] = &[
    ("parent_page", |c| Box::pin(parent_page::run(c))),
    ("field_app", |c| Box::pin(field_app::run(c))),
    ("storm", |c| Box::pin(storm::run(c))),
    ("import", |c| Box::pin(import::run(c))),
    ("offline_sync", |c| Box::pin(offline_sync::run(c))),
    ("dashboard", |c| Box::pin(dashboard::run(c))),
    ("live_dashboard", |c| Box::pin(live_dashboard::run(c))),
];

#[tokio::main]
async fn main() -> Result<()> {
    let mut quick = false;
    let mut out = tests::workspace_dir().join("target/bench");
    let mut only: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--quick" => quick = true,
            "--out" => out = PathBuf::from(args.next().unwrap_or_default()),
            "--only" => only.push(args.next().unwrap_or_default()),
            other => bail!("unknown argument {other:?} (expected --quick, --out DIR, --only NAME)"),
        }
    }
    let ctx = Ctx { quick, out: out.clone() };
    let mut report =
        Report { quick, machine: machine(), started: started(), figures: Vec::new(), failures: Vec::new() };
    for (name, run) in BENCHMARKS {
        if !only.is_empty() && !only.iter().any(|o| o == name) {
            continue;
        }
        eprintln!("bench: ==== {name} ====");
        match run(&ctx).await {
            Ok(figures) => {
                for f in &figures {
                    eprintln!("bench:   {} / {}: {} {} [{}]", f.group, f.name, f.value, f.unit, f.verdict());
                }
                report.figures.extend(figures);
            }
            Err(e) => {
                eprintln!("bench:   FAILED: {e:#}");
                report.failures.push((name.to_string(), format!("{e:#}")));
            }
        }
        // Written after each benchmark, so a long run that is stopped still leaves a report.
        report.write(&out)?;
    }
    report.write(&out)?;
    println!("{}", report.markdown());
    eprintln!("bench: report in {}", out.join("report.md").display());
    if !report.failures.is_empty() {
        bail!("{} benchmark(s) failed to run", report.failures.len());
    }
    Ok(())
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    format!("{cores} cores, {cpu}")
}

fn started() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    format!("at unix time {secs}")
}
