//! `cargo xtask test`: every check CI runs, in order, stopping at the first failure. The front end
//! is built once, the way it ships (release, wasm-opt, pre-compressed), and the end-to-end tests
//! serve exactly that.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context, Result};

use crate::cmd::{cargo, output, run};
use crate::{bench, dist, tools};

/// The test harness names every database it creates `jf_t_<something>`.
const TEST_DATABASE_PATTERN: &str = "jf_t_%";

pub fn test(skip_lint: bool, cargo_test_args: &[String]) -> Result<()> {
    let mut steps = Steps::default();
    let result = all_steps(&mut steps, skip_lint, cargo_test_args);
    steps.summary();
    result
}

fn all_steps(steps: &mut Steps, skip_lint: bool, cargo_test_args: &[String]) -> Result<()> {
    if skip_lint {
        eprintln!("xtask: --skip-lint: skipping fmt, clippy and the wasm32 check");
    } else {
        steps.run("fmt", || run(cargo().args(["fmt", "--all", "--", "--check"])))?;
        // --workspace includes the front end (not a default member), built for the host here.
        steps
            .run("clippy", || run(cargo().args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])))?;
        steps.run("wasm32 check", || {
            tools::wasm_target()?;
            run(cargo().args(["check", "-p", "shared", "-p", "frontend", "--target", "wasm32-unknown-unknown"]))
        })?;
    }

    let dist = steps.run("front-end build", || {
        let wasm_opt = tools::frontend()?;
        tools::browser()?;
        tools::smtp_server()?;
        dist::build(wasm_opt)
    })?;
    let dist = dist.to_str().context("the path of frontend/dist is not UTF-8")?.to_string();

    steps.run("tests (SQLite)", || {
        run(cargo()
            .args(["test", "--workspace", "--exclude", "frontend"])
            .args(cargo_test_args)
            .env("JIAFANG_TEST_DATABASE", "sqlite")
            .env("JIAFANG_TEST_DIST", &dist))
    })?;

    steps.run("API fuzzing (short, SQLite)", || crate::fuzz::fuzz_api(false, None))?;

    // Small sizes, no budgets judged: only so that no benchmark rots between `cargo xtask bench` runs.
    steps.run("benchmarks (quick)", || {
        tools::load_generator()?;
        bench::runner(Path::new(&dist), true, &crate::cmd::target_dir().join("bench-quick"), &[])
    })?;

    match std::env::var("JIAFANG_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => {
            steps.run("tests (PostgreSQL)", || {
                on_postgres(&url, || {
                    run(cargo()
                        .args(["test", "-p", "tests"])
                        .args(cargo_test_args)
                        .env("JIAFANG_TEST_DATABASE", &url)
                        .env("JIAFANG_TEST_DIST", &dist))
                })
            })?;
            steps.run("API fuzzing (short, PostgreSQL)", || {
                on_postgres(&url, || crate::fuzz::fuzz_api(false, Some(&url)))
            })?
        }
        _ => eprintln!("xtask: JIAFANG_TEST_POSTGRES is not set: skipping the PostgreSQL run"),
    }
    Ok(())
}

/// Runs `step` against the PostgreSQL server at `url` between two clean-ups of test databases,
/// so that failed or interrupted runs leave nothing behind; the step's own outcome is reported.
fn on_postgres(url: &str, step: impl FnOnce() -> Result<()>) -> Result<()> {
    drop_test_databases(url)?;
    let outcome = step();
    let cleaned = drop_test_databases(url);
    outcome.and(cleaned)
}

/// Drops the databases that earlier test runs left behind (a crashed test never drops its own).
fn drop_test_databases(url: &str) -> Result<()> {
    let query = format!("SELECT datname FROM pg_database WHERE datname LIKE '{TEST_DATABASE_PATTERN}'");
    let names = output("psql", &[url, "-Atc", &query])
        .ok_or_else(|| anyhow!("could not list databases with psql at {url} (is PostgreSQL running?)"))?;
    for name in names.lines().map(str::trim).filter(|n| !n.is_empty()) {
        // Quoted as an identifier; the names come from the server, but never trust them in SQL.
        let drop = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name.replace('"', "\"\""));
        run(Command::new("psql").args([url, "-v", "ON_ERROR_STOP=1", "-qc", &drop]))?;
    }
    Ok(())
}

/// Each step's name, wall time and outcome, for the summary at the end.
#[derive(Default)]
struct Steps {
    done: Vec<(&'static str, Duration, bool)>,
}

impl Steps {
    fn run<T>(&mut self, name: &'static str, step: impl FnOnce() -> Result<T>) -> Result<T> {
        eprintln!("\nxtask: ==== {name} ====");
        let start = Instant::now();
        let result = step();
        self.done.push((name, start.elapsed(), result.is_ok()));
        result.with_context(|| format!("step `{name}` failed"))
    }

    fn summary(&self) {
        eprintln!("\nxtask: ==== summary ====");
        for (name, elapsed, ok) in &self.done {
            let outcome = if *ok { "ok" } else { "FAILED" };
            eprintln!("xtask: {outcome:<6} {name:<20} {:>8.1}s", elapsed.as_secs_f64());
        }
        if let Some((name, _, _)) = self.done.iter().find(|(_, _, ok)| !ok) {
            eprintln!("xtask: stopped at `{name}`");
        } else if self.done.is_empty() {
            eprintln!("xtask: no step ran");
        }
    }
}

#[cfg(test)]
mod tests {
    use anyhow::bail;

    use super::*;

    #[test]
    fn summary_stops_at_the_failed_step() {
        let mut steps = Steps::default();
        assert!(steps.run("first", || Ok(())).is_ok());
        let err = steps.run("second", || -> Result<()> { bail!("boom") }).unwrap_err();
        assert_eq!(format!("{err:#}"), "step `second` failed: boom");
        assert_eq!(steps.done.iter().map(|s| (s.0, s.2)).collect::<Vec<_>>(), [("first", true), ("second", false)]);
    }
}
