//! Parents' meetings (家长会): scheduling (`edit`), seats and the waitlist (`seats`), the links
//! that let families in (`links`), the outbox (`outbox`) and the counselor's view of who comes
//! (`signups`). The staff routes are in `api/meetings/`, the families' in `api/family/`.

pub mod edit;
pub mod feedback;
pub mod links;
pub mod outbox;
pub mod seats;
pub mod signups;

use shared::meetings::{Counts, Meeting, MeetingInput};
use shared::CampaignId;

use crate::auth::{Scope, StaffUser};
use crate::db::{Db, Sql};
use crate::error::{Error, Result};

#[derive(sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub class_id: i64,
    pub class_name: String,
    pub college_name: String,
    pub campaign_id: Option<i64>,
    pub theme: String,
    pub description: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub per_family: i64,
    pub capacity: i64,
    pub seats_taken: i64,
    pub signup_deadline: i64,
    pub held_at: Option<i64>,
}

pub const MEETING_SELECT: &str = "SELECT m.id, m.class_id, cl.name AS class_name, co.name AS college_name, \
     m.campaign_id, m.theme, m.description, m.starts_at, m.ends_at, m.place, m.online_url, m.per_family, \
     m.capacity, m.seats_taken, m.signup_deadline, m.held_at \
     FROM meetings m JOIN classes cl ON cl.id = m.class_id JOIN colleges co ON co.id = cl.college_id WHERE 1 = 1";

impl MeetingRow {
    pub fn into_meeting(self, counts: Counts) -> Meeting {
        Meeting {
            id: self.id.into(),
            class_id: self.class_id.into(),
            class_name: self.class_name,
            college_name: self.college_name,
            details: MeetingInput {
                class_id: Some(self.class_id.into()),
                college_id: None,
                theme: self.theme,
                description: self.description,
                starts_at: self.starts_at,
                ends_at: self.ends_at,
                place: self.place,
                online_url: self.online_url,
                per_family: self.per_family,
                capacity: self.capacity,
                signup_deadline: self.signup_deadline,
                campaign_id: self.campaign_id.map(CampaignId),
            },
            held_at: self.held_at,
            counts,
        }
    }
}

/// The meeting, if it exists; for the server's own work (no caller to check).
pub async fn by_id(db: &Db, id: i64) -> Result<Option<MeetingRow>> {
    Ok(sqlx::query_as(&format!("{MEETING_SELECT} AND m.id = $1")).bind(id).fetch_optional(&db.read).await?)
}

/// The meeting, if it exists (404) and its class is in the caller's scope (403).
pub async fn visible(db: &Db, user: &StaffUser, id: i64) -> Result<MeetingRow> {
    let row = by_id(db, id).await?.ok_or(Error::NotFound)?;
    crate::org::classes::check_visible(db, user, row.class_id.into()).await?;
    Ok(row)
}

/// The meeting with its sign-up counts.
pub async fn with_counts(db: &Db, row: MeetingRow) -> Result<Meeting> {
    let counts = counts(db, &row).await?;
    Ok(row.into_meeting(counts))
}

#[derive(sqlx::FromRow)]
struct CountRow {
    answer: String,
    status: String,
    n: i64,
}

/// Sign-up counts of one meeting.
pub async fn counts(db: &Db, meeting: &MeetingRow) -> Result<Counts> {
    let families: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE class_id = $1")
        .bind(meeting.class_id)
        .fetch_one(&db.read)
        .await?;
    let rows: Vec<CountRow> = sqlx::query_as(
        "SELECT answer, status, COUNT(*) AS n FROM meeting_answers WHERE meeting_id = $1 GROUP BY answer, status",
    )
    .bind(meeting.id)
    .fetch_all(&db.read)
    .await?;
    let mut counts = Counts { families, seats_taken: meeting.seats_taken, ..Counts::default() };
    let mut answered = 0;
    for r in rows {
        answered += r.n;
        match (r.answer.as_str(), r.status.as_str()) {
            (_, "waitlisted") => counts.waitlisted += r.n,
            ("in_person", _) => counts.in_person += r.n,
            ("online", _) => counts.online += r.n,
            _ => counts.absent += r.n,
        }
    }
    counts.not_answered = (families - answered).max(0);
    Ok(counts)
}

/// The meetings of the classes in `scope` (of one class if given), soonest first.
pub async fn list(db: &Db, scope: Scope, class_id: Option<i64>) -> Result<Vec<Meeting>> {
    let mut sql = Sql::new(MEETING_SELECT);
    scope.restrict(&mut sql, "cl");
    if let Some(class_id) = class_id {
        sql.push(" AND m.class_id = ").bind(class_id);
    }
    sql.push(" ORDER BY m.starts_at DESC, cl.name LIMIT 500");
    let rows: Vec<MeetingRow> = sql.fetch_all(&db.read).await?;
    let mut meetings = Vec::with_capacity(rows.len());
    for row in rows {
        meetings.push(with_counts(db, row).await?);
    }
    Ok(meetings)
}
