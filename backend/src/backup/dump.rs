//! Writing a backup: every table's rows inside one read transaction.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::Engine;
use futures_util::TryStreamExt;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::schema::{self, quote, Column, Kind};
use super::{Header, Line, Summary, FORMAT, FORMAT_VERSION, SKIPPED};
use crate::db::{migrate, now, Db, DbKind};

/// Writes a backup of `db` to `path`: first to `path.partial`, renamed only once complete, so
/// that a failed backup never leaves a file that looks like one. The file is readable by its
/// owner only: it holds every family's address and phone.
pub async fn backup(db: &Db, path: &Path) -> anyhow::Result<Summary> {
    let partial = PathBuf::from(format!("{}.partial", path.display()));
    let file = create_private(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut out = flate2::write::GzEncoder::new(std::io::BufWriter::new(file), flate2::Compression::default());
    let summary = match write_to(db, &mut out).await {
        Ok(summary) => summary,
        Err(e) => {
            drop(out);
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    let file = out.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    std::fs::rename(&partial, path).with_context(|| format!("renaming {} to {}", partial.display(), path.display()))?;
    Ok(summary)
}

fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// The backup as JSON lines into `out` (uncompressed).
pub(super) async fn write_to(db: &Db, out: &mut impl Write) -> anyhow::Result<Summary> {
    let mut tx = match db.kind {
        DbKind::Postgres => db.read.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?,
        // Deferred: the snapshot is taken at the first read below and held until the end.
        DbKind::Sqlite => db.read.begin().await?,
    };
    let schema_version = migrate::version(&mut tx).await.context("reading the schema version")?;
    let header = Header {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        schema_version,
        database: db.kind.name().into(),
        created_at: now(),
        jiafang: env!("CARGO_PKG_VERSION").into(),
    };
    write_line(out, &Line::Header(header))?;
    let mut rows = BTreeMap::new();
    for table in schema::tables(&mut tx, db.kind).await? {
        if table == migrate::BOOKKEEPING || SKIPPED.contains(&table.as_str()) {
            continue;
        }
        let columns = schema::columns(&mut tx, db.kind, &table).await?;
        write_line(out, &Line::Table { name: table.clone(), columns: columns.clone() })?;
        let count = write_rows(&mut tx, &table, &columns, out).await.with_context(|| format!("backing up {table}"))?;
        rows.insert(table, count);
    }
    write_line(out, &Line::End { rows: rows.clone() })?;
    out.flush()?;
    tx.rollback().await?;
    Ok(Summary { schema_version, rows })
}

fn write_line(out: &mut impl Write, line: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, line)?;
    out.write_all(b"\n")?;
    Ok(())
}

async fn write_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[Column],
    out: &mut impl Write,
) -> anyhow::Result<u64> {
    let list: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
    let sql = format!("SELECT {} FROM {}", list.join(", "), quote(table));
    let mut stream = sqlx::query(&sql).fetch(&mut *conn);
    let mut count = 0;
    while let Some(row) = stream.try_next().await? {
        let values = columns
            .iter()
            .enumerate()
            .map(|(i, column)| value(&row, i, column.kind).with_context(|| format!("column {}", column.name)))
            .collect::<anyhow::Result<Vec<Value>>>()?;
        write_line(out, &values)?;
        count += 1;
    }
    Ok(count)
}

/// One value, read by its column's declared kind (the `Any` driver decodes by type, not by
/// what a value happens to be).
pub(crate) fn value(row: &AnyRow, i: usize, kind: Kind) -> anyhow::Result<Value> {
    Ok(match kind {
        Kind::Integer => row.try_get::<Option<i64>, _>(i)?.map(Value::from),
        Kind::Real => match row.try_get::<Option<f64>, _>(i)? {
            Some(x) => Some(Value::Number(serde_json::Number::from_f64(x).context("a real that JSON cannot hold")?)),
            None => None,
        },
        Kind::Text => row.try_get::<Option<String>, _>(i)?.map(Value::from),
        Kind::Blob => row
            .try_get::<Option<Vec<u8>>, _>(i)?
            .map(|bytes| Value::from(base64::engine::general_purpose::STANDARD.encode(bytes))),
    }
    .unwrap_or(Value::Null))
}
