//! Offline sync (issue 8): a counselor's tablet in headless Chromium holds 500 visits logged
//! without network; when the network returns, the page's own outbox sends them (in requests of
//! at most 50 visits and 512 KiB, `shared::sync`) and empties itself. Timed from going back
//! online until the outbox on the device is empty and the server holds every visit.
//!
//! Typing 500 visit forms would take minutes, so the visits are put into the outbox's
//! IndexedDB store directly, in the outbox's own format (`Pending` as JSON, keyed by client id,
//! without sensitive notes so that nothing needs the device key), then the page is reloaded
//! offline and reads them the way it reads visits saved through the form.

use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Result};
use serde_json::json;
use tests::browser::Browser;
use tests::offline::{eval_async, set_offline, wait_for_service_worker};

use crate::report::{Budget, Figure};
use crate::Ctx;

const GROUP: &str = "offline sync (SQLite, Chromium)";

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    if !Browser::ready() {
        bail!("needs the built front end (JIAFANG_TEST_DIST or frontend/dist) and chromedriver");
    }
    let n = if ctx.quick { 50 } else { 500 };
    let (app, school, campaign) = tests::visits::setup().await;
    let class = &school.colleges[0].classes[0];
    let counselor = &class.counselor;
    let students = app.add_families(class.id, "OFF", n).await;

    let browser = Browser::start(768, 1024).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.goto(&app.field_url(&format!("/visits/{campaign}"))).await;
    browser.wait_for_text("[data-testid=plan-form]", &counselor.username).await;
    wait_for_service_worker(&browser).await;

    set_offline(&browser, true).await;
    let items: Vec<(String, String)> = students
        .iter()
        .enumerate()
        .map(|(i, &student_id)| {
            let mut visit = tests::visits::full_visit(campaign, student_id, counselor.id);
            visit.record.sensitive_notes = None;
            visit.record.notes = format!("离线记录 {i}");
            let pending = json!({ "visit": visit, "sealed": null, "student_name": format!("学生OFF{i:04}"),
                "state": "Waiting", "message": null, "server_id": null, "owner": counselor.id });
            (visit.client_id.clone(), pending.to_string())
        })
        .collect();
    let put = format!(
        "const items = {}; const db = await new Promise((ok, no) => {{ const r = indexedDB.open('jiafang'); \
         r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }}); \
         await new Promise((ok, no) => {{ const tx = db.transaction('outbox', 'readwrite'); \
         const s = tx.objectStore('outbox'); for (const [k, v] of items) s.put(v, k); \
         tx.oncomplete = () => ok(); tx.onerror = () => no(tx.error); }}); db.close(); return items.length;",
        serde_json::to_string(&items)?
    );
    let written = eval_async(&browser, &put).await;
    ensure!(written == json!(n), "writing the outbox: {written}");
    browser.client().refresh().await?;
    browser.wait_for_text("[data-testid=pending-count]", &n.to_string()).await;
    ensure!(app.query_i64("SELECT COUNT(*) FROM visits").await == 0, "nothing reached the server while offline");

    let started = Instant::now();
    set_offline(&browser, false).await;
    let (mut on_server, mut at_server) = (0, None);
    loop {
        if started.elapsed() > Duration::from_secs(120) {
            bail!("after 120 s the server holds {on_server} of {n} visits");
        }
        if at_server.is_none() {
            on_server = app.query_i64("SELECT COUNT(*) FROM visits").await;
            if on_server == n as i64 {
                at_server = Some(started.elapsed());
            }
        }
        if at_server.is_some() && outbox_len(&browser).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let emptied = started.elapsed().as_secs_f64();
    let at_server = at_server.map_or(f64::NAN, |d| d.as_secs_f64());
    browser.close().await;
    app.stop().await;

    let note = format!(
        "{n} visits queued in the page's outbox (IndexedDB, written by script in the outbox's format, no \
         sensitive notes), sent by the page in batches of 50 after Chromium's network emulation goes back online; \
         all on the server after {at_server:.2} s"
    );
    let budget = if ctx.quick { None } else { Budget::at_most(5.0) };
    Ok(vec![Figure::new(GROUP, &format!("{n} queued visits synced"), emptied, "s").budget(budget).note(note)])
}

/// Visits still in the outbox on the device.
async fn outbox_len(browser: &Browser) -> u64 {
    let body = "const db = await new Promise((ok, no) => { const r = indexedDB.open('jiafang'); \
                r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }); \
                const n = await new Promise((ok, no) => { const r = db.transaction('outbox').objectStore('outbox').count(); \
                r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }); db.close(); return n;";
    eval_async(browser, body).await.as_u64().unwrap_or(u64::MAX)
}
