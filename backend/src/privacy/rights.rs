//! A family's rights over one student (issue 19 item 4, PIPL arts. 45–47): staff export
//! everything held about the student and their guardians, record a correction (made then
//! through the student's and guardians' edit forms, each change audited there), or erase it.
//! Admins for any student, a college's leader for their college's (the role × route matrix);
//! each request names a reason and is audited with the requester.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use shared::retention::{RightsDone, RightsRequest, MAX_REASON};
use shared::{Role, StudentId, VisitId};

use crate::auth::StaffUser;
use crate::backup::schema::{self, quote};
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::visits::blank::{self, Blank};
use crate::{audit, org, AppState};

/// Columns never exported: they let whoever holds them in (hashes of tokens, a link's nonce).
const SECRET_COLUMNS: [&str; 2] = ["token_hash", "nonce"];

/// 404 without the student; 403 unless an admin, or the leader of the student's college. Then
/// the reason, trimmed: required, at most `MAX_REASON` characters (422 on `reason`).
async fn check(state: &AppState, user: &StaffUser, id: StudentId, request: &RightsRequest) -> Result<String> {
    let class = org::edit::class_of_student(state, id).await?;
    org::classes::check_visible(&state.db, user, class).await?;
    user.require(&[Role::Admin, Role::CollegeLeader])?;
    let reason = request.reason.trim();
    if reason.is_empty() {
        return Err(Error::field("reason", Msg::new("请填写申请人和理由", "Say who asked and why")));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(Error::field("reason", Msg::new("最多 500 字", "At most 500 characters")));
    }
    Ok(reason.to_string())
}

/// Which rows of `table` are about the student, by its columns: the student's own row, rows
/// naming the student, one of their guardians, one of their visits or visit plans.
fn about_student(table: &str, columns: &[schema::Column]) -> Option<&'static str> {
    let has = |name: &str| columns.iter().any(|c| c.name == name);
    Some(if table == "students" {
        "id = $1"
    } else if has("student_id") {
        "student_id = $1"
    } else if has("guardian_id") {
        "guardian_id IN (SELECT id FROM guardians WHERE student_id = $1)"
    } else if has("visit_id") {
        "visit_id IN (SELECT id FROM visits WHERE student_id = $1)"
    } else if has("plan_id") {
        "plan_id IN (SELECT id FROM visit_plans WHERE student_id = $1)"
    } else {
        return None;
    })
}

/// Every row of every table that mentions the student, table by table (even the empty ones),
/// read in one transaction; each row an object of its columns, binary as base64.
pub async fn held_about(db: &Db, id: StudentId) -> Result<BTreeMap<String, Vec<Value>>> {
    let mut tx = db.read.begin().await?;
    let mut tables = BTreeMap::new();
    for table in schema::tables(&mut tx, db.kind).await? {
        let columns = schema::columns(&mut tx, db.kind, &table).await?;
        let Some(condition) = about_student(&table, &columns) else { continue };
        let list: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
        let sql = format!("SELECT {} FROM {} WHERE {condition}", list.join(", "), quote(&table));
        let rows = sqlx::query(&sql).bind(id).fetch_all(&mut *tx).await?;
        let mut out = Vec::new();
        for row in &rows {
            let mut object = Map::new();
            for (i, column) in columns.iter().enumerate() {
                let value = if SECRET_COLUMNS.contains(&column.name.as_str()) {
                    Value::Null
                } else {
                    crate::backup::value(row, i, column.kind)?
                };
                object.insert(column.name.clone(), value);
            }
            out.push(Value::Object(object));
        }
        tables.insert(table, out);
    }
    tx.rollback().await?;
    Ok(tables)
}

/// `POST /api/students/{id}/rights/export`: the file the family receives (JSON). Audited.
pub async fn export(state: &AppState, user: &StaffUser, id: StudentId, request: RightsRequest) -> Result<Value> {
    let reason = check(state, user, id, &request).await?;
    let tables = held_about(&state.db, id).await?;
    let detail = format!("export of everything held, requested: {reason}");
    audit::record(&state.db, user.id, "rights_export", Some(id), &["all"], &detail).await?;
    Ok(serde_json::json!({
        "student_id": id,
        "exported_at": now(),
        "exported_by": user.username,
        "reason": reason,
        "tables": tables,
    }))
}

/// `POST /api/students/{id}/rights/correction`: records a family's request to correct their
/// data, before staff change it with the edit forms (whose changes are audited field by field).
pub async fn correction(
    state: &AppState,
    user: &StaffUser,
    id: StudentId,
    request: RightsRequest,
) -> Result<RightsDone> {
    let reason = check(state, user, id, &request).await?;
    let detail = format!("correction requested: {reason}");
    audit::record(&state.db, user.id, "rights_correction", Some(id), &[], &detail).await?;
    Ok(RightsDone { done_at: now() })
}

/// `POST /api/students/{id}/rights/erase`: erases the student's and guardians' personal data in
/// one transaction — identity and contact (`org::erase_student`), every visit's notes and
/// sensitive notes with their revisions, follow-ups' text, typical cases and photos, concerns'
/// text and replies, feedback's suggestions, the guardians' links and sessions, the staff notices
/// that name the student (`notify::staff::forget_student`) — keeping every
/// row the figures count, the consents (proof) and the audit log. Again on an erased student
/// changes nothing more. Audited with the reason.
pub async fn erase(state: &AppState, user: &StaffUser, id: StudentId, request: RightsRequest) -> Result<RightsDone> {
    let reason = check(state, user, id, &request).await?;
    let mut tx = state.db.write.begin().await?;
    let visits: Vec<VisitId> =
        sqlx::query_scalar("SELECT id FROM visits WHERE student_id = $1").bind(id).fetch_all(&mut *tx).await?;
    blank::blank_notes(&mut tx, &visits, Blank { notes: true, sensitive: true }).await?;
    blank::blank_follow_ups(&mut tx, &visits).await?;
    const GUARDIANS: &str = "SELECT id FROM guardians WHERE student_id = $1";
    for sql in [
        "DELETE FROM visit_photos WHERE visit_id IN (SELECT id FROM visits WHERE student_id = $1)".to_string(),
        "DELETE FROM visit_cases WHERE visit_id IN (SELECT id FROM visits WHERE student_id = $1)".to_string(),
        "UPDATE meeting_concerns SET text = '', reply = CASE WHEN reply IS NULL THEN NULL ELSE '' END \
         WHERE student_id = $1"
            .to_string(),
        "UPDATE meeting_feedback SET suggestions = '' WHERE student_id = $1".to_string(),
        format!("DELETE FROM family_sessions WHERE guardian_id IN ({GUARDIANS})"),
        format!(
            "UPDATE meeting_messages SET link_id = NULL WHERE link_id IN \
             (SELECT id FROM meeting_links WHERE guardian_id IN ({GUARDIANS}))"
        ),
        format!("DELETE FROM meeting_links WHERE guardian_id IN ({GUARDIANS})"),
    ] {
        sqlx::query(&sql).bind(id).execute(&mut *tx).await?;
    }
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM students WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
    if let Some(name) = name.filter(|n| n != shared::retention::ERASED_NAME) {
        crate::notify::staff::forget_student(&mut tx, &name).await?;
    }
    org::erase_student(&mut tx, id).await?;
    let detail = format!("personal data erased, requested: {reason}");
    audit::record_in(&mut tx, Some(user.id), "rights_erase", Some(id), &["all"], &detail).await?;
    tx.commit().await?;
    Ok(RightsDone { done_at: now() })
}
