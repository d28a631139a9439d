//! Checking a visit file against the database: whose student each row is, who the visitors
//! are, and whether the row was imported before (same content, same id: nothing to do).

use shared::imports::{ImportCounts, IssueKind, PreviewRow, RowStatus};
use shared::visits::{NewVisit, VisitRecord};
use shared::{CampaignId, UserId};
use sqlx::AnyConnection;

use super::lookup::{existing, staff, students, StaffMatch, StudentRow};
use super::rows::{self, Column, FileRow, VisitFile};
use crate::auth::StaffUser;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::visits::store::{self, from_json, Outcome};
use crate::visits::{access, validate};
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
    pub author_id: UserId,
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

/// What a row for a student the importer may not see says, exactly as for a number nobody has:
/// nothing of the student, not even that they exist.
const UNKNOWN_OR_NOT_YOURS: Msg =
    Msg::new("没有这个学号的学生，或不是您负责的学生", "Unknown student number, or not one of your students");

/// Reads and checks a file; nothing is written. A closed campaign takes no imports (422
/// `campaign_closed`).
pub async fn check(db: &Db, mut file: VisitFile, campaign: CampaignId, importer: Importer<'_>) -> Result<Checked> {
    access::check_campaign_open(db, campaign).await?;
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
    let ids: Vec<String> = rows.iter().map(|r| rows::client_id(campaign.get(), r)).collect();
    let existing = existing(db, &ids).await?;
    for (row, client_id) in rows.iter().zip(ids) {
        let student = match (students.get(&row.student_no), importer) {
            (Some((student, true)), _) => student,
            // From the web: a student out of the importer's reach is told apart from an unknown
            // number by nothing at all.
            (_, Importer::User(_)) => {
                let msg = UNKNOWN_OR_NOT_YOURS;
                reject(&mut out, row, Some(Column::StudentNo), IssueKind::Rejected, msg, None);
                continue;
            }
            (_, Importer::CommandLine) => {
                let msg = Msg::new("没有这个学号的学生", "No student has this number");
                reject(&mut out, row, Some(Column::StudentNo), IssueKind::Rejected, msg, None);
                continue;
            }
        };
        let known: Vec<UserId> = row
            .visitors
            .iter()
            .filter_map(|n| match staff.get(n) {
                Some(StaffMatch::One(id)) => Some(*id),
                _ => None,
            })
            .collect();
        let unknown: Vec<&str> = row.visitors.iter().filter(|n| !staff.contains_key(*n)).map(String::as_str).collect();
        let several: Vec<&str> =
            row.visitors.iter().filter(|n| staff.get(*n) == Some(&StaffMatch::Several)).map(String::as_str).collect();
        let author_id = match importer {
            Importer::User(user) => user.id,
            Importer::CommandLine => match known.first() {
                Some(id) => *id,
                None => {
                    let mut msg = unmatched(&unknown, &several);
                    msg.zh = format!("无法确定走访记录的作者：{}", msg.zh).into();
                    msg.en = format!("No visitor names exactly one account: {}", msg.en).into();
                    reject(&mut out, row, Some(Column::Visitors), IssueKind::Rejected, msg, Some(student));
                    continue;
                }
            },
        };
        // The visitors with accounts read the visit: the rule of a visit's members (the command
        // line's author included, who is one of them).
        let readers: Vec<UserId> = match importer {
            Importer::User(user) => known.iter().copied().filter(|id| *id != user.id).collect(),
            Importer::CommandLine => known.clone(),
        };
        let ineligible = access::ineligible_imported_members(db, campaign, student.id.into(), &readers).await?;
        if !ineligible.is_empty() {
            let names: Vec<&str> = row
                .visitors
                .iter()
                .filter(|n| matches!(staff.get(*n), Some(StaffMatch::One(id)) if ineligible.contains(id)))
                .map(String::as_str)
                .collect();
            let names = names.join("、");
            let rule = access::MEMBER_NOT_ELIGIBLE;
            let msg = Msg::owned(format!("{}：{names}", rule.zh), format!("{}: {names}", rule.en));
            reject(&mut out, row, Some(Column::Visitors), IssueKind::Rejected, msg, Some(student));
            continue;
        }
        let mut notes = row.notes.clone();
        let unmatched_names: Vec<&str> = unknown.iter().chain(&several).copied().collect();
        if !unmatched_names.is_empty() {
            notes = format!("{notes}\n走访人：{}", unmatched_names.join("、")).trim().to_string();
            let why = unmatched(&unknown, &several);
            out.issues.push(Issue {
                row: row.row,
                column: Some(Column::Visitors),
                kind: IssueKind::Warning,
                msg: Msg::owned(
                    format!("未匹配到唯一账号的走访人已写入备注（{}）", why.zh),
                    format!("Visitors not matching exactly one account were added to the notes ({})", why.en),
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
            student_id: student.id.into(),
            plan_id: None,
            record,
            follow_ups: Vec::new(),
            addressed: Vec::new(),
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
        let warned = !unmatched_names.is_empty();
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

/// Which visitors' names match no staff account and which match several, in both languages.
fn unmatched(unknown: &[&str], several: &[&str]) -> Msg {
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if !unknown.is_empty() {
        zh.push(format!("没有此姓名的账号：{}", unknown.join("、")));
        en.push(format!("no account has the name {}", unknown.join(", ")));
    }
    if !several.is_empty() {
        zh.push(format!("多个账号同名：{}", several.join("、")));
        en.push(format!("several accounts share the name {}", several.join(", ")));
    }
    if zh.is_empty() {
        zh.push("未填写走访人".to_string());
        en.push("no visitor is named".to_string());
    }
    Msg::owned(zh.join("；"), en.join("; "))
}

/// Stores the new rows on the caller's transaction: all of them, or (on any failure) none.
pub async fn write(tx: &mut AnyConnection, checked: &Checked) -> Result<u64> {
    let mut stored = 0;
    for p in checked.planned.iter().filter(|p| p.preview.status == RowStatus::New) {
        match store::log(tx, p.author_id, &p.visit).await? {
            Outcome::Stored(_) => stored += 1,
            Outcome::Duplicate(_) => {}
            Outcome::Conflict(_) => {
                return Err(Error::Conflict(Msg::new(
                    "导入期间有人导入了相同的行，请重新预览",
                    "The same rows were imported meanwhile: preview again",
                )));
            }
            Outcome::Closed => return Err(access::campaign_closed()),
        }
    }
    Ok(stored)
}
