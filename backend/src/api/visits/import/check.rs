//! Checking a visit file against the database: whose student each row is, who the visitors
//! are, and whether the row was imported before (same content, same id: nothing to do).

use std::collections::HashMap;

use shared::imports::{ImportCounts, IssueKind, PreviewRow, RowStatus};
use shared::visits::{NewVisit, VisitRecord};
use sqlx::AnyConnection;

use super::rows::{self, Column, FileRow, VisitFile};
use crate::api::visits::access::{restrict_reachable, CampaignRef};
use crate::api::visits::store::{self, from_json, Outcome};
use crate::api::visits::{push_ids, validate};
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::Db;

/// Who imports: a signed-in staff member (the author of every visit, for their own students),
/// or the command line (the first visitor with an account is the author; any student).
#[derive(Clone, Copy)]
pub enum Importer<'a> {
    User(&'a StaffUser),
    CommandLine,
}

#[derive(Debug, Clone)]
pub struct Issue {
    pub row: u32,
    pub column: Option<Column>,
    pub kind: IssueKind,
    pub msg: Msg,
}

/// A row that will be (or was already) stored.
#[derive(Debug, Clone)]
pub struct Planned {
    pub preview: PreviewRow,
    pub author_id: i64,
    pub visit: NewVisit,
}

#[derive(Debug, Default)]
pub struct Checked {
    pub file: VisitFile,
    pub planned: Vec<Planned>,
    pub rejected: Vec<PreviewRow>,
    pub issues: Vec<Issue>,
    pub counts: ImportCounts,
}

#[derive(sqlx::FromRow)]
struct StudentRow {
    id: i64,
    student_no: String,
    name: String,
    class_name: String,
    college_name: String,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
}

#[derive(sqlx::FromRow)]
struct ExistingRow {
    client_id: String,
    author_id: i64,
    first: String,
}

fn texts(sql: &mut Sql, values: &[String]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(v.clone());
    }
}

async fn students(
    db: &Db,
    numbers: &[String],
    importer: Importer<'_>,
    campaign: i64,
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

/// Staff by display name or username; a name two people share is left out.
async fn staff(db: &Db, names: &[String]) -> Result<HashMap<String, i64>> {
    let mut by_name: HashMap<String, Vec<i64>> = HashMap::new();
    for chunk in names.chunks(300) {
        let mut sql = Sql::new("SELECT id, username, display_name FROM users WHERE active = 1 AND (display_name IN (");
        texts(&mut sql, chunk);
        sql.push(") OR username IN (");
        texts(&mut sql, chunk);
        sql.push("))");
        for u in sql.fetch_all::<UserRow>(&db.read).await? {
            for name in [u.display_name, u.username] {
                let ids = by_name.entry(name).or_default();
                if !ids.contains(&u.id) {
                    ids.push(u.id);
                }
            }
        }
    }
    Ok(by_name.into_iter().filter_map(|(name, ids)| (ids.len() == 1).then(|| (name, ids[0]))).collect())
}

async fn existing(db: &Db, ids: &[String]) -> Result<HashMap<String, ExistingRow>> {
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

fn reject(
    out: &mut Checked,
    row: &FileRow,
    column: Option<Column>,
    kind: IssueKind,
    msg: Msg,
    student: Option<&StudentRow>,
) {
    out.issues.push(Issue { row: row.row, column, kind, msg });
    out.rejected.push(preview_row(row, RowStatus::Rejected, Some(kind), student));
}

fn preview_row(row: &FileRow, status: RowStatus, issue: Option<IssueKind>, student: Option<&StudentRow>) -> PreviewRow {
    PreviewRow {
        row: row.row,
        status,
        issue,
        student_no: row.student_no.clone(),
        name: student.map(|s| s.name.clone()).unwrap_or_default(),
        college: student.map(|s| s.college_name.clone()).unwrap_or_default(),
        class: student.map(|s| s.class_name.clone()).unwrap_or_default(),
    }
}

/// Reads and checks a file; nothing is written.
pub async fn check(db: &Db, mut file: VisitFile, campaign: i64, importer: Importer<'_>) -> Result<Checked> {
    let mut out = Checked { counts: ImportCounts::default(), ..Default::default() };
    for r in std::mem::take(&mut file.refused) {
        out.issues.push(Issue { row: r.row, column: r.column, kind: IssueKind::Rejected, msg: r.msg });
        let row = PreviewRow {
            row: r.row,
            status: RowStatus::Rejected,
            issue: Some(IssueKind::Rejected),
            student_no: r.student_no,
            name: String::new(),
            college: String::new(),
            class: String::new(),
        };
        out.rejected.push(row);
    }
    let rows = std::mem::take(&mut file.rows);
    let numbers: Vec<String> = rows.iter().map(|r| r.student_no.clone()).collect();
    let students = students(db, &numbers, importer, campaign).await?;
    let mut names: Vec<String> = rows.iter().flat_map(|r| r.visitors.clone()).collect();
    names.sort();
    names.dedup();
    let staff = staff(db, &names).await?;
    let ids: Vec<String> = rows.iter().map(|r| rows::client_id(campaign, r)).collect();
    let existing = existing(db, &ids).await?;
    for (row, client_id) in rows.iter().zip(ids) {
        let Some((student, reachable)) = students.get(&row.student_no) else {
            reject(
                &mut out,
                row,
                Some(Column::StudentNo),
                IssueKind::Rejected,
                Msg::new("没有这个学号的学生", "No student has this number"),
                None,
            );
            continue;
        };
        if !reachable {
            reject(
                &mut out,
                row,
                Some(Column::StudentNo),
                IssueKind::Rejected,
                Msg::new("不是您负责的学生", "Not one of your students"),
                Some(student),
            );
            continue;
        }
        let known: Vec<i64> = row.visitors.iter().filter_map(|n| staff.get(n).copied()).collect();
        let unknown: Vec<&str> = row.visitors.iter().filter(|n| !staff.contains_key(*n)).map(String::as_str).collect();
        let author_id = match importer {
            Importer::User(user) => user.id,
            Importer::CommandLine => match known.first() {
                Some(id) => *id,
                None => {
                    reject(
                        &mut out,
                        row,
                        Some(Column::Visitors),
                        IssueKind::Rejected,
                        Msg::new("走访人中没有系统账号", "No visitor has an account"),
                        Some(student),
                    );
                    continue;
                }
            },
        };
        let mut notes = row.notes.clone();
        if !unknown.is_empty() {
            notes = format!("{notes}\n走访人：{}", unknown.join("、")).trim().to_string();
            let list = unknown.join("、");
            out.issues.push(Issue {
                row: row.row,
                column: Some(Column::Visitors),
                kind: IssueKind::Warning,
                msg: Msg::owned(
                    format!("没有账号的走访人已写入备注：{list}"),
                    format!("Visitors without an account were added to the notes: {list}"),
                ),
            });
            out.counts.warnings += 1;
        }
        let draft = VisitRecord {
            date: row.date.clone(),
            mode: row.mode,
            member_ids: known.into_iter().filter(|id| *id != author_id).collect(),
            aspects: row.aspects.clone(),
            notes,
            ..VisitRecord::default()
        };
        let mut check = validate::Check::default();
        let mut record = validate::record(&mut check, &draft);
        record.sensitive_notes = Some(String::new());
        if let Err(Error::Validation(fields)) = check.finish() {
            let msg = fields.into_iter().next().map(|(_, m)| m).unwrap_or(Msg::new("内容无效", "Invalid"));
            reject(&mut out, row, None, IssueKind::Rejected, msg, Some(student));
            continue;
        }
        let visit = NewVisit {
            client_id: client_id.clone(),
            campaign_id: campaign,
            student_id: student.id,
            plan_id: None,
            record,
            follow_ups: Vec::new(),
        };
        let status = match existing.get(&client_id) {
            None => RowStatus::New,
            Some(e) if e.author_id == author_id && from_json(&e.first).is_ok_and(|r| r == visit.record) => {
                RowStatus::Unchanged
            }
            Some(_) => {
                reject(
                    &mut out,
                    row,
                    None,
                    IssueKind::Conflict,
                    Msg::new("这一行已由他人导入", "Someone else imported this row"),
                    Some(student),
                );
                continue;
            }
        };
        let warned = !unknown.is_empty();
        out.planned.push(Planned {
            preview: preview_row(row, status, warned.then_some(IssueKind::Warning), Some(student)),
            author_id,
            visit,
        });
    }
    out.counts.rows = (out.planned.len() + out.rejected.len()) as u64;
    out.counts.new = out.planned.iter().filter(|p| p.preview.status == RowStatus::New).count() as u64;
    out.counts.unchanged = out.planned.iter().filter(|p| p.preview.status == RowStatus::Unchanged).count() as u64;
    out.counts.rejected = out.rejected.len() as u64;
    out.file = file;
    Ok(out)
}

/// Stores the new rows on the caller's transaction: all of them, or (on any failure) none.
pub async fn write(tx: &mut AnyConnection, checked: &Checked) -> Result<u64> {
    let mut stored = 0;
    for p in checked.planned.iter().filter(|p| p.preview.status == RowStatus::New) {
        match store::insert(tx, p.author_id, &p.visit).await? {
            Outcome::Stored(_) => stored += 1,
            Outcome::Duplicate(_) => {}
            Outcome::Conflict(_) => {
                return Err(Error::Conflict(Msg::new(
                    "导入期间有人导入了相同的行，请重新预览",
                    "The same rows were imported meanwhile: preview again",
                )));
            }
        }
    }
    Ok(stored)
}
