//! The database side of a visit import: students by number (and whether the importer reaches
//! them), staff by name, and visits imported before.

use shared::{CampaignId, UserId};
use std::collections::HashMap;

use super::check::Importer;
use crate::db::Sql;
use crate::error::Result;
use crate::users::{self, UserRow};
use crate::visits::access::{restrict_reachable, CampaignRef};
use crate::visits::push_ids;
use crate::Db;

#[derive(sqlx::FromRow)]
pub struct StudentRow {
    pub id: i64,
    pub student_no: String,
    pub name: String,
    pub class_name: String,
    pub college_name: String,
}

#[derive(sqlx::FromRow)]
pub struct ExistingRow {
    pub client_id: String,
    pub author_id: UserId,
    pub first: String,
}

fn texts(sql: &mut Sql, values: &[String]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(v.clone());
    }
}

pub async fn students(
    db: &Db,
    numbers: &[String],
    importer: Importer<'_>,
    campaign: CampaignId,
) -> Result<HashMap<String, (StudentRow, bool)>> {
    let mut found = HashMap::new();
    for chunk in numbers.chunks(500) {
        let mut sql = Sql::new(
            "SELECT s.id, s.student_no, s.name, cl.name AS class_name, co.name AS college_name FROM students s \
             JOIN classes cl ON cl.id = s.class_id JOIN colleges co ON co.id = cl.college_id WHERE s.student_no IN (",
        );
        texts(&mut sql, chunk);
        sql.push(")");
        let rows: Vec<StudentRow> = sql.fetch_all(&db.read).await?;
        let reachable: Vec<i64> = match importer {
            Importer::CommandLine => rows.iter().map(|r| r.id).collect(),
            Importer::User(user) => {
                let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
                let mut sql =
                    Sql::new("SELECT s.id FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id IN (");
                push_ids(&mut sql, &ids);
                sql.push(")");
                restrict_reachable(user, &mut sql, CampaignRef::Id(campaign));
                if ids.is_empty() {
                    Vec::new()
                } else {
                    sql.query()
                        .fetch_all(&db.read)
                        .await?
                        .iter()
                        .map(|r| sqlx::Row::try_get(r, 0))
                        .collect::<sqlx::Result<_>>()?
                }
            }
        };
        for r in rows {
            let ok = reachable.contains(&r.id);
            found.insert(r.student_no.clone(), (r, ok));
        }
    }
    Ok(found)
}

/// How a visitor's name in the file matched the staff accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffMatch {
    /// Exactly one account (activated or not yet activated: a school's first import records
    /// visits by counselors the roster import created, who have not signed in yet).
    One(UserId),
    /// Two or more accounts share the name.
    Several,
}

/// Staff by display name or username, among the accounts that are not disabled; a name that
/// matches nothing is absent.
pub async fn staff(db: &Db, names: &[String]) -> Result<HashMap<String, StaffMatch>> {
    let mut by_name: HashMap<String, Vec<UserId>> = HashMap::new();
    for chunk in names.chunks(300) {
        let mut sql = users::select();
        sql.push(" AND u.disabled_at IS NULL AND (u.display_name IN (");
        texts(&mut sql, chunk);
        sql.push(") OR u.username IN (");
        texts(&mut sql, chunk);
        sql.push("))");
        for u in sql.fetch_all::<UserRow>(&db.read).await? {
            for name in [u.display_name, u.username] {
                let ids = by_name.entry(name).or_default();
                if !ids.contains(&u.id.into()) {
                    ids.push(u.id.into());
                }
            }
        }
    }
    let matched = |ids: Vec<UserId>| if ids.len() == 1 { StaffMatch::One(ids[0]) } else { StaffMatch::Several };
    Ok(by_name.into_iter().map(|(name, ids)| (name, matched(ids))).collect())
}

pub async fn existing(db: &Db, ids: &[String]) -> Result<HashMap<String, ExistingRow>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(
            "SELECT v.client_id, v.author_id, r.after_json AS first FROM visits v \
             JOIN visit_revisions r ON r.visit_id = v.id AND r.revision = 1 WHERE v.client_id IN (",
        );
        texts(&mut sql, chunk);
        sql.push(")");
        for row in sql.fetch_all::<ExistingRow>(&db.read).await? {
            found.insert(row.client_id.clone(), row);
        }
    }
    Ok(found)
}
