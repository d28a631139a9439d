//! The counselors' field app on a tablet (issue 18, item 1), in the parent's page's conditions:
//! headless Chromium at 1024×768, Slow 4G (150 ms, 1.6 Mbit/s down, 750 kbit/s up), CPU 4× slower,
//! a fresh profile and no HTTP cache.
//!
//! Figures: the program's size as it ships (the `.wasm.br` and `.js.br` files of `dist/field`, what
//! a first visit downloads of it, against the desk app's), the bytes transferred and the time until
//! the sign-in form is usable on a first visit (`performance.now()` when a MutationObserver,
//! installed before the page's scripts, first sees `#username`), and the same time on a repeat
//! visit, when the field app's service worker answers the program from its cache. The time's
//! baseline is a tiny page (`/api/health`) loaded in the same conditions.

use std::path::Path;

use anyhow::{bail, Context, Result};
use tests::browser::Browser;
use tests::offline::wait_for_service_worker;

use crate::parent_page::{median, number, slow_device, transferred, wait_for, watch};
use crate::report::{Budget, Figure};
use crate::Ctx;

const GROUP: &str = "field app (Slow 4G, CPU 4×, 1024×768)";
/// Loads in each measurement; the median is reported (the machine is shared and noisy).
const RUNS: usize = 3;

/// Ready when the sign-in form can be used.
const READY: &str = "#username:not([disabled])";

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    if !Browser::ready() {
        bail!("needs a built front end (cargo xtask dist) and chromedriver");
    }
    let dist = tests::static_dir().context("the built front end")?;
    let (field_kib, field_files) = program_kib(&dist.join("field"))?;
    let (desk_kib, _) = program_kib(&dist)?;

    let app = tests::spawn_app().await;
    let runs = if ctx.quick { 1 } else { RUNS };
    let (mut baseline, mut first, mut repeat, mut bytes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut files = Vec::new();
    for _ in 0..runs {
        let tablet = slow_device(1024, 768, &watch(READY)).await;
        tablet.goto(&app.url("/api/health")).await;
        let js = "return performance.getEntriesByType('navigation')[0].loadEventEnd;";
        baseline.push(number(&tablet.eval(js).await)?);

        tablet.goto(&app.field_url("/login")).await;
        first.push(number(&wait_for(&tablet, "return window.__jfReady ?? null;").await?)?);
        let (total, list) = transferred(&tablet).await?;
        bytes.push(total);
        files = list;

        // Again, once the app's own service worker holds its files.
        wait_for_service_worker(&tablet).await;
        tablet.goto(&app.field_url("/login")).await;
        repeat.push(number(&wait_for(&tablet, "return window.__jfReady ?? null;").await?)?);
        tablet.close().await;
    }
    app.stop().await;

    let baseline = median(&mut baseline);
    let (first, repeat) = (median(&mut first), median(&mut repeat));
    let ratio = format!("a tiny page (/api/health) in the same conditions: {baseline:.0} ms");
    Ok(vec![
        Figure::new(GROUP, "first load: the program (wasm + js, brotli)", field_kib, "KiB")
            .budget(Budget::at_most(300.0))
            .note(format!("{}; the desk app's: {desk_kib:.1} KiB", field_files.join(", "))),
        Figure::new(
            GROUP,
            "first load: bytes transferred until the sign-in form is usable",
            median(&mut bytes) / 1024.0,
            "KiB",
        )
        .note(format!("fresh profile, cache disabled, headers included; {}", files.join(", "))),
        Figure::new(GROUP, "first load: time until the sign-in form is usable", first / 1000.0, "s")
            .budget(Budget::at_most(2.0))
            .ratio(first / baseline, ratio.clone())
            .note(format!("median of {runs} loads, from navigation start")),
        Figure::new(GROUP, "repeat visit (service worker's cache): time until usable", repeat / 1000.0, "s")
            .budget(Budget::at_most(0.6))
            .ratio(repeat / baseline, ratio)
            .note("the page from the network (network first), the program from the worker's cache"),
    ])
}

/// The brotli size of a program's start files in `dir` (not its subfolders): the `.wasm.br` and
/// `.js.br` Trunk's build wrote, without the service worker (fetched after the page is up).
fn program_kib(dir: &Path) -> Result<(f64, Vec<String>)> {
    let (mut total, mut files) = (0u64, Vec::new());
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().to_string();
        if (name.ends_with(".wasm.br") || name.ends_with(".js.br")) && name != "sw.js.br" {
            let size = entry.metadata()?.len();
            total += size;
            files.push(format!("{name} {:.1} KiB", size as f64 / 1024.0));
        }
    }
    if total == 0 {
        bail!("no pre-compressed program in {} (cargo xtask dist)", dir.display());
    }
    files.sort();
    Ok((total as f64 / 1024.0, files))
}
