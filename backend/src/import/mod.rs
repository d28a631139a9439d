//! Roster import (docs/roster-template.md): one code path for the API and the command line.
//!
//! `read` turns CSV or xlsx bytes into rows of text, `roster` (with `accept`) checks them into
//! compact rows and a row-level report, `apply` compares them with the database a chunk at a
//! time and, on a transaction, writes them. `report` renders the outcome for either caller.

mod accept;
pub mod apply;
pub mod diff;
pub mod export;
pub mod fields;
pub mod read;
pub mod report;
pub mod roster;
mod strings;
pub mod uploads;
pub mod zipcheck;

use axum::body::Bytes;
use sqlx::AnyConnection;

use crate::error::{Error, Result};
use crate::Db;

pub use apply::Outcome;
pub use roster::Roster;

/// Data rows in one file.
pub const MAX_ROWS: u64 = 200_000;
/// Columns read from a row; the template has 16.
pub const MAX_COLUMNS: usize = 100;
/// Remarks kept for the report (all are counted).
pub const MAX_STORED_ISSUES: usize = shared::imports::MAX_ISSUES;
/// The largest upload (the API's body limit on the upload route).
pub const MAX_UPLOAD_BYTES: usize = 20 * 1024 * 1024;

/// A file checked against the database.
pub struct Checked {
    pub roster: Roster,
    pub outcome: Outcome,
}

/// Reads and checks a file on a blocking thread: parsing a large sheet takes seconds.
pub async fn parse(bytes: Bytes, filename: String, sheet: Option<String>) -> Result<Roster> {
    tokio::task::spawn_blocking(move || roster::parse(&bytes, &filename, sheet.as_deref()))
        .await
        .map_err(|e| anyhow::anyhow!("parsing a roster: {e}"))?
        .map_err(|msg| Error::field("file", msg))
}

/// What confirming would do: nothing is written.
pub async fn preview(db: &Db, bytes: Bytes, filename: &str, sheet: Option<&str>) -> Result<Checked> {
    let roster = parse(bytes, filename.to_string(), sheet.map(str::to_string)).await?;
    let mut conn = db.read.acquire().await?;
    let outcome = apply::run(&mut conn, &roster, false).await?;
    Ok(Checked { roster, outcome })
}

/// Writes a checked roster on the caller's transaction.
pub async fn write(tx: &mut AnyConnection, roster: Roster) -> Result<Checked> {
    let outcome = apply::run(tx, &roster, true).await?;
    Ok(Checked { roster, outcome })
}
