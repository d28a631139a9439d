//! The one walk over a checked roster that both previews and writes: colleges, counselors and
//! classes first, then students a chunk at a time (one query loads a chunk's stored students).
//! Writing happens on the caller's transaction, so it is all or nothing.

use std::collections::HashMap;

use shared::imports::{CreatedCounselor, ImportCounts, RowStatus};
use shared::Role;
use sqlx::{AnyConnection, Row};

use super::diff;
use super::roster::Roster;
use crate::org::{self, NewClass, NewUser};

/// Stored students are compared a chunk of rows at a time.
const CHUNK: usize = 500;

#[derive(Debug, Default)]
pub struct Outcome {
    pub counts: ImportCounts,
    /// One per roster row, in order.
    pub statuses: Vec<RowStatus>,
    pub created_counselors: Vec<CreatedCounselor>,
}

/// The organisation as the roster finds it.
struct OrgPlan {
    colleges: HashMap<String, i64>,
    /// Per roster class: its stored id and counselor.
    classes: Vec<Option<(i64, Option<i64>)>>,
    /// Per counselor name (an id in `Roster::strings`): the account, if there is one.
    counselors: HashMap<u32, Option<i64>>,
}

async fn plan(conn: &mut AnyConnection, roster: &Roster) -> sqlx::Result<OrgPlan> {
    let colleges: HashMap<String, i64> = sqlx::query("SELECT id, name FROM colleges")
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(1)?, r.try_get(0)?)))
        .collect::<sqlx::Result<_>>()?;
    let mut stored: HashMap<(i64, String), (i64, Option<i64>)> = HashMap::new();
    for r in sqlx::query("SELECT id, college_id, name, counselor_id FROM classes").fetch_all(&mut *conn).await? {
        stored.insert((r.try_get(1)?, r.try_get(2)?), (r.try_get(0)?, r.try_get(3)?));
    }
    let mut accounts: HashMap<String, Vec<(i64, Option<i64>)>> = HashMap::new();
    let rows = sqlx::query("SELECT id, display_name, college_id FROM users WHERE role = $1 ORDER BY id")
        .bind(Role::Counselor.code())
        .fetch_all(&mut *conn)
        .await?;
    for r in rows {
        accounts.entry(r.try_get(1)?).or_default().push((r.try_get(0)?, r.try_get(2)?));
    }
    let mut classes = Vec::with_capacity(roster.classes.len());
    let mut counselors = HashMap::new();
    for entry in &roster.classes {
        let college_id = colleges.get(roster.strings.get(entry.college)).copied();
        classes.push(college_id.and_then(|c| stored.get(&(c, entry.name.to_string())).copied()));
        if let Some(name) = entry.counselor {
            // The same name in the class's college first, else anywhere.
            let found = accounts.get(roster.strings.get(name)).and_then(|list| {
                list.iter().find(|(_, college)| college_id.is_some() && *college == college_id).or(list.first())
            });
            counselors.entry(name).or_insert(found.map(|(id, _)| *id));
        }
    }
    Ok(OrgPlan { colleges, classes, counselors })
}

/// Previews (`write` false) or writes the roster. Both count the same way.
pub async fn run(conn: &mut AnyConnection, roster: &Roster, write: bool) -> anyhow::Result<Outcome> {
    let mut plan = plan(conn, roster).await?;
    let mut out = Outcome::default();
    let c = &mut out.counts;
    let mut college_names: Vec<&str> = roster.classes.iter().map(|e| roster.strings.get(e.college)).collect();
    college_names.sort_unstable();
    college_names.dedup();
    c.new_colleges = college_names.iter().filter(|n| !plan.colleges.contains_key(**n)).count() as u64;
    c.new_classes = plan.classes.iter().filter(|c| c.is_none()).count() as u64;
    c.new_counselors = plan.counselors.values().filter(|id| id.is_none()).count() as u64;
    let class_ids =
        if write { Some(write_org(conn, roster, &mut plan, &mut out.created_counselors).await?) } else { None };
    let c = &mut out.counts;
    c.rows = roster.total_rows;
    c.rejected = roster.rejected_count;
    c.warnings = roster.warning_rows;
    out.statuses.reserve(roster.rows.len());
    for chunk in roster.rows.chunks(CHUNK) {
        let existing = diff::load(conn, chunk).await?;
        let mut inserts = Vec::new();
        for row in chunk {
            let mut change = diff::merge(roster, row, existing.get(&*row.student_no));
            out.statuses.push(change.status);
            match change.status {
                RowStatus::New => out.counts.new += 1,
                RowStatus::Updated => out.counts.updated += 1,
                _ => out.counts.unchanged += 1,
            }
            let Some(class_ids) = &class_ids else { continue };
            if change.status == RowStatus::New || change.moved {
                change.student.class_id = class_ids[row.class as usize];
            }
            match (change.status, change.existing_id) {
                (RowStatus::New, _) => inserts.push((change.student, change.guardian)),
                (RowStatus::Updated, Some(id)) => {
                    org::update_student(conn, id.into(), &change.student).await?;
                    if let (true, Some(g)) = (change.guardian_changed, &change.guardian) {
                        org::save_guardian(conn, id, change.guardian_id, g).await?;
                    }
                }
                _ => {}
            }
        }
        org::insert_students(conn, &inserts).await?;
    }
    Ok(out)
}

/// Creates what is new (colleges, counselor accounts waiting for activation, classes) and
/// assigns each class the counselor the roster names. Returns the class ids by roster class.
async fn write_org(
    conn: &mut AnyConnection,
    roster: &Roster,
    plan: &mut OrgPlan,
    created: &mut Vec<CreatedCounselor>,
) -> anyhow::Result<Vec<i64>> {
    let mut next_username = next_counselor_number(conn).await?;
    let mut ids = Vec::with_capacity(roster.classes.len());
    for (entry, stored) in roster.classes.iter().zip(&plan.classes) {
        let college_name = roster.strings.get(entry.college);
        let college_id = match plan.colleges.get(college_name) {
            Some(id) => *id,
            None => {
                let id = org::ensure_college(conn, college_name).await?;
                plan.colleges.insert(college_name.to_string(), id);
                id
            }
        };
        let counselor_id = match entry.counselor {
            Some(name) => Some(match plan.counselors.get(&name).copied().flatten() {
                Some(id) => id,
                None => {
                    let account = NewUser {
                        username: format!("counselor-{next_username}"),
                        display_name: roster.strings.get(name).to_string(),
                        role: Role::Counselor,
                        college_id: Some(college_id),
                        password_hash: None,
                        active: false,
                    };
                    next_username += 1;
                    let id = org::create_user(conn, &account).await?;
                    let display_name = account.display_name;
                    created.push(CreatedCounselor { id: id.into(), username: account.username, display_name });
                    plan.counselors.insert(name, Some(id));
                    id
                }
            }),
            None => None,
        };
        let id = match *stored {
            Some((id, current)) => {
                if let Some(counselor) = counselor_id.filter(|c| current != Some(*c)) {
                    org::set_class_counselor(conn, id, counselor).await?;
                }
                id
            }
            None => {
                let s = &roster.strings;
                let class = NewClass {
                    college_id,
                    name: entry.name.to_string(),
                    major: s.opt(entry.major),
                    grade: entry.grade.map(i64::from),
                    counselor_id,
                    advisor_id: None,
                };
                org::ensure_class(conn, &class).await?
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// `counselor-<n>` usernames continue after the highest one taken.
async fn next_counselor_number(conn: &mut AnyConnection) -> sqlx::Result<u64> {
    let names: Vec<String> = sqlx::query_scalar("SELECT username FROM users WHERE username LIKE 'counselor-%'")
        .fetch_all(&mut *conn)
        .await?;
    Ok(names.iter().filter_map(|n| n.strip_prefix("counselor-")?.parse::<u64>().ok()).max().unwrap_or(0) + 1)
}
