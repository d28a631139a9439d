//! The outbox: texts per guardian (invitation with their link, reminder the day before, moved
//! off the waitlist), shown on the meeting page with their delivery status, exported as xlsx for
//! the school's SMS or WeChat tool, and delivered by `notify::worker` when SMS is configured. Texts are written when read: an invitation carries a
//! link, and links are never stored.

use shared::meetings::{DeliveryStatus, MessageKind, OutboxMessage};
use shared::Lang;
use sqlx::AnyConnection;

use super::MeetingRow;
use crate::db::{now, Db};
use crate::error::Result;
use crate::notify::{staff, switches, Channels};
use shared::messages::MessageSwitch;

pub async fn queue(conn: &mut AnyConnection, meeting_id: i64, guardian_id: i64, kind: MessageKind) -> Result<()> {
    queue_with_link(conn, meeting_id, guardian_id, kind, None).await
}

pub async fn queue_with_link(
    conn: &mut AnyConnection,
    meeting_id: i64,
    guardian_id: i64,
    kind: MessageKind,
    link_id: Option<i64>,
) -> Result<()> {
    // Not if an admin switched this kind off for the meeting's campaign: one statement, since a
    // promotion from the waitlist queues its message while the meeting's lock is held.
    let sql = format!(
        "INSERT INTO meeting_messages (meeting_id, guardian_id, kind, link_id, created_at) \
         SELECT $1, $2, $3, $4, $5 WHERE {}",
        switches::on_for_meeting("$1", kind.switch())
    );
    sqlx::query(&sql)
        .bind(meeting_id)
        .bind(guardian_id)
        .bind(kind.code())
        .bind(link_id)
        .bind(now())
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    meeting_id: i64,
    kind: String,
    guardian_name: String,
    student_name: String,
    phone: Option<String>,
    created_at: i64,
    sent_at: Option<i64>,
    status: String,
    attempts: i64,
    last_attempt_at: Option<i64>,
    next_attempt_at: i64,
    last_error: Option<String>,
    opted_out_at: Option<i64>,
    /// The invitation's own link, else the guardian's newest active link for this meeting.
    nonce: Option<String>,
}

const MESSAGE_SELECT: &str = "SELECT mm.id, mm.meeting_id, mm.kind, g.name AS guardian_name, s.name AS student_name, \
       g.phone, mm.created_at, mm.sent_at, mm.status, mm.attempts, mm.last_attempt_at, mm.next_attempt_at, \
       mm.last_error, g.opted_out_at, \
       COALESCE((SELECT l.nonce FROM meeting_links l WHERE l.id = mm.link_id AND l.revoked_at IS NULL), \
                (SELECT l.nonce FROM meeting_links l WHERE l.guardian_id = mm.guardian_id \
                   AND l.meeting_id = mm.meeting_id AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1)) AS nonce \
     FROM meeting_messages mm JOIN guardians g ON g.id = mm.guardian_id JOIN students s ON s.id = g.student_id";

/// Every message of the meeting with its text, an invitation's link made by `url` from the
/// link's nonce. Phones are sensitive: the caller audits each read.
pub async fn messages(
    db: &Db,
    meeting: &MeetingRow,
    url: &(dyn Fn(&str) -> String + Sync),
) -> Result<Vec<OutboxMessage>> {
    let rows: Vec<MessageRow> = sqlx::query_as(&format!("{MESSAGE_SELECT} WHERE mm.meeting_id = $1 ORDER BY mm.id"))
        .bind(meeting.id)
        .fetch_all(&db.read)
        .await?;
    rows.into_iter().map(|r| outbox_message(r, meeting, url)).collect()
}

fn outbox_message(r: MessageRow, meeting: &MeetingRow, url: &(dyn Fn(&str) -> String + Sync)) -> Result<OutboxMessage> {
    let kind = MessageKind::from_code(&r.kind).ok_or_else(|| anyhow::anyhow!("stored kind {:?}", r.kind))?;
    let status = DeliveryStatus::from_code(&r.status).ok_or_else(|| anyhow::anyhow!("stored status {:?}", r.status))?;
    let url = r.nonce.as_deref().map(url);
    let text = text(kind, meeting, &r.guardian_name, &r.student_name, url.as_deref());
    Ok(OutboxMessage {
        id: r.id,
        kind,
        guardian_name: r.guardian_name,
        student_name: r.student_name,
        phone: r.phone,
        text,
        created_at: r.created_at,
        sent_at: r.sent_at,
        status,
        attempts: r.attempts,
        last_attempt_at: r.last_attempt_at,
        next_attempt_at: (status == DeliveryStatus::Failed).then_some(r.next_attempt_at),
        last_error: r.last_error,
    })
}

/// What the delivery worker sends for one message.
pub struct ForDelivery {
    pub phone: Option<String>,
    pub text: String,
    pub opted_out: bool,
}

/// The message `id` as the worker hands it over (`None`: it was deleted with its meeting).
pub async fn for_delivery(db: &Db, id: i64, url: &(dyn Fn(&str) -> String + Sync)) -> Result<Option<ForDelivery>> {
    let row: Option<MessageRow> =
        sqlx::query_as(&format!("{MESSAGE_SELECT} WHERE mm.id = $1")).bind(id).fetch_optional(&db.read).await?;
    let Some(row) = row else { return Ok(None) };
    let Some(meeting) = super::by_id(db, row.meeting_id).await? else { return Ok(None) };
    let opted_out = row.opted_out_at.is_some();
    let message = outbox_message(row, &meeting, url)?;
    Ok(Some(ForDelivery { phone: message.phone, text: message.text, opted_out }))
}

/// The text a guardian receives (in Chinese: it goes to parents in China).
fn text(kind: MessageKind, m: &MeetingRow, guardian: &str, student: &str, url: Option<&str>) -> String {
    let when = shared::meetings::format_local(m.starts_at, Lang::Zh);
    let place = match (&m.place, &m.online_url) {
        (Some(place), Some(_)) => format!("{place}（也可线上参加）"),
        (Some(place), None) => place.clone(),
        (None, _) => "线上".to_string(),
    };
    let link = url.map(|u| format!(" {u} ")).unwrap_or_default();
    match kind {
        MessageKind::Invitation => format!(
            "【家长会】{guardian}您好：{}家长会“{}”将于{when}在{place}举行，请点击您的专属链接报名：{link}（请勿转发）",
            m.class_name, m.theme
        ),
        MessageKind::Reminder => {
            // The date itself, not "明天": a reminder may be sent (or read) on another day.
            format!("【家长会提醒】{guardian}您好：{}家长会“{}”将于{when}举行，地点：{place}。查看或修改报名：{link}", m.class_name, m.theme)
        }
        MessageKind::Promotion => format!(
            "【家长会】{guardian}您好：有名额空出，{student}家长的候补报名已转为正式报名。“{}”{when}，地点：{place}。详情：{link}",
            m.theme
        ),
    }
}

/// A cell that a spreadsheet would take for a formula is written as text (`'=…`).
pub fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Queues the day-before reminder for every family coming (in person, online or waiting), once,
/// and tells the meeting's organiser on the staff channels how many families are coming.
pub async fn queue_reminders(db: &Db, channels: &Channels, meeting: &MeetingRow) -> Result<()> {
    let sql = format!(
        "INSERT INTO meeting_messages (meeting_id, guardian_id, kind, created_at) \
         SELECT a.meeting_id, a.guardian_id, 'reminder', $2 FROM meeting_answers a \
         WHERE a.meeting_id = $1 AND a.answer <> 'absent' AND NOT EXISTS (SELECT 1 FROM meeting_messages mm \
           WHERE mm.meeting_id = a.meeting_id AND mm.guardian_id = a.guardian_id AND mm.kind = 'reminder') AND {}",
        switches::on_for_meeting("a.meeting_id", MessageSwitch::Reminder)
    );
    let queued = sqlx::query(&sql).bind(meeting.id).bind(now()).execute(&db.write).await?.rows_affected();
    if queued == 0 {
        return Ok(());
    }
    let (organiser, coming): (Option<i64>, i64) = sqlx::query_as(
        "SELECT m.created_by, (SELECT COUNT(*) FROM meeting_answers a WHERE a.meeting_id = m.id AND a.answer <> 'absent') \
         FROM meetings m WHERE m.id = $1",
    )
    .bind(meeting.id)
    .fetch_one(&db.read)
    .await?;
    let when = shared::meetings::format_local(meeting.starts_at, Lang::Zh);
    let subject = format!("家长会提醒：{}“{}”{when}", meeting.class_name, meeting.theme);
    let text = format!(
        "【家长会提醒】{}家长会“{}”将于{when}举行，已有{coming}户家庭报名参加。",
        meeting.class_name, meeting.theme
    );
    let notice = staff::Notice {
        user_id: organiser,
        meeting_id: Some(meeting.id),
        kind: "reminder",
        subject: &subject,
        text: &text,
        group_text: Some(&text),
    };
    staff::queue(db, channels, &notice).await
}

/// Queues the day-before reminders of the meetings starting tomorrow (Shanghai time) once the
/// local hour `at` is `hour` or later, each meeting once whichever instance gets there first;
/// how many meetings it queued.
pub async fn queue_due_reminders(db: &Db, channels: &Channels, hour: u32, at: i64) -> Result<usize> {
    const UTC_OFFSET: i64 = 8 * 3600;
    let local = at + UTC_OFFSET;
    if local.rem_euclid(86_400) / 3600 < i64::from(hour) {
        return Ok(0);
    }
    let tomorrow = local - local.rem_euclid(86_400) - UTC_OFFSET + 86_400;
    let due: Vec<i64> = sqlx::query_scalar(
        "SELECT m.id FROM meetings m WHERE m.starts_at >= $1 AND m.starts_at < $2 AND m.held_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM meeting_reminder_runs r WHERE r.meeting_id = m.id)",
    )
    .bind(tomorrow)
    .bind(tomorrow + 86_400)
    .fetch_all(&db.read)
    .await?;
    let mut queued = 0;
    for id in due {
        let mine = sqlx::query(
            "INSERT INTO meeting_reminder_runs (meeting_id, queued_at) VALUES ($1, $2) ON CONFLICT (meeting_id) DO NOTHING",
        )
        .bind(id)
        .bind(at)
        .execute(&db.write)
        .await?
        .rows_affected()
            == 1;
        if let Some(meeting) = super::by_id(db, id).await?.filter(|_| mine) {
            queue_reminders(db, channels, &meeting).await?;
            queued += 1;
        }
    }
    Ok(queued)
}

/// The outbox as an xlsx file for the school's SMS or WeChat tool.
pub fn workbook(list: &[OutboxMessage]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let xlsx = |e: rust_xlsxwriter::XlsxError| anyhow::anyhow!("writing xlsx: {e}");
    for (col, title) in ["编号", "类型", "家长", "学生", "手机", "内容", "状态"].iter().enumerate() {
        sheet.write_string(0, col as u16, *title).map_err(xlsx)?;
    }
    for (i, m) in list.iter().enumerate() {
        let row = i as u32 + 1;
        let cells = [
            m.id.to_string(),
            m.kind.label(Lang::Zh).to_string(),
            m.guardian_name.clone(),
            m.student_name.clone(),
            m.phone.clone().unwrap_or_default(),
            m.text.clone(),
            m.status.label(Lang::Zh).to_string(),
        ];
        for (col, cell) in cells.iter().enumerate() {
            sheet.write_string(row, col as u16, safe_cell(cell)).map_err(xlsx)?;
        }
    }
    sheet.set_column_width(5, 80).map_err(xlsx)?;
    book.save_to_buffer().map_err(xlsx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cells_a_spreadsheet_would_run_are_written_as_text() {
        for formula in ["=1+1", "+86", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(super::safe_cell(formula), format!("'{formula}"));
        }
        assert_eq!(super::safe_cell("张伟的父亲"), "张伟的父亲");
    }
}
