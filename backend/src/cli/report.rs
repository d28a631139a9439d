//! `jiafang report --campaign NAME --format json|xlsx|html [--output FILE]`: the same summary as
//! the dashboard, for the whole school.

use std::io::Write;
use std::path::Path;

use shared::dashboard::SummaryQuery;

use crate::auth::Scope;
use crate::db::Db;
use crate::{campaigns, dashboard};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Xlsx,
    Html,
}

pub async fn run(database_url: &str, campaign: &str, format: Format, output: Option<&Path>) -> anyhow::Result<()> {
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let id =
        campaigns::id_by_name(&db, campaign).await?.ok_or_else(|| anyhow::anyhow!("no campaign named {campaign}"))?;
    let query = SummaryQuery::default();
    let summary = dashboard::summary(&db, id, &query, Scope::All).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = match format {
        Format::Json => serde_json::to_vec_pretty(&summary)?,
        Format::Html => {
            let article = dashboard::report::article_of(&db, &summary, Scope::All, Scope::All)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            dashboard::report::document(&format!("{}工作总结", summary.campaign.name), &article).into_bytes()
        }
        Format::Xlsx => {
            let filter = dashboard::Filter::new(id.get(), &query, Scope::All).map_err(|e| anyhow::anyhow!("{e}"))?;
            let visits =
                dashboard::export::visit_rows(&db, &filter, false).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let suggestions =
                dashboard::feedback_suggestions(&db, &filter).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            dashboard::export::workbook(&summary, &visits, &suggestions, false)?
        }
    };
    match output {
        Some(path) => std::fs::write(path, bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}
