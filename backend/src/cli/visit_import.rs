//! `jiafang import visits FILE --campaign NAME [--dry-run]`: the API's checks and write, with the
//! report printed in Chinese and English. The first visitor with an account is each visit's
//! author.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use axum::body::Bytes;

use crate::visits::import::check::{self, Checked, Importer};
use crate::visits::import::read_and_check;
use crate::Db;

/// Imports (or with `dry_run` only checks) a visit file; returns the number of rejected rows.
pub async fn run(
    database_url: &str,
    file: &Path,
    campaign: &str,
    dry_run: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let filename = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let campaign_id = crate::campaigns::id_by_name(&db, campaign.trim()).await?;
    let campaign_id =
        campaign_id.with_context(|| format!("没有名为“{campaign}”的活动 / no campaign named {campaign:?}"))?;
    let checked = read_and_check(&db, Bytes::from(bytes), filename.clone(), campaign_id.get(), Importer::CommandLine)
        .await
        .map_err(super::explain)?;
    let stored = if dry_run {
        0
    } else {
        let mut tx = db.write.begin().await?;
        let stored = check::write(&mut tx, &checked).await.map_err(super::explain)?;
        tx.commit().await.context("saving the import")?;
        stored
    };
    db.close().await;
    write!(out, "{}", text(&filename, &checked))?;
    if dry_run {
        writeln!(out, "预览：未写入任何内容 / dry run: nothing was written")?;
    } else {
        writeln!(out, "已导入 {stored} 条（一个事务）/ imported {stored} (one transaction)")?;
    }
    Ok(checked.counts.rejected)
}

/// The report, in both languages.
pub fn text(filename: &str, checked: &Checked) -> String {
    let c = &checked.counts;
    let mut out = String::new();
    let _ = writeln!(out, "文件 / file: {filename}");
    let _ = writeln!(
        out,
        "行 / rows: {} · 新增 / new: {} · 已导入过 / unchanged: {} · 拒绝 / rejected: {} · 警告 / warnings: {}",
        c.rows, c.new, c.unchanged, c.rejected, c.warnings
    );
    for i in &checked.issues {
        let column = i.column.map(|col| format!(" [{}]", col.names().0)).unwrap_or_default();
        let _ = writeln!(out, "第 {} 行 / row {}{column} {:?}: {} / {}", i.row, i.row, i.kind, i.msg.zh, i.msg.en);
    }
    out
}
