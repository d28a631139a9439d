//! `cargo xtask bench`: the release front end and the benchmark runner (`tests/src/bin/bench`)
//! built in release, run against a real server on this machine; the report lands in
//! `target/bench/report.md` and `report.json`. `cargo xtask test` runs the quick version.

use std::path::Path;

use anyhow::{Context, Result};

use crate::cmd::{cargo, run, target_dir};
use crate::{dist, tools};

/// The PostgreSQL server the benchmarks use when JIAFANG_TEST_POSTGRES does not name one.
const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

pub fn bench(only: &[String]) -> Result<()> {
    let wasm_opt = tools::frontend()?;
    tools::browser()?;
    tools::load_generator()?;
    let dist = dist::build(wasm_opt)?;
    runner(&dist, false, &target_dir().join("bench"), only)
}

/// Runs the benchmark binary; `quick` means small sizes in a debug build (what the tests built).
pub fn runner(dist: &Path, quick: bool, out: &Path, only: &[String]) -> Result<()> {
    let dist = dist.to_str().context("the path of frontend/dist is not UTF-8")?;
    let out = out.to_str().context("the target folder's path is not UTF-8")?;
    let postgres = std::env::var("JIAFANG_TEST_POSTGRES").ok().filter(|u| !u.is_empty());
    let profile: &[&str] = if quick { &[] } else { &["--release"] };
    // The storm runs the server as a process of its own, the binary beside the runner's.
    run(cargo().args(["build", "-p", "tests", "--bin", "jiafang-under-test"]).args(profile))?;
    let mut cmd = cargo();
    cmd.args(["run", "-p", "tests", "--bin", "bench"]).args(profile);
    cmd.args(["--", "--out", out]);
    if quick {
        cmd.arg("--quick");
    }
    for name in only {
        cmd.args(["--only", name]);
    }
    run(cmd
        .env("JIAFANG_TEST_DATABASE", "sqlite")
        .env("JIAFANG_TEST_DIST", dist)
        .env("JIAFANG_BENCH_POSTGRES", postgres.as_deref().unwrap_or(DEFAULT_POSTGRES)))
}
