//! Parents (家长) without accounts: the family a link and a family session stand for, their
//! page (`page`) and the meeting's calendar entry. The links themselves are made by
//! `crate::meetings::links`; the HTTP side (cookies, guess limits) is in `api/family/`.

pub mod ics;
pub mod page;

use crate::db::{now, Db};
use crate::error::Result;

/// A family session lasts at most this long, whatever its link.
pub const MAX_SESSION_AGE: i64 = 30 * 86_400;

/// The family signed in with a family session: one guardian, their child, one meeting.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Family {
    pub guardian_id: i64,
    pub student_id: i64,
    pub meeting_id: i64,
    pub class_id: i64,
}

impl Family {
    pub async fn load_by_guardian(db: &Db, guardian_id: i64, meeting_id: i64) -> Result<Family> {
        let family: Family = sqlx::query_as(
            "SELECT g.id AS guardian_id, s.id AS student_id, m.id AS meeting_id, m.class_id \
             FROM guardians g JOIN students s ON s.id = g.student_id JOIN meetings m ON m.id = $2 \
             WHERE g.id = $1 AND s.class_id = m.class_id",
        )
        .bind(guardian_id)
        .bind(meeting_id)
        .fetch_one(&db.read)
        .await?;
        Ok(family)
    }

    /// The family of a session still good, by the session token's hash. The link must still be
    /// good too: revoking it ends its sessions at once.
    pub async fn by_session(db: &Db, token_hash: &str) -> Result<Option<Family>> {
        Ok(sqlx::query_as(
            "SELECT fs.guardian_id, s.id AS student_id, fs.meeting_id, m.class_id \
             FROM family_sessions fs JOIN meeting_links l ON l.id = fs.link_id \
             JOIN guardians g ON g.id = fs.guardian_id JOIN students s ON s.id = g.student_id \
             JOIN meetings m ON m.id = fs.meeting_id \
             WHERE fs.token_hash = $1 AND fs.expires_at > $2 AND l.revoked_at IS NULL AND l.expires_at > $2 \
               AND s.class_id = m.class_id",
        )
        .bind(token_hash.to_string())
        .bind(now())
        .fetch_optional(&db.read)
        .await?)
    }
}

/// A meeting link as the family side looks it up.
#[derive(sqlx::FromRow)]
pub struct LinkRow {
    pub id: i64,
    pub meeting_id: i64,
    pub guardian_id: Option<i64>,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// The link whose token has this hash, good or not.
pub async fn link_by_hash(db: &Db, token_hash: &str) -> Result<Option<LinkRow>> {
    Ok(sqlx::query_as(
        "SELECT id, meeting_id, guardian_id, expires_at, revoked_at FROM meeting_links WHERE token_hash = $1",
    )
    .bind(token_hash.to_string())
    .fetch_optional(&db.read)
    .await?)
}

/// The class's name and the meeting's theme, for the class link's first page.
pub async fn class_and_theme(db: &Db, meeting_id: i64) -> Result<(String, String)> {
    Ok(sqlx::query_as("SELECT cl.name, m.theme FROM meetings m JOIN classes cl ON cl.id = m.class_id WHERE m.id = $1")
        .bind(meeting_id)
        .fetch_one(&db.read)
        .await?)
}

/// The guardians (id, phone) of the student with this number in the meeting's class.
pub async fn guardians_of(db: &Db, meeting_id: i64, student_no: &str) -> Result<Vec<(i64, Option<String>)>> {
    Ok(sqlx::query_as(
        "SELECT g.id, g.phone FROM guardians g JOIN students s ON s.id = g.student_id \
         JOIN meetings m ON m.class_id = s.class_id WHERE m.id = $1 AND s.student_no = $2 ORDER BY g.position, g.id",
    )
    .bind(meeting_id)
    .bind(student_no.to_string())
    .fetch_all(&db.read)
    .await?)
}

/// The guardians (student number, guardian id, phone) of the students of the meeting's class named
/// `name`, compared without spaces and with full-width letters made half-width, so "李 明" is
/// "李明". A class is a few dozen students: they are compared here rather than in SQL.
pub async fn guardians_by_name(db: &Db, meeting_id: i64, name: &str) -> Result<Vec<(String, i64, Option<String>)>> {
    let wanted = name_key(name);
    let rows: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT s.student_no, s.name, g.id, g.phone FROM guardians g JOIN students s ON s.id = g.student_id \
         JOIN meetings m ON m.class_id = s.class_id WHERE m.id = $1 ORDER BY s.id, g.position, g.id",
    )
    .bind(meeting_id)
    .fetch_all(&db.read)
    .await?;
    Ok(rows
        .into_iter()
        .filter(|(_, student_name, _, _)| name_key(student_name) == wanted)
        .map(|(student_no, _, guardian_id, phone)| (student_no, guardian_id, phone))
        .collect())
}

/// A name as the class link compares it (and counts tries at it).
pub fn name_key(name: &str) -> String {
    shared::domain::normalize(name).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// Starts a family session under the token's hash; it ends with its link, at the latest.
pub async fn start_session(db: &Db, token_hash: &str, link: &LinkRow, guardian_id: i64) -> Result<()> {
    let at = now();
    sqlx::query(
        "INSERT INTO family_sessions (token_hash, link_id, guardian_id, meeting_id, created_at, last_seen, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)",
    )
    .bind(token_hash.to_string())
    .bind(link.id)
    .bind(guardian_id)
    .bind(link.meeting_id)
    .bind(at)
    .bind(link.expires_at.min(at + MAX_SESSION_AGE))
    .execute(&db.write)
    .await?;
    Ok(())
}

/// Ends the family session with this token's hash, if there is one.
pub async fn end_session(db: &Db, token_hash: &str) -> Result<()> {
    sqlx::query("DELETE FROM family_sessions WHERE token_hash = $1")
        .bind(token_hash.to_string())
        .execute(&db.write)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::name_key;

    #[test]
    fn a_name_is_compared_without_spaces_or_full_width_letters() {
        assert_eq!(name_key(" 李 明 "), name_key("李明"));
        assert_eq!(name_key("李\u{3000}明"), name_key("李明"));
        assert_eq!(name_key("ＡＮＮＡ Li"), name_key("annali"));
        assert_ne!(name_key("李明"), name_key("李鸣"));
    }
}
