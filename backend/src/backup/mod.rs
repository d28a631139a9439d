//! `jiafang backup FILE` and `jiafang restore FILE`: every row of every table in one portable
//! file, so that a backup of SQLite restores into PostgreSQL (a school moving up) and back.
//!
//! The file is gzip'd JSON lines: a header (format, the schema version, where it came from),
//! then per table a line naming its columns and their kinds followed by one JSON array per row,
//! and a last line with the row count of every table — a file cut short is refused. Integers
//! and reals are JSON numbers, text is a JSON string, binary is base64, NULL is `null`.
//!
//! The backup reads everything inside one read transaction, a consistent snapshot while the
//! server goes on writing: `REPEATABLE READ READ ONLY` on PostgreSQL; on SQLite (WAL) a read
//! transaction sees the database as of its first read until it ends, and blocks no writer.
//!
//! Not backed up (see `SKIPPED`): sessions, family sessions and sign-in attempts. A restored
//! copy must not let anyone in on an old cookie: a session ended by sign-out or by disabling an
//! account after the backup would otherwise come back to life, and whoever holds a backup file
//! would hold live sessions. Everyone signs in again (families open their link again, which the
//! restore keeps); attempt counts are minutes-long rate limits, not records.

mod dump;
mod load;
pub mod schema;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use dump::backup;
pub(crate) use dump::value;
pub use load::restore;

/// Tables left out of a backup and emptied by a restore, and why: see the module's comment.
pub const SKIPPED: &[&str] = &["sessions", "family_sessions", "attempts"];

const FORMAT: &str = "jiafang-backup";
const FORMAT_VERSION: i64 = 1;

/// The first line of a backup.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub format_version: i64,
    /// The migrator's latest applied migration in the backed-up database.
    pub schema_version: i64,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Unix seconds.
    pub created_at: i64,
    /// The version of the `jiafang` that wrote it.
    pub jiafang: String,
}

/// One line of a backup that is not a row.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Line {
    Header(Header),
    /// The rows that follow, up to the next `Table` or `End`, are this table's.
    Table {
        name: String,
        columns: Vec<schema::Column>,
    },
    /// Rows per table: a restore checks it read exactly these.
    End {
        rows: BTreeMap<String, u64>,
    },
}

/// What a backup holds or a restore wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub schema_version: i64,
    /// Rows per table, every table of the backup listed (empty ones with 0).
    pub rows: BTreeMap<String, u64>,
}

impl Summary {
    pub fn total_rows(&self) -> u64 {
        self.rows.values().sum()
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} rows in {} tables (schema version {})", self.total_rows(), self.rows.len(), self.schema_version)
    }
}
