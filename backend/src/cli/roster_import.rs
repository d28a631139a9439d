//! `jiafang import roster FILE [--dry-run] [--sheet NAME]`: the same checks and the same write
//! as the API, with the report printed in Chinese and English.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use axum::body::Bytes;

use crate::import::{apply, parse, report, Checked};
use crate::Db;

/// Previews (`dry_run`) or imports a roster file and writes the report to `out`. Returns the
/// number of rejected rows: the caller exits non-zero when there are any.
pub async fn roster(
    database_url: &str,
    file: &Path,
    dry_run: bool,
    sheet: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let filename = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let roster =
        parse(Bytes::from(bytes), filename.clone(), sheet.map(str::to_string)).await.map_err(super::explain)?;
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let checked = if dry_run {
        let mut conn = db.read.acquire().await?;
        let outcome = apply::run(&mut conn, &roster, false).await?;
        Checked { roster, outcome }
    } else {
        let mut tx = db.write.begin().await?;
        let outcome = apply::run(&mut tx, &roster, true).await?;
        tx.commit().await.context("saving the import")?;
        Checked { roster, outcome }
    };
    db.close().await;
    write!(out, "{}", report::text(&filename, &checked))?;
    let verdict = if dry_run {
        "预览：未写入任何内容 / dry run: nothing was written"
    } else {
        "已导入（一个事务）/ imported (one transaction)"
    };
    writeln!(out, "{verdict}")?;
    for c in &checked.outcome.created_counselors {
        writeln!(
            out,
            "新辅导员账号（待激活）/ new counselor account (to activate): {} {} (id {})",
            c.username, c.display_name, c.id
        )?;
    }
    Ok(checked.outcome.counts.rejected)
}

/// `jiafang import roster --template FILE`: the xlsx template (docs/roster-template.md).
pub fn write_template(file: &Path) -> anyhow::Result<()> {
    let bytes = crate::import::export::template()?;
    std::fs::write(file, bytes).with_context(|| format!("writing {}", file.display()))?;
    println!("已写入名单模板 / roster template written: {}", file.display());
    Ok(())
}
