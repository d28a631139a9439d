//! Restoring a backup: in ONE transaction, Jiafang's tables are dropped and created anew at the
//! backup's schema version, every row goes in, PostgreSQL's id sequences move past the ids
//! restored, and the remaining migrations bring the schema up to this binary's. Anything that
//! fails — a file cut short, a row that does not fit — leaves the database as it was.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use anyhow::{bail, Context};
use base64::Engine;
use serde_json::Value;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Executor};

use super::schema::{self, quote, Column, Kind};
use super::{Line, Summary, FORMAT, FORMAT_VERSION, SKIPPED};
use crate::db::{migrate, Db, DbKind};

/// Most bound values in one INSERT: under SQLite's historical limit of 999.
const MAX_PARAMS: usize = 900;

/// Restores the backup at `path` into `db`. A database holding any of Jiafang's data is refused
/// unless `replace` (the command line's `--force`) says to replace it.
pub async fn restore(db: &Db, path: &Path, replace: bool) -> anyhow::Result<Summary> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let input = std::io::BufReader::new(flate2::read::GzDecoder::new(std::io::BufReader::new(file)));
    read_from(db, input, replace).await.with_context(|| format!("restoring {}", path.display()))
}

pub(super) async fn read_from(db: &Db, input: impl BufRead, replace: bool) -> anyhow::Result<Summary> {
    let mut lines = input.lines().enumerate().map(|(n, line)| (n + 1, line));
    let first = lines.next().map(|(_, l)| l).transpose().context("reading the file (is it a gzip'd backup?)")?;
    let header = match first.as_deref().map(serde_json::from_str::<Line>) {
        Some(Ok(Line::Header(h))) if h.format == FORMAT && h.format_version == FORMAT_VERSION => h,
        Some(Ok(Line::Header(h))) if h.format == FORMAT => bail!(
            "备份格式版本不符 / the backup's format version is {}, this jiafang reads {FORMAT_VERSION}",
            h.format_version
        ),
        _ => bail!("这不是家访的备份文件 / not a Jiafang backup (no backup header on its first line)"),
    };
    if header.schema_version > migrate::LATEST {
        bail!(
            "备份来自更新版本的家访 / the backup comes from a newer Jiafang (schema version {}, this jiafang knows up to {}): \
             restore it with that version or a later one",
            header.schema_version,
            migrate::LATEST
        );
    }

    // SQLite: the one write connection; nothing else writes meanwhile.
    let mut tx = db.write.begin().await?;
    migrate::lock_in_transaction(&mut tx, db.kind).await?;
    if db.kind == DbKind::Sqlite {
        // Rows go in table by table; their foreign keys are checked once, at the commit.
        tx.execute("PRAGMA defer_foreign_keys = ON").await?;
    }
    clear(&mut tx, db.kind, replace).await?;
    migrate::apply(&mut tx, db.kind, header.schema_version).await?;

    let mut rows = BTreeMap::new();
    let mut table: Option<Batch> = None;
    let mut end = None;
    for (number, line) in lines {
        let line = line.with_context(|| format!("reading line {number}"))?;
        if end.is_some() {
            bail!("line {number}: more after the backup's last line");
        }
        if line.starts_with('[') {
            let batch = table.as_mut().with_context(|| format!("line {number}: a row before any table"))?;
            let values: Vec<Value> = serde_json::from_str(&line).with_context(|| format!("line {number}"))?;
            batch.push(values).with_context(|| format!("line {number} ({})", batch.table))?;
            if batch.full() {
                batch.flush(&mut tx).await?;
            }
            continue;
        }
        match serde_json::from_str::<Line>(&line).with_context(|| format!("line {number}"))? {
            Line::Header(_) => bail!("line {number}: a second header"),
            Line::Table { name, columns } => {
                if let Some(done) = table.take() {
                    rows.insert(done.table.clone(), done.finish(&mut tx).await?);
                }
                if rows.contains_key(&name) {
                    bail!("line {number}: table {name} appears twice");
                }
                table = Some(Batch::start(&mut tx, db.kind, name, columns).await?);
            }
            Line::End { rows } => end = Some(rows),
        }
    }
    if let Some(done) = table.take() {
        rows.insert(done.table.clone(), done.finish(&mut tx).await?);
    }
    match end {
        Some(expected) if expected == rows => {}
        Some(expected) => bail!("the backup's rows do not add up: its last line says {expected:?}, it held {rows:?}"),
        None => bail!("备份文件不完整 / the backup is incomplete (cut short?): its last line is missing"),
    }
    if db.kind == DbKind::Postgres {
        reset_sequences(&mut tx).await?;
    }
    migrate::apply(&mut tx, db.kind, migrate::LATEST).await?;
    tx.commit().await.context("committing the restore")?;
    Ok(Summary { schema_version: header.schema_version, rows })
}

/// Drops Jiafang's tables (never another application's), children first, after checking that
/// they hold nothing or that `replace` was asked for. Sessions and attempts go too, whatever.
async fn clear(conn: &mut AnyConnection, kind: DbKind, replace: bool) -> anyhow::Result<()> {
    let ours = migrate::tables();
    let present: Vec<String> = schema::tables(conn, kind).await?.into_iter().filter(|t| ours.contains(t)).collect();
    let mut holding = Vec::new();
    for table in &present {
        if table == migrate::BOOKKEEPING || SKIPPED.contains(&table.as_str()) {
            continue;
        }
        let n: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quote(table))).fetch_one(&mut *conn).await?;
        if n > 0 {
            holding.push(format!("{table}: {n}"));
        }
    }
    if !holding.is_empty() && !replace {
        bail!(
            "数据库中已有数据 / the database already holds data ({}): restore into an empty database, \
             or pass --force to replace everything in it",
            holding.join(", ")
        );
    }
    for table in present.iter().rev() {
        let cascade = if kind == DbKind::Postgres { " CASCADE" } else { "" };
        conn.execute(format!("DROP TABLE {}{cascade}", quote(table)).as_str()).await?;
    }
    Ok(())
}

/// One table's rows on their way in, several per INSERT.
struct Batch {
    table: String,
    columns: Vec<Column>,
    pending: Vec<Vec<Value>>,
    per_insert: usize,
    count: u64,
}

impl Batch {
    /// Checks the backup's columns against the table the migrations made: the same names (the
    /// order may differ) and kinds.
    async fn start(
        conn: &mut AnyConnection,
        kind: DbKind,
        table: String,
        columns: Vec<Column>,
    ) -> anyhow::Result<Batch> {
        let present = schema::tables(conn, kind).await?;
        if table == migrate::BOOKKEEPING || !present.contains(&table) {
            bail!("the backup's table {table} is not part of Jiafang's schema at its version");
        }
        let mut expected = schema::columns(conn, kind, &table).await?;
        let mut given = columns.clone();
        expected.sort_by(|a, b| a.name.cmp(&b.name));
        given.sort_by(|a, b| a.name.cmp(&b.name));
        if expected != given {
            bail!("the backup's columns of {table} ({given:?}) are not the schema's ({expected:?})");
        }
        let per_insert = (MAX_PARAMS / columns.len()).max(1);
        Ok(Batch { table, columns, pending: Vec::new(), per_insert, count: 0 })
    }

    fn push(&mut self, values: Vec<Value>) -> anyhow::Result<()> {
        if values.len() != self.columns.len() {
            bail!("{} values for {} columns", values.len(), self.columns.len());
        }
        for (value, column) in values.iter().zip(&self.columns) {
            check(value, column.kind).with_context(|| format!("column {}", column.name))?;
        }
        self.pending.push(values);
        Ok(())
    }

    fn full(&self) -> bool {
        self.pending.len() >= self.per_insert
    }

    async fn flush(&mut self, conn: &mut AnyConnection) -> anyhow::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let names: Vec<String> = self.columns.iter().map(|c| quote(&c.name)).collect();
        let width = self.columns.len();
        let tuples: Vec<String> = (0..self.pending.len())
            .map(|r| {
                let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
                format!("({})", params.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {} ({}) VALUES {}", quote(&self.table), names.join(", "), tuples.join(", "));
        self.count += self.pending.len() as u64;
        let mut query = sqlx::query(&sql);
        for row in self.pending.drain(..) {
            for (value, column) in row.into_iter().zip(&self.columns) {
                query = bind(query, value, column.kind);
            }
        }
        query.execute(&mut *conn).await.with_context(|| format!("inserting into {}", self.table))?;
        Ok(())
    }

    async fn finish(mut self, conn: &mut AnyConnection) -> anyhow::Result<u64> {
        self.flush(conn).await?;
        Ok(self.count)
    }
}

/// That a value from the file fits its column's kind (so that `bind` cannot go wrong).
fn check(value: &Value, kind: Kind) -> anyhow::Result<()> {
    let fits = match (value, kind) {
        (Value::Null, _) => true,
        (Value::Number(n), Kind::Integer) => n.is_i64(),
        (Value::Number(_), Kind::Real) => true,
        (Value::String(_), Kind::Text) => true,
        (Value::String(s), Kind::Blob) => base64::engine::general_purpose::STANDARD.decode(s).is_ok(),
        _ => false,
    };
    if !fits {
        bail!("{value} is not a {kind:?}");
    }
    Ok(())
}

/// Binds a checked value; NULL is bound with its column's type, which PostgreSQL needs.
fn bind<'q>(query: Query<'q, Any, AnyArguments<'q>>, value: Value, kind: Kind) -> Query<'q, Any, AnyArguments<'q>> {
    match kind {
        Kind::Integer => query.bind(value.as_i64()),
        Kind::Real => query.bind(value.as_f64()),
        Kind::Text => query.bind(value.as_str().map(str::to_string)),
        Kind::Blob => query.bind(value.as_str().and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())),
    }
}

/// Explicit ids went in: each serial or identity column's sequence must continue after the
/// largest, or the next row the server inserts would collide with a restored one.
async fn reset_sequences(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let serial: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
         WHERE table_schema = current_schema() AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (table, column) in serial {
        let sql = format!(
            "SELECT CAST(setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({}), 0) + 1, false) AS BIGINT) FROM {}",
            quote(&column),
            quote(&table)
        );
        sqlx::query(&sql).bind(quote(&table)).bind(column.clone()).execute(&mut *conn).await?;
    }
    Ok(())
}
