//! Roster import at scale (issue 8): a 100,000-row xlsx roster, written the way Excel stores
//! one, previewed then confirmed through the API on SQLite, each step timed from the request to
//! the whole answer. Peak memory is the whole benchmark process's (server and client run in
//! it): its high-water mark (`VmHWM` in /proc/self/status), reset before each step by writing
//! 5 to /proc/self/clear_refs; the file itself (held by the client) is inside that figure.

use std::time::Instant;

use anyhow::{ensure, Context, Result};
use shared::imports::{ImportPreview, ImportResult};
use tests::json_of;

use crate::report::{Budget, Figure};
use crate::Ctx;

const GROUP: &str = "import (SQLite)";
const HEADER: &str =
    "学号,姓名,性别,学院,专业,年级,班级,辅导员,省份,城市,区县,家庭住址,家长姓名,关系,家长电话,经济困难等级";
const SURNAMES: [&str; 12] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"];
const GIVEN: [&str; 12] = ["伟", "芳", "娜", "敏", "静", "磊", "强", "军", "洋", "勇", "艳", "杰"];
const PLACES: [(&str, &str, &str); 4] = [
    ("辽宁省", "沈阳市", "浑南区"),
    ("四川省", "成都市", "武侯区"),
    ("广东省", "广州市", "天河区"),
    ("江苏省", "南京市", "鼓楼区"),
];

pub async fn run(ctx: &Ctx) -> Result<Vec<Figure>> {
    let rows = if ctx.quick { 2_000 } else { 100_000 };
    let started = Instant::now();
    let file = tokio::task::spawn_blocking(move || roster(rows)).await??;
    eprintln!(
        "bench: import: {rows} rows, {} KiB of xlsx written in {:.1} s",
        file.len() / 1024,
        started.elapsed().as_secs_f64()
    );

    let app = tests::spawn_app_on(None, |_| {}).await;
    let admin = app.add_account("admin", shared::Role::Admin, None).await;
    let client = app.signed_in(&admin).await;
    let size = file.len();

    let preview_base = reset_peak_memory()?;
    let started = Instant::now();
    let preview: ImportPreview = json_of(app.upload_roster(&client, "roster.xlsx", file).await, "preview").await;
    let preview_s = started.elapsed().as_secs_f64();
    let preview_mb = memory_mb("VmHWM")?;
    ensure!(preview.counts.new == rows && preview.counts.rejected == 0, "preview: {:?}", preview.counts);

    let commit_base = reset_peak_memory()?;
    let started = Instant::now();
    let result: ImportResult = json_of(app.commit(&client, preview.import_id).await, "commit").await;
    let commit_s = started.elapsed().as_secs_f64();
    let commit_mb = memory_mb("VmHWM")?;
    ensure!(result.counts.new == rows, "commit: {:?}", result.counts);
    let stored = app.count("SELECT COUNT(*) FROM students").await;
    ensure!(stored == rows as i64, "{stored} students stored of {rows}");
    app.stop().await;

    let judged = |b| if ctx.quick { None } else { b };
    let conditions = format!("{rows} rows, 16 columns, {} KiB xlsx", size / 1024);
    let memory = |base: f64, peak: f64| {
        format!(
            "growth of the benchmark process's peak resident memory (server and client, file included) over the \
             {base:.0} MB it held before the step (freed memory returned by malloc_trim, then VmHWM reset through \
             /proc/self/clear_refs): peak {peak:.0} MB"
        )
    };
    Ok(vec![
        Figure::new(GROUP, "preview time", preview_s, "s")
            .budget(judged(Budget::at_most(5.0)))
            .note(conditions.clone()),
        Figure::new(GROUP, "commit time", commit_s, "s").budget(judged(Budget::at_most(5.0))).note(conditions),
        Figure::new(GROUP, "preview peak memory", preview_mb - preview_base, "MB")
            .budget(judged(Budget::at_most(300.0)))
            .note(memory(preview_base, preview_mb)),
        Figure::new(GROUP, "commit peak memory", commit_mb - commit_base, "MB")
            .budget(judged(Budget::at_most(300.0)))
            .note(memory(commit_base, commit_mb)),
    ])
}

/// A roster of `rows` students in 10 colleges of 50 classes each, every column filled.
fn roster(rows: u64) -> Result<Vec<u8>> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (c, title) in HEADER.split(',').enumerate() {
        sheet.write_string(0, c as u16, title)?;
    }
    for i in 0..rows {
        let r = i as u32 + 1;
        let class = i % 500;
        let college = class / 50;
        let name = |k: u64| {
            format!(
                "{}{}{}",
                SURNAMES[(k % 12) as usize],
                GIVEN[(k / 12 % 12) as usize],
                GIVEN[(k / 144 % 12) as usize]
            )
        };
        let (province, city, district) = PLACES[(i % 4) as usize];
        sheet.write_number(r, 0, (2_023_000_000 + i) as f64)?;
        sheet.write_string(r, 1, name(i))?;
        sheet.write_string(r, 2, if i % 2 == 0 { "男" } else { "女" })?;
        sheet.write_string(r, 3, format!("第{}学院", college + 1))?;
        sheet.write_string(r, 4, format!("专业{}", class % 7 + 1))?;
        sheet.write_number(r, 5, 2023.0)?;
        sheet.write_string(r, 6, format!("班级{:03}", class + 1))?;
        sheet.write_string(r, 7, format!("辅导员{}", class / 2 + 1))?;
        sheet.write_string(r, 8, province)?;
        sheet.write_string(r, 9, city)?;
        sheet.write_string(r, 10, district)?;
        sheet.write_string(r, 11, format!("{province}{city}{district}幸福路{}号", i % 300 + 1))?;
        sheet.write_string(r, 12, name(i + 7))?;
        sheet.write_string(r, 13, if i % 3 == 0 { "父亲" } else { "母亲" })?;
        sheet.write_number(r, 14, (13_800_000_000 + i) as f64)?;
        if i % 10 == 0 {
            sheet.write_string(r, 15, "困难")?;
        }
    }
    Ok(workbook.save_to_buffer()?)
}

/// Gives freed memory back to the system and starts a new high-water mark of resident memory
/// (Linux ≥ 4.0); returns the resident memory then, in MB.
fn reset_peak_memory() -> Result<f64> {
    // SAFETY: malloc_trim only releases free heap pages; it has no preconditions.
    unsafe { libc::malloc_trim(0) };
    std::fs::write("/proc/self/clear_refs", "5").context("resetting the peak memory through /proc/self/clear_refs")?;
    memory_mb("VmRSS")
}

/// A memory line of /proc/self/status (`VmHWM`, `VmRSS`), in MB.
fn memory_mb(field: &str) -> Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line =
        status.lines().find(|l| l.starts_with(field)).with_context(|| format!("no {field} in /proc/self/status"))?;
    let kib: f64 = line[field.len() + 1..].trim().trim_end_matches("kB").trim().parse()?;
    Ok(kib * 1024.0 / 1e6)
}
