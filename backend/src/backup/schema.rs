//! What the database itself says about its tables: their names, their columns' kinds and the
//! foreign keys between them. Read from `sqlite_master` / `information_schema` each time, so a
//! new migration's table is backed up without anyone remembering to list it.

use anyhow::{bail, Context};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::db::DbKind;

/// How a column's values are read, written to the backup and bound again. Jiafang's schema uses
/// only these (BIGINT, TEXT, BLOB/BYTEA); a column of any other type stops the backup with its
/// name rather than being written in a form the restore could not bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Integer,
    Real,
    Text,
    Blob,
}

impl Kind {
    fn of_declared(declared: &str) -> Option<Kind> {
        let t = declared.to_ascii_lowercase();
        // SQLite's affinity rules, which also cover PostgreSQL's names for these types.
        if t.contains("int") || t.contains("serial") {
            Some(Kind::Integer)
        } else if t.contains("char") || t.contains("text") || t.contains("clob") {
            Some(Kind::Text)
        } else if t.contains("blob") || t == "bytea" {
            Some(Kind::Blob)
        } else if t.contains("real") || t.contains("floa") || t.contains("doub") {
            Some(Kind::Real)
        } else {
            None
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// `"name"`: identifiers come from the database's own catalogue (or, on restore, are checked
/// against it), and are quoted anyway because several are SQL words (`key`, `at`, `text`).
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The tables of the database, parents before the tables whose foreign keys point at them.
pub async fn tables(conn: &mut AnyConnection, kind: DbKind) -> anyhow::Result<Vec<String>> {
    let names: Vec<String> = match kind {
        DbKind::Sqlite => {
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                .fetch_all(&mut *conn)
                .await?
        }
        DbKind::Postgres => {
            sqlx::query_scalar(
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let edges: Vec<(String, String)> = match kind {
        DbKind::Sqlite => {
            let mut edges = Vec::new();
            for name in &names {
                let parents: Vec<String> = sqlx::query_scalar("SELECT \"table\" FROM pragma_foreign_key_list($1)")
                    .bind(name.clone())
                    .fetch_all(&mut *conn)
                    .await?;
                edges.extend(parents.into_iter().map(|p| (name.clone(), p)));
            }
            edges
        }
        DbKind::Postgres => {
            sqlx::query_as(
                "SELECT CAST(child.relname AS TEXT), CAST(parent.relname AS TEXT) FROM pg_constraint c \
             JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()",
            )
            .fetch_all(&mut *conn)
            .await?
        }
    };
    parents_first(names, &edges)
}

/// Kahn's sort, by name among equals so that backups list tables in a stable order. A table's
/// reference to itself is left out: its rows would need ordering among themselves (Jiafang has
/// none; SQLite's restore defers foreign keys to the commit anyway).
fn parents_first(mut names: Vec<String>, edges: &[(String, String)]) -> anyhow::Result<Vec<String>> {
    names.sort();
    let mut ordered: Vec<String> = Vec::with_capacity(names.len());
    while ordered.len() < names.len() {
        let ready = names.iter().find(|n| {
            !ordered.contains(n)
                && edges.iter().all(|(child, parent)| {
                    child != *n || parent == *n || ordered.contains(parent) || !names.contains(parent)
                })
        });
        match ready {
            Some(name) => ordered.push(name.clone()),
            None => bail!("the foreign keys between these tables form a cycle: cannot order {names:?}"),
        }
    }
    Ok(ordered)
}

/// A table's columns in their order, each with the kind its declared type says.
pub async fn columns(conn: &mut AnyConnection, kind: DbKind, table: &str) -> anyhow::Result<Vec<Column>> {
    let declared: Vec<(String, String)> = match kind {
        DbKind::Sqlite => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                .bind(table.to_string())
                .fetch_all(&mut *conn)
                .await?
        }
        DbKind::Postgres => {
            sqlx::query_as(
                "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            )
            .bind(table.to_string())
            .fetch_all(&mut *conn)
            .await?
        }
    };
    if declared.is_empty() {
        bail!("table {table} has no columns (or does not exist)");
    }
    declared
        .into_iter()
        .map(|(name, ty)| {
            let kind = Kind::of_declared(&ty)
                .with_context(|| format!("{table}.{name} is of type {ty:?}, which the backup does not handle"))?;
            Ok(Column { name, kind })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_types_of_both_databases() {
        for (ty, kind) in [
            ("INTEGER", Kind::Integer),
            ("BIGINT", Kind::Integer),
            ("bigint", Kind::Integer),
            ("TEXT", Kind::Text),
            ("text", Kind::Text),
            ("character varying", Kind::Text),
            ("BLOB", Kind::Blob),
            ("bytea", Kind::Blob),
            ("double precision", Kind::Real),
        ] {
            assert_eq!(Kind::of_declared(ty), Some(kind), "{ty}");
        }
        assert_eq!(Kind::of_declared("boolean"), None);
        assert_eq!(Kind::of_declared("jsonb"), None);
    }

    #[test]
    fn parents_come_first_and_cycles_are_refused() {
        let names = ["visits", "users", "campaigns", "colleges", "attempts"].map(String::from).to_vec();
        let edges = [("visits", "users"), ("visits", "campaigns"), ("users", "colleges"), ("users", "users")]
            .map(|(a, b)| (a.to_string(), b.to_string()));
        let order = parents_first(names, &edges).unwrap();
        assert_eq!(order, ["attempts", "campaigns", "colleges", "users", "visits"]);
        let cycle = [("a", "b"), ("b", "a")].map(|(a, b)| (a.to_string(), b.to_string()));
        assert!(parents_first(vec!["a".into(), "b".into()], &cycle).is_err());
    }

    #[test]
    fn quotes_are_doubled() {
        assert_eq!(quote("key"), "\"key\"");
        assert_eq!(quote("a\"b"), "\"a\"\"b\"");
    }
}
