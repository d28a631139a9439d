//! The meeting as an iCalendar file for the parent's phone calendar: local Shanghai times with
//! `TZID=Asia/Shanghai` and its definition (UTC+8, no daylight saving), and a reminder an hour
//! before.

use shared::meetings::shanghai_parts;

use super::Family;
use crate::db::{now, Db};
use crate::error::Result;

fn local(unix: i64) -> String {
    let (y, m, d, h, min, s) = shanghai_parts(unix);
    format!("{y:04}{m:02}{d:02}T{h:02}{min:02}{s:02}")
}

fn utc(unix: i64) -> String {
    let (y, m, d, h, min, s) = shanghai_parts(unix - shared::meetings::SHANGHAI_OFFSET_SECS);
    format!("{y:04}{m:02}{d:02}T{h:02}{min:02}{s:02}Z")
}

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut len = 0;
    for c in line.chars() {
        if len + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            len = 1;
        }
        out.push(c);
        len += c.len_utf8();
    }
    out.push_str("\r\n");
    out
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    theme: String,
    description: String,
    starts_at: i64,
    ends_at: i64,
    place: Option<String>,
    class_name: String,
}

pub fn calendar(id: i64, theme: &str, description: &str, place: Option<&str>, starts_at: i64, ends_at: i64) -> String {
    let lines = [
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//Jiafang//Parents' meetings//ZH".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
        "BEGIN:VTIMEZONE".to_string(),
        "TZID:Asia/Shanghai".to_string(),
        "BEGIN:STANDARD".to_string(),
        "DTSTART:19700101T000000".to_string(),
        "TZOFFSETFROM:+0800".to_string(),
        "TZOFFSETTO:+0800".to_string(),
        "TZNAME:CST".to_string(),
        "END:STANDARD".to_string(),
        "END:VTIMEZONE".to_string(),
        "BEGIN:VEVENT".to_string(),
        format!("UID:meeting-{id}@jiafang"),
        format!("DTSTAMP:{}", utc(now())),
        format!("DTSTART;TZID=Asia/Shanghai:{}", local(starts_at)),
        format!("DTEND;TZID=Asia/Shanghai:{}", local(ends_at)),
        format!("SUMMARY:{}", text(theme)),
        format!("DESCRIPTION:{}", text(description)),
        format!("LOCATION:{}", text(place.unwrap_or("线上 Online"))),
        "BEGIN:VALARM".to_string(),
        "ACTION:DISPLAY".to_string(),
        format!("DESCRIPTION:{}", text(theme)),
        "TRIGGER:-PT1H".to_string(),
        "END:VALARM".to_string(),
        "END:VEVENT".to_string(),
        "END:VCALENDAR".to_string(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

/// The family's meeting as an `.ics` calendar. No online link here: it is shown on the page
/// when the meeting is about to start.
pub async fn meeting_calendar(db: &Db, family: &Family) -> Result<String> {
    let r: Row = sqlx::query_as(
        "SELECT m.id, m.theme, m.description, m.starts_at, m.ends_at, m.place, cl.name AS class_name \
         FROM meetings m JOIN classes cl ON cl.id = m.class_id WHERE m.id = $1",
    )
    .bind(family.meeting_id)
    .fetch_one(&db.read)
    .await?;
    let summary = format!("{} 家长会：{}", r.class_name, r.theme);
    Ok(calendar(r.id, &summary, &r.description, r.place.as_deref(), r.starts_at, r.ends_at))
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_are_folded_and_times_local() {
        // 2025-03-01 06:00 UTC = 14:00 in Shanghai.
        let ics = super::calendar(1, &"家长会".repeat(20), "a,b;c\nd", Some("教学楼"), 1_740_808_800, 1_740_816_000);
        assert!(ics.contains("DTSTART;TZID=Asia/Shanghai:20250301T140000\r\n"));
        assert!(ics.contains("DESCRIPTION:a\\,b\\;c\\nd\r\n"));
        assert!(ics.lines().all(|l| l.len() <= 75));
    }
}
