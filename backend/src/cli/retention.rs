//! `jiafang retention [--dry-run]`: runs the retention now over every closed campaign (audited
//! as from the command line), or lists what it would remove, in Chinese and English.

use shared::Lang;

use crate::db::{now, Db};

pub async fn run(database_url: &str, dry_run: bool) -> anyhow::Result<()> {
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let at = now();
    if !dry_run {
        let removed = crate::retention::run(&db, at, None, "command line").await?;
        println!("已删除或匿名化 / removed or anonymised: {removed}");
        return Ok(());
    }
    let plans = crate::retention::dry_run_all(&db, at).await?;
    if plans.is_empty() {
        println!("没有已结束的活动 / no closed campaign");
    }
    for plan in plans {
        println!(
            "{} (#{}), 起算 / counted from {}",
            plan.campaign_name,
            plan.campaign_id,
            plan.counted_from.unwrap_or_default()
        );
        for item in plan.items {
            let when = item.expires_on.unwrap_or_default();
            let what = if item.expired && item.held > 0 { "将删除 / would go" } else { "保留 / kept" };
            println!(
                "  {} / {}: {} 天 / days, 到期 / expires {when}: {} 条 / rows — {what}",
                item.kind.label(Lang::Zh),
                item.kind.label(Lang::En),
                item.days,
                item.held
            );
        }
    }
    Ok(())
}
