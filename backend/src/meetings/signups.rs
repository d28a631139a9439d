//! The counselor's view of a meeting: every family and its answer, the waitlist, concerns by
//! topic, and attendance taken at the meeting.

use shared::history::HistoryMeeting;
use shared::meetings::{
    AnswerStatus, Attendance, AttendanceMark, ConcernGroup, FamilyRow, Signups, StaffConcern, Topic,
};
use shared::StudentId;

use super::{counts, MeetingRow};
use crate::audit;
use crate::auth::StaffUser;
use crate::dashboard::tally::{self, Subject};
use crate::db::{now, Db, Sql};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
struct Row {
    student_id: i64,
    student_name: String,
    student_no: String,
    answer: Option<String>,
    status: Option<String>,
    people: Option<i64>,
    queue_seq: Option<i64>,
    answered_by: Option<String>,
    present: Option<i64>,
}

/// Every family of the class with its answer; the waitlist in order of arrival.
pub async fn signups(db: &Db, meeting: &MeetingRow) -> Result<Signups> {
    let id = meeting.id;
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT s.id AS student_id, s.name AS student_name, s.student_no, a.answer, a.status, a.people, a.queue_seq, \
                CASE WHEN g.id IS NULL THEN NULL ELSE g.name END AS answered_by, att.present \
         FROM students s \
         LEFT JOIN meeting_answers a ON a.student_id = s.id AND a.meeting_id = $1 \
         LEFT JOIN guardians g ON g.id = a.guardian_id \
         LEFT JOIN meeting_attendance att ON att.student_id = s.id AND att.meeting_id = $1 \
         WHERE s.class_id = $2 ORDER BY s.name, s.id",
    )
    .bind(id)
    .bind(meeting.class_id)
    .fetch_all(&db.read)
    .await?;
    let mut waiting: Vec<(i64, i64)> = rows
        .iter()
        .filter(|r| r.status.as_deref() == Some("waitlisted"))
        .map(|r| (r.queue_seq.unwrap_or(0), r.student_id))
        .collect();
    waiting.sort();
    let families = rows
        .into_iter()
        .map(|r| FamilyRow {
            waitlist_position: waiting.iter().position(|w| w.1 == r.student_id).map(|p| p as i64 + 1),
            student_id: r.student_id.into(),
            student_name: r.student_name,
            student_no: r.student_no,
            answer: r.answer.as_deref().and_then(Attendance::from_code),
            status: r.status.as_deref().and_then(AnswerStatus::from_code),
            people: r.people.unwrap_or(0),
            answered_by: r.answered_by,
            attended: r.present == Some(1),
        })
        .collect();
    Ok(Signups { counts: counts(db, meeting).await?, families })
}

#[derive(sqlx::FromRow)]
struct ConcernRow {
    id: i64,
    topic: String,
    student_id: i64,
    student_name: String,
    text: String,
    created_at: i64,
    /// Sent under a consent since withdrawn: staff no longer see it (sensitive topics only).
    withdrawn: i64,
}

/// Concerns families raised, grouped by topic, for a caller who sees the meeting. Mental health and family finances are sensitive:
/// only for callers whose scope holds the class (the class's counselor and advisor, the college
/// leader, admins), and each read of them is written to the audit log.
pub async fn concerns(db: &Db, user: &StaffUser, id: i64) -> Result<Vec<ConcernGroup>> {
    let sensitive_ok = user.scope().sees_sensitive();
    let sql = format!(
        "SELECT c.id, c.topic, c.student_id, s.name AS student_name, c.text, c.created_at, \
                CAST(CASE WHEN {} THEN 0 ELSE 1 END AS BIGINT) AS withdrawn \
         FROM meeting_concerns c JOIN students s ON s.id = c.student_id WHERE c.meeting_id = $1 ORDER BY c.id",
        crate::privacy::visible_consent("c")
    );
    let rows: Vec<ConcernRow> = sqlx::query_as(&sql).bind(id).fetch_all(&db.read).await?;
    let mut groups: Vec<ConcernGroup> =
        Topic::ALL.into_iter().map(|topic| ConcernGroup { topic, concerns: Vec::new() }).collect();
    let mut audited = Vec::new();
    for r in rows {
        let Some(topic) = Topic::from_code(&r.topic) else { continue };
        if topic.is_sensitive() {
            if !sensitive_ok || r.withdrawn != 0 {
                continue;
            }
            audited.push(r.student_id);
        }
        if let Some(group) = groups.iter_mut().find(|g| g.topic == topic) {
            group.concerns.push(StaffConcern {
                id: r.id,
                topic,
                student_id: r.student_id.into(),
                student_name: r.student_name,
                text: r.text,
                created_at: r.created_at,
            });
        }
    }
    audited.sort();
    audited.dedup();
    for student_id in audited {
        audit::record(db, user.id, "read", Some(student_id.into()), &["meeting_concern"], &format!("meeting {id}"))
            .await?;
    }
    Ok(groups)
}

/// Marks a family present or absent at the meeting (tapping names on the tablet), with its
/// share of the tallies; 404 for a student not in the class.
pub async fn mark_attendance(db: &Db, user: &StaffUser, meeting: &MeetingRow, mark: &AttendanceMark) -> Result<()> {
    let id = meeting.id;
    let in_class: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE id = $1 AND class_id = $2")
        .bind(mark.student_id)
        .bind(meeting.class_id)
        .fetch_one(&db.read)
        .await?;
    if in_class == 0 {
        return Err(Error::NotFound);
    }
    let mut tx = db.write.begin().await?;
    let subject = Subject::Attendance { meeting: id, student: mark.student_id.get() };
    tally::apply(&mut tx, subject, -1).await?;
    sqlx::query(
        "INSERT INTO meeting_attendance (meeting_id, student_id, present, marked_by, marked_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (meeting_id, student_id) DO UPDATE SET \
         present = excluded.present, marked_by = excluded.marked_by, marked_at = excluded.marked_at",
    )
    .bind(id)
    .bind(mark.student_id)
    .bind(i64::from(mark.present))
    .bind(user.id)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    tally::apply(&mut tx, subject, 1).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct StudentMeetingRow {
    id: i64,
    theme: String,
    starts_at: i64,
    answer: Option<String>,
    status: Option<String>,
    people: Option<i64>,
    present: Option<i64>,
}

/// The parents' meetings of the student's class (and any other where their family answered or
/// was marked present), newest first, with the family's answer and attendance: for the student's
/// history. Only meetings of classes in the caller's scope, as for the meeting's own page.
pub async fn of_student(db: &Db, user: &StaffUser, student: StudentId) -> Result<Vec<HistoryMeeting>> {
    let mut sql = Sql::new(
        "SELECT m.id, m.theme, m.starts_at, a.answer, a.status, a.people, att.present \
         FROM meetings m JOIN classes cl ON cl.id = m.class_id \
         LEFT JOIN meeting_answers a ON a.meeting_id = m.id AND a.student_id = ",
    );
    sql.bind(student).push(" LEFT JOIN meeting_attendance att ON att.meeting_id = m.id AND att.student_id = ");
    sql.bind(student).push(" WHERE (m.class_id = (SELECT class_id FROM students WHERE id = ");
    sql.bind(student).push(") OR a.id IS NOT NULL OR att.present IS NOT NULL)");
    user.scope().restrict(&mut sql, "cl");
    sql.push(" ORDER BY m.starts_at DESC, m.id DESC LIMIT 500");
    let rows: Vec<StudentMeetingRow> = sql.fetch_all(&db.read).await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryMeeting {
            meeting_id: r.id.into(),
            theme: r.theme,
            starts_at: r.starts_at,
            answer: r.answer.as_deref().and_then(Attendance::from_code),
            status: r.status.as_deref().and_then(AnswerStatus::from_code),
            people: r.people.unwrap_or(0),
            attended: r.present == Some(1),
        })
        .collect())
}
