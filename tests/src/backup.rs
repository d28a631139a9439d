//! Backup tests' helpers: a school with rows in every table, every table read back without the
//! backup module's own reading, a backup file's rows in the same form, and empty databases.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use backend::Db;
use base64::Engine;
use serde_json::Value;
use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::{Column, Row, ValueRef};
use tempfile::TempDir;

use crate::TestDatabase;

/// Rows per table, each row as `column=value` texts joined by tabs, the rows sorted.
pub type Contents = BTreeMap<String, Vec<String>>;

/// What `contents` leaves out: what a backup leaves out, and the migrator's bookkeeping (whose
/// `applied_at` is the restore's time).
pub fn not_compared() -> Vec<&'static str> {
    let mut skip = backend::backup::SKIPPED.to_vec();
    skip.push("schema_migrations");
    skip
}

/// Every row of every table but those `not_compared`. Values are taken as what each one is
/// (the driver's kind of value), not by the column's declared type as the backup reads them.
pub async fn contents(db: &Db) -> Contents {
    let mut conn = db.read.acquire().await.expect("a connection");
    let tables = backend::backup::schema::tables(&mut conn, db.kind).await.expect("the tables");
    let mut all = BTreeMap::new();
    for table in tables.into_iter().filter(|t| !not_compared().contains(&t.as_str())) {
        let rows = sqlx::query(&format!("SELECT * FROM \"{table}\"")).fetch_all(&mut *conn).await.expect("rows");
        let mut texts: Vec<String> = rows
            .iter()
            .map(|row| {
                let values = (0..row.len()).map(|i| format!("{}={}", row.column(i).name(), text(row, i)));
                values.collect::<Vec<_>>().join("\t")
            })
            .collect();
        texts.sort();
        all.insert(table, texts);
    }
    all
}

/// A value by the kind the driver says the value itself is.
fn text(row: &AnyRow, i: usize) -> String {
    let raw = row.try_get_raw(i).expect("a value");
    if raw.is_null() {
        return "NULL".into();
    }
    let kind = raw.type_info().kind();
    match kind {
        AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
            row.try_get::<i64, _>(i).expect("an integer").to_string()
        }
        AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => format!("r{}", row.try_get::<f64, _>(i).expect("a real")),
        AnyTypeInfoKind::Text => format!("{:?}", row.try_get::<String, _>(i).expect("text")),
        AnyTypeInfoKind::Blob => format!("x{}", hex(&row.try_get::<Vec<u8>, _>(i).expect("binary"))),
        other => panic!("a value of an unexpected kind: {other:?}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The rows a backup file holds, in the form of `contents`, read straight from its JSON lines.
pub fn file_contents(path: &Path) -> Contents {
    let file = std::fs::File::open(path).expect("the backup file");
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(file));
    let mut all = Contents::new();
    let mut current: Option<(String, Vec<(String, String)>)> = None;
    for line in reader.lines() {
        let line: Value = serde_json::from_str(&line.expect("a line")).expect("a JSON line");
        if let Some(values) = line.as_array() {
            let (table, columns) = current.as_ref().expect("a table before its rows");
            let row = values.iter().zip(columns).map(|(v, (name, kind))| format!("{name}={}", file_text(v, kind)));
            all.get_mut(table).expect("the table").push(row.collect::<Vec<_>>().join("\t"));
        } else if let Some(table) = line.get("table") {
            let name = table["name"].as_str().expect("a name").to_string();
            let columns = table["columns"].as_array().expect("columns").iter();
            let columns = columns.map(|c| (c["name"].as_str().unwrap().into(), c["kind"].as_str().unwrap().into()));
            all.insert(name.clone(), Vec::new());
            current = Some((name, columns.collect()));
        }
    }
    all.values_mut().for_each(|rows| rows.sort());
    all
}

fn file_text(value: &Value, kind: &str) -> String {
    match (value, kind) {
        (Value::Null, _) => "NULL".into(),
        (Value::String(s), "blob") => {
            format!("x{}", hex(&base64::engine::general_purpose::STANDARD.decode(s).expect("base64")))
        }
        (Value::String(s), _) => format!("{s:?}"),
        (Value::Number(n), _) => n.to_string(),
        other => panic!("an unexpected value in a backup: {other:?}"),
    }
}

/// Fails naming the first table whose rows differ, and the first row that differs.
pub fn assert_same(expected: &Contents, actual: &Contents, what: &str) {
    let names = |c: &Contents| c.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(expected), names(actual), "{what}: the tables");
    for (table, rows) in expected {
        let other = &actual[table];
        if rows != other {
            let first = rows.iter().zip(other).find(|(a, b)| a != b);
            panic!("{what}: {table} differs ({} rows vs {}); first difference: {first:#?}", rows.len(), other.len());
        }
    }
}

/// An empty database of the test's own (not migrated), with what keeps it alive.
pub struct Scratch {
    pub db: Db,
    pub url: String,
    _database: TestDatabase,
    _dir: TempDir,
}

impl Scratch {
    /// Of the kind this run uses.
    pub async fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("a folder");
        Scratch::open(TestDatabase::create(dir.path()).await, dir).await
    }

    /// SQLite, whatever this run uses.
    pub async fn sqlite() -> Scratch {
        let dir = tempfile::tempdir().expect("a folder");
        Scratch::open(TestDatabase::sqlite(&dir.path().join("copy.db")), dir).await
    }

    async fn open(database: TestDatabase, dir: TempDir) -> Scratch {
        let db = Db::connect(&database.url).await.expect("connecting");
        Scratch { db, url: database.url.clone(), _database: database, _dir: dir }
    }
}
