//! The links that let families in without an account: a personal link per guardian and one
//! class link (with its QR code) where a parent identifies with the student number and the last
//! four digits of the phone on file.
//!
//! Links look like `/f#t=<token>` (personal) and `/f#c=<token>` (class): the token travels in the
//! URL's fragment, which browsers never send to a server, so it appears in no access log, proxy
//! log or `Referer` header, not even ours; the page reads it, exchanges it for a family session
//! with a POST and then replaces the address with a clean `/f`.
//!
//! A token is 256 bits: the HMAC of a random 128-bit nonce under the server's secret. The
//! database keeps the nonce and the token's SHA-256 (for lookup), never the token.

use base64::Engine;
use rand::RngCore;
use shared::meetings::MessageKind;
use sqlx::AnyConnection;

use crate::auth::session::hash_token;
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::secret::Secret;

/// Links of a meeting without a campaign stay valid this long after it ends (for feedback).
const DAYS_AFTER_MEETING: i64 = 14;
const TOKEN_PURPOSE: &str = "jiafang family link";

pub fn token_of(secret: &Secret, nonce: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret.derive(TOKEN_PURPOSE, nonce.as_bytes()))
}

/// A family's (or the class's) link on the site at `base` (`https://host`, no trailing slash).
pub fn family_url(base: &str, secret: &Secret, nonce: &str, class_link: bool) -> String {
    let kind = if class_link { 'c' } else { 't' };
    format!("{base}/f#{kind}={}", token_of(secret, nonce))
}

/// When the meeting's links stop working: the end of its campaign's last day (Shanghai time),
/// else some days after the meeting; never before the meeting ends.
pub async fn expiry(conn: &mut AnyConnection, meeting_id: i64) -> Result<i64> {
    let (ends_at, campaign_end): (i64, Option<String>) = sqlx::query_as(
        "SELECT m.ends_at, c.ends_on FROM meetings m LEFT JOIN campaigns c ON c.id = m.campaign_id WHERE m.id = $1",
    )
    .bind(meeting_id)
    .fetch_one(&mut *conn)
    .await?;
    let campaign_end = campaign_end.and_then(|d| shared::meetings::from_local_input(&format!("{d}T23:59:59")));
    Ok(match campaign_end {
        Some(end) => end.max(ends_at),
        None => ends_at + DAYS_AFTER_MEETING * 86_400,
    })
}

/// Moves the expiry of the meeting's links that are still good to follow its new times.
pub async fn follow_meeting(conn: &mut AnyConnection, meeting_id: i64) -> Result<()> {
    let expires = expiry(conn, meeting_id).await?;
    sqlx::query("UPDATE meeting_links SET expires_at = $1 WHERE meeting_id = $2 AND revoked_at IS NULL")
        .bind(expires)
        .bind(meeting_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Creates a link (a guardian's, or the class's with `None`); returns its id.
async fn create(conn: &mut AnyConnection, secret: &Secret, meeting_id: i64, guardian_id: Option<i64>) -> Result<i64> {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    let expires_at = expiry(conn, meeting_id).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO meeting_links (meeting_id, guardian_id, nonce, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(meeting_id)
    .bind(guardian_id)
    .bind(nonce.clone())
    .bind(hash_token(&token_of(secret, &nonce)))
    .bind(now())
    .bind(expires_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// A link of a meeting, with the family it is for (none for the class link).
#[derive(sqlx::FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub guardian_id: Option<i64>,
    pub guardian_name: Option<String>,
    pub relation: Option<String>,
    pub student_name: Option<String>,
    pub nonce: String,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// Every link of the meeting, by student.
pub async fn of_meeting(db: &Db, meeting_id: i64) -> Result<Vec<LinkRow>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.guardian_id, g.name AS guardian_name, g.relation, s.name AS student_name, l.nonce, \
                l.expires_at, l.revoked_at \
         FROM meeting_links l LEFT JOIN guardians g ON g.id = l.guardian_id LEFT JOIN students s ON s.id = g.student_id \
         WHERE l.meeting_id = $1 ORDER BY s.name, g.position, l.id",
    )
    .bind(meeting_id)
    .fetch_all(&db.read)
    .await?)
}

/// Gives every guardian of the class without an active link a new one (with an invitation in
/// the outbox), and the class a link if it has none.
pub async fn issue(db: &Db, secret: &Secret, meeting_id: i64, class_id: i64) -> Result<()> {
    let at = now();
    let mut tx = db.write.begin().await?;
    let without: Vec<i64> = sqlx::query_scalar(
        "SELECT g.id FROM guardians g JOIN students s ON s.id = g.student_id WHERE s.class_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM meeting_links l WHERE l.guardian_id = g.id AND l.meeting_id = $2 \
                         AND l.revoked_at IS NULL AND l.expires_at > $3) ORDER BY s.name, g.position",
    )
    .bind(class_id)
    .bind(meeting_id)
    .bind(at)
    .fetch_all(&mut *tx)
    .await?;
    for guardian_id in without {
        let link_id = create(&mut tx, secret, meeting_id, Some(guardian_id)).await?;
        super::outbox::queue_with_link(&mut tx, meeting_id, guardian_id, MessageKind::Invitation, Some(link_id))
            .await?;
    }
    let class_links: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_links WHERE meeting_id = $1 AND guardian_id IS NULL \
         AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(meeting_id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    if class_links == 0 {
        create(&mut tx, secret, meeting_id, None).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Revokes a link of the meeting at once (404 if it has no such link): it no longer opens, and
/// the family sessions opened with it end.
pub async fn revoke(db: &Db, meeting_id: i64, link_id: i64) -> Result<()> {
    let mut tx = db.write.begin().await?;
    let done =
        sqlx::query("UPDATE meeting_links SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND meeting_id = $3")
            .bind(now())
            .bind(link_id)
            .bind(meeting_id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    sqlx::query("DELETE FROM family_sessions WHERE link_id = $1").bind(link_id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
