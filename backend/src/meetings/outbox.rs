//! The outbox: texts per guardian (invitation with their link, reminder the day before, moved
//! off the waitlist), shown on the meeting page, exported as xlsx for the school's SMS or WeChat
//! tool, and handed to the `Notifier`. Texts are written when read: an invitation carries a
//! link, and links are never stored.

use shared::meetings::{MessageKind, OutboxMessage};
use shared::Lang;
use sqlx::AnyConnection;

use super::MeetingRow;
use crate::db::{now, Db};
use crate::error::Result;

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
    sqlx::query(
        "INSERT INTO meeting_messages (meeting_id, guardian_id, kind, link_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
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
    kind: String,
    guardian_name: String,
    student_name: String,
    phone: Option<String>,
    created_at: i64,
    sent_at: Option<i64>,
    /// The invitation's own link, else the guardian's newest active link for this meeting.
    nonce: Option<String>,
}

/// Every message of the meeting with its text, an invitation's link made by `url` from the
/// link's nonce. Phones are sensitive: the caller audits each read.
pub async fn messages(
    db: &Db,
    meeting: &MeetingRow,
    url: &(dyn Fn(&str) -> String + Sync),
) -> Result<Vec<OutboxMessage>> {
    let rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT mm.id, mm.kind, g.name AS guardian_name, s.name AS student_name, g.phone, mm.created_at, mm.sent_at, \
           COALESCE((SELECT l.nonce FROM meeting_links l WHERE l.id = mm.link_id AND l.revoked_at IS NULL), \
                    (SELECT l.nonce FROM meeting_links l WHERE l.guardian_id = mm.guardian_id \
                       AND l.meeting_id = mm.meeting_id AND l.revoked_at IS NULL ORDER BY l.id DESC LIMIT 1)) AS nonce \
         FROM meeting_messages mm JOIN guardians g ON g.id = mm.guardian_id JOIN students s ON s.id = g.student_id \
         WHERE mm.meeting_id = $1 ORDER BY mm.id",
    )
    .bind(meeting.id)
    .fetch_all(&db.read)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let kind = MessageKind::from_code(&r.kind).ok_or_else(|| anyhow::anyhow!("stored kind {:?}", r.kind))?;
        let url = r.nonce.as_deref().map(url);
        let text = text(kind, meeting, &r.guardian_name, &r.student_name, url.as_deref());
        out.push(OutboxMessage {
            id: r.id,
            kind,
            guardian_name: r.guardian_name,
            student_name: r.student_name,
            phone: r.phone,
            text,
            created_at: r.created_at,
            sent_at: r.sent_at,
        });
    }
    Ok(out)
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
            format!("【家长会提醒】{guardian}您好：{}家长会“{}”明天{when}举行，地点：{place}。查看或修改报名：{link}", m.class_name, m.theme)
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

/// Queues the day-before reminder for every family coming (in person, online or waiting), once.
pub async fn queue_reminders(db: &Db, meeting_id: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO meeting_messages (meeting_id, guardian_id, kind, created_at) \
         SELECT a.meeting_id, a.guardian_id, 'reminder', $2 FROM meeting_answers a \
         WHERE a.meeting_id = $1 AND a.answer <> 'absent' AND NOT EXISTS (SELECT 1 FROM meeting_messages mm \
           WHERE mm.meeting_id = a.meeting_id AND mm.guardian_id = a.guardian_id AND mm.kind = 'reminder')",
    )
    .bind(meeting_id)
    .bind(now())
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Marks a message as handed to the notifier.
pub async fn mark_sent(db: &Db, message_id: i64) -> Result<()> {
    sqlx::query("UPDATE meeting_messages SET sent_at = $1 WHERE id = $2 AND sent_at IS NULL")
        .bind(now())
        .bind(message_id)
        .execute(&db.write)
        .await?;
    Ok(())
}

/// The outbox as an xlsx file for the school's SMS or WeChat tool.
pub fn workbook(list: &[OutboxMessage]) -> anyhow::Result<Vec<u8>> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let xlsx = |e: rust_xlsxwriter::XlsxError| anyhow::anyhow!("writing xlsx: {e}");
    for (col, title) in ["编号", "类型", "家长", "学生", "手机", "内容", "已发送"].iter().enumerate() {
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
            if m.sent_at.is_some() { "是" } else { "否" }.to_string(),
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
