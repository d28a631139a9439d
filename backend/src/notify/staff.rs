//! Notices to staff: one row per channel configured when the notice is made — an e-mail to the
//! staff member's address (`users.email`) and a post to the staff's WeCom group, which the whole
//! group reads and so gets its own text (`group_text`; none: not posted). Their text is stored
//! (it carries no family link). What notices say: `notices`.

use super::Channels;
use crate::db::{now, Db};
use crate::error::Result;

pub struct Notice<'a> {
    pub user_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub kind: &'a str,
    pub subject: &'a str,
    /// The e-mail to the staff member.
    pub text: &'a str,
    /// The post to the staff's WeCom group: nothing there that not every member may read.
    pub group_text: Option<&'a str>,
}

/// Queues `notice` on every staff channel configured; none: nothing (there is nobody to export
/// staff notices for, and the staff see the same facts in the app).
pub async fn queue(db: &Db, channels: &Channels, notice: &Notice<'_>) -> Result<()> {
    let email = (channels.email.is_some() && notice.user_id.is_some()).then_some(("email", notice.text));
    let wecom = notice.group_text.filter(|_| channels.wecom.is_some()).map(|text| ("wecom", text));
    for (channel, text) in [email, wecom].into_iter().flatten() {
        sqlx::query(
            "INSERT INTO staff_notices (channel, user_id, meeting_id, kind, subject, text, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(channel)
        .bind(notice.user_id)
        .bind(notice.meeting_id)
        .bind(notice.kind)
        .bind(notice.subject)
        .bind(text)
        .bind(now())
        .execute(&db.write)
        .await?;
    }
    Ok(())
}

/// Deletes every staff notice that names the student `name` (a family's right to erasure): their
/// subjects and texts name the student, never a concern's text. Matched by name, since a notice
/// keeps no student id; a notice about another student of the same name goes too.
pub async fn forget_student(conn: &mut sqlx::AnyConnection, name: &str) -> sqlx::Result<u64> {
    let pattern = crate::org::students::like_pattern(name);
    let done = sqlx::query("DELETE FROM staff_notices WHERE subject LIKE $1 ESCAPE '\\' OR text LIKE $1 ESCAPE '\\'")
        .bind(pattern)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
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
