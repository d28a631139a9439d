//! Visit import for campaigns run on paper or in Excel (README "Visit import"): the roster
//! import's reader (`rows`), the checks against the database (`check`, `lookup`) and the write
//! in one transaction, a re-import changing nothing. The API's preview → confirm flow and the
//! CLI's `jiafang import visits` both come here.

pub mod check;
pub mod lookup;
pub mod rows;

use axum::body::Bytes;
use shared::imports::ImportIssue;
use shared::Lang;

use self::check::{Checked, Importer};
use crate::error::{Error, Result};

/// Reads and checks a file on a blocking thread, then against the database.
pub async fn read_and_check(
    db: &crate::Db,
    bytes: Bytes,
    filename: String,
    campaign: i64,
    importer: Importer<'_>,
) -> Result<Checked> {
    let file = tokio::task::spawn_blocking(move || rows::read_file(&bytes, &filename))
        .await
        .map_err(|e| anyhow::anyhow!("reading a visit file: {e}"))?
        .map_err(|msg| Error::field("file", msg))?;
    check::check(db, file, campaign.into(), importer).await
}

pub fn issues(checked: &Checked, lang: Lang) -> Vec<ImportIssue> {
    checked
        .issues
        .iter()
        .map(|i| ImportIssue {
            row: i.row,
            column: i.column.map(|c| c.names().0.to_string()),
            field: i.column.map(|c| c.names().1.to_string()),
            kind: i.kind,
            message: i.msg.text(lang).to_string(),
        })
        .collect()
}
