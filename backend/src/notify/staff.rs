//! Notices to staff: one row per channel configured when the notice is made — an e-mail to the
//! staff member's address (`users.email`) and a post to the staff's WeCom group. Their text is
//! stored (it carries no family link).

use super::Channels;
use crate::db::{now, Db};
use crate::error::Result;

pub struct Notice<'a> {
    pub user_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub kind: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Queues `notice` on every staff channel configured; none: nothing (there is nobody to export
/// staff notices for, and the staff see the same facts in the app).
pub async fn queue(db: &Db, channels: &Channels, notice: &Notice<'_>) -> Result<()> {
    let wanted = [("email", channels.email.is_some() && notice.user_id.is_some()), ("wecom", channels.wecom.is_some())];
    for (channel, _) in wanted.iter().filter(|(_, on)| *on) {
        sqlx::query(
            "INSERT INTO staff_notices (channel, user_id, meeting_id, kind, subject, text, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(*channel)
        .bind(notice.user_id)
        .bind(notice.meeting_id)
        .bind(notice.kind)
        .bind(notice.subject)
        .bind(notice.text)
        .bind(now())
        .execute(&db.write)
        .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct Stored {
    pub channel: String,
    pub subject: String,
    pub text: String,
    pub email: Option<String>,
}

/// A notice to deliver, with its addressee's e-mail address.
pub async fn stored(db: &Db, id: i64) -> Result<Option<Stored>> {
    Ok(sqlx::query_as(
        "SELECT n.channel, n.subject, n.text, u.email FROM staff_notices n LEFT JOIN users u ON u.id = n.user_id \
         WHERE n.id = $1",
    )
    .bind(id)
    .fetch_optional(&db.read)
    .await?)
}
