//! The parent's page on a cheap phone (issue 8, item 2): headless Chromium with Slow 4G emulated
//! over the DevTools protocol (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU 4× slower),
//! a fresh profile and no cache, opening a real family link of a seeded school's meeting.
//!
//! Figures: the bytes transferred for everything the browser fetched until the answer buttons
//! respond (document, JS, wasm, CSS and API JSON, headers included: `transferSize` of every
//! performance entry), and the time until then (`performance.now()` when a MutationObserver,
//! installed before the page's own scripts, first sees an enabled `button.answer-choice`).
//! The time's baseline is a tiny page (`/api/health`) loaded in the same conditions. Also the time
//! until the meeting's theme is readable: family.html's start-up script shows it (`#jf-early`)
//! before the program has arrived. The phone's screen is 360×640, a cheap Android's.

use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use tests::browser::Browser;
use tests::meetings::{token_of, SeededMeeting};
use tests::offline::cdp;

use crate::report::{Budget, Figure};
use crate::Ctx;

const GROUP: &str = "parent's page (Slow 4G, CPU 4×)";
/// Loads in each measurement; the median is reported (the machine is shared and noisy).
const RUNS: usize = 3;

/// A script that records in `window.__jfReady` when an element matching `selector` first shows
/// (the moment the page can be used), and in `window.__jfDetails` when a meeting's theme is first
/// readable (the parent's page); installed to run before any script of the page.
pub(crate) fn watch(selector: &str) -> String {
    format!(
        "(() => {{
  const ready = () => document.querySelector('{selector}');
  const details = () => document.querySelector('#jf-early h1, [data-testid=family-theme]');
  const observer = new MutationObserver(() => {{
    if (window.__jfDetails === undefined && details()) window.__jfDetails = performance.now();
    if (window.__jfReady === undefined && ready()) {{ window.__jfReady = performance.now(); observer.disconnect(); }}
  }});
  observer.observe(document, {{ subtree: true, childList: true, attributes: true }});
}})();"
    )
}

/// Path and bytes of every response so far (the document's included), headers and all, as sent.
const BYTES: &str = "return performance.getEntries()
  .filter((e) => e.entryType === 'navigation' || e.entryType === 'resource')
  .map((e) => [new URL(e.name).pathname, e.transferSize]);";

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    if !Browser::ready() {
        bail!("needs a built front end (cargo xtask dist) and chromedriver");
    }
    let app = tests::spawn_app().await;
    let SeededMeeting { links, .. } = app.seed_meeting().await;
    let runs = if ctx.quick { 1 } else { RUNS };

    let (mut baseline, mut times, mut bytes, mut staff_bytes) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut details = Vec::new();
    let mut files = Vec::new();
    for i in 0..runs {
        let phone = slow_phone().await;
        phone.goto(&app.url("/api/health")).await;
        let js = "return performance.getEntriesByType('navigation')[0].loadEventEnd;";
        baseline.push(number(&phone.eval(js).await)?);
        // The whole staff app, for comparison: the parent's page was one of its routes before.
        phone.goto(&app.url("/login")).await;
        wait_for(&phone, "return !!document.querySelector('#username');").await?;
        staff_bytes.push(transferred(&phone).await?.0);
        phone.close().await;

        let family = &links.families[i % links.families.len()];
        let url = family.url.as_deref().context("a family link")?;
        let phone = slow_phone().await;
        phone.goto(&app.url(&format!("/f#t={}", token_of(url)))).await;
        times.push(number(&wait_for(&phone, "return window.__jfReady ?? null;").await?)?);
        details.push(number(&phone.eval("return window.__jfDetails ?? null;").await)?);
        let (total, list) = transferred(&phone).await?;
        bytes.push(total);
        files = list;
        phone.close().await;
    }
    app.stop().await;

    let (baseline, time, details) = (median(&mut baseline), median(&mut times), median(&mut details));
    let kib = |b: f64| b / 1024.0;
    let conditions = "headless Chromium, fresh profile, cache disabled";
    Ok(vec![
        Figure::new(GROUP, "bytes transferred until the answer buttons respond", kib(median(&mut bytes)), "KiB")
            .budget(Budget::at_most(90.0))
            .note(format!("{conditions}; {}", files.join(", "))),
        Figure::new(GROUP, "time until the answer buttons respond", time / 1000.0, "s")
            .budget(Budget::at_most(1.0))
            .ratio(time / baseline, format!("a tiny page (/api/health) in the same conditions: {baseline:.0} ms"))
            .note(format!("median of {runs} loads, from navigation start")),
        Figure::new(GROUP, "time until the meeting's theme, time and place are readable", details / 1000.0, "s")
            .note("shown by family.html's start-up script before the program has arrived"),
        Figure::new(GROUP, "for comparison: the staff app's sign-in page", kib(median(&mut staff_bytes)), "KiB")
            .note("what the parent's page downloaded when it was a route of the staff app"),
    ])
}

/// A new Chromium (fresh profile) on an emulated Slow 4G phone, with the readiness watch.
async fn slow_phone() -> Browser {
    slow_device(360, 640, &watch("button.answer-choice:not([disabled])")).await
}

/// A new Chromium (fresh profile, no HTTP cache) of that size on Slow 4G with the CPU 4× slower,
/// running `watch` before any script of every page it opens.
pub(crate) async fn slow_device(width: u32, height: u32, watch: &str) -> Browser {
    let phone = Browser::start(width, height).await;
    cdp(&phone, "Network.enable", json!({})).await;
    cdp(&phone, "Network.setCacheDisabled", json!({ "cacheDisabled": true })).await;
    let conditions = json!({
        "offline": false,
        "latency": 150,
        "downloadThroughput": 1_600_000 / 8,
        "uploadThroughput": 750_000 / 8,
    });
    cdp(&phone, "Network.emulateNetworkConditions", conditions).await;
    cdp(&phone, "Emulation.setCPUThrottlingRate", json!({ "rate": 4 })).await;
    cdp(&phone, "Page.enable", json!({})).await;
    cdp(&phone, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": watch })).await;
    phone
}

/// Polls `js` until it returns something other than null or false.
pub(crate) async fn wait_for(phone: &Browser, js: &str) -> Result<Value> {
    for _ in 0..300 {
        let value = phone.eval(js).await;
        if !value.is_null() && value != Value::Bool(false) {
            return Ok(value);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the page was not ready within 15 s ({js})")
}

/// The bytes transferred so far, and each response as "name: bytes".
pub(crate) async fn transferred(phone: &Browser) -> Result<(f64, Vec<String>)> {
    let entries: Vec<(String, f64)> = serde_json::from_value(phone.eval(BYTES).await)?;
    let total = entries.iter().map(|(_, size)| size).sum();
    let list = entries.iter().map(|(path, size)| format!("{path} {:.1} KiB", size / 1024.0)).collect();
    Ok((total, list))
}

pub(crate) fn number(value: &Value) -> Result<f64> {
    value.as_f64().with_context(|| format!("expected a number, got {value}"))
}

pub(crate) fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
