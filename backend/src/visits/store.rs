//! Writing visits, shared by the API, the offline sync and the import. A visit is stored once
//! per `client_id`, whatever the number of attempts: `ON CONFLICT (client_id) DO NOTHING`,
//! then the stored one is compared with what was sent.

use shared::campaigns::CampaignStatus;
use shared::visits::{FollowUpStatus, NewVisit, VisitRecord};
use shared::{CampaignId, Department, StudentId, UserId, VisitId};
use sqlx::AnyConnection;

use crate::dashboard::tally::{self, Subject};
use crate::db::now;

/// What became of a visit sent to be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Stored(VisitId),
    /// Stored before with the same content, by the same author.
    Duplicate(VisitId),
    /// The `client_id` is taken by other content or another author.
    Conflict(VisitId),
    /// Not stored: the campaign is closed (a visit stored before it closed is a `Duplicate`).
    Closed,
}

impl Outcome {
    pub fn id(self) -> Option<VisitId> {
        match self {
            Outcome::Stored(id) | Outcome::Duplicate(id) | Outcome::Conflict(id) => Some(id),
            Outcome::Closed => None,
        }
    }
}

pub fn aspect_codes(record: &VisitRecord) -> String {
    record.aspects.iter().map(|a| a.code()).collect::<Vec<_>>().join(",")
}

pub fn to_json(record: &VisitRecord) -> anyhow::Result<String> {
    Ok(serde_json::to_string(record)?)
}

pub fn from_json(text: &str) -> anyhow::Result<VisitRecord> {
    Ok(serde_json::from_str(text)?)
}

/// Takes the student's part of the campaign's dashboard tallies out (`-1`) or back in (`1`).
async fn tallies(
    conn: &mut AnyConnection,
    campaign_id: CampaignId,
    student_id: StudentId,
    sign: i64,
) -> sqlx::Result<()> {
    let subject = Subject::Students { campaign: Some(campaign_id.get()), ids: &[student_id.get()] };
    tally::apply(conn, subject, sign).await
}

/// Logs a validated visit now, on `conn`, inside the caller's transaction — the form, the
/// offline sync and the imports all come here. A closed campaign takes no new visit
/// (`Outcome::Closed`, nothing written); one sent again that was stored before the campaign
/// closed is still recognised (`Duplicate` or `Conflict`).
pub async fn log(conn: &mut AnyConnection, author_id: UserId, visit: &NewVisit) -> anyhow::Result<Outcome> {
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM campaigns WHERE id = $1")
        .bind(visit.campaign_id)
        .fetch_optional(&mut *conn)
        .await?;
    if status.as_deref() == Some(CampaignStatus::Closed.code()) {
        let known: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE client_id = $1")
            .bind(visit.client_id.clone())
            .fetch_one(&mut *conn)
            .await?;
        return if known > 0 { existing(conn, author_id, visit).await } else { Ok(Outcome::Closed) };
    }
    insert(conn, author_id, visit).await
}

/// Stores a validated visit on `conn`, inside the caller's transaction (the dashboard's
/// tallies with it), whatever its campaign's status: for history, such as the demo's finished
/// campaign. Requests go through `log`.
pub async fn insert(conn: &mut AnyConnection, author_id: UserId, visit: &NewVisit) -> anyhow::Result<Outcome> {
    tallies(conn, visit.campaign_id, visit.student_id, -1).await?;
    let outcome = insert_rows(conn, author_id, visit).await?;
    tallies(conn, visit.campaign_id, visit.student_id, 1).await?;
    Ok(outcome)
}

async fn insert_rows(conn: &mut AnyConnection, author_id: UserId, visit: &NewVisit) -> anyhow::Result<Outcome> {
    let record = &visit.record;
    let json = to_json(record)?;
    let at = now();
    let id: Option<VisitId> = sqlx::query_scalar(
        "INSERT INTO visits (client_id, campaign_id, student_id, plan_id, author_id, visited_on, mode, aspects, \
         grant_fen, record, revision, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) \
         ON CONFLICT (client_id) DO NOTHING RETURNING id",
    )
    .bind(visit.client_id.clone())
    .bind(visit.campaign_id)
    .bind(visit.student_id)
    .bind(visit.plan_id)
    .bind(author_id)
    .bind(record.date.clone())
    .bind(record.mode.code())
    .bind(aspect_codes(record))
    .bind(record.grant_fen)
    .bind(json.clone())
    .bind(at)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(id) = id else {
        return existing(conn, author_id, visit).await;
    };
    set_members(conn, id, &record.member_ids).await?;
    for f in &visit.follow_ups {
        sqlx::query(
            "INSERT INTO follow_ups (visit_id, what, owner_id, due_on, status, created_at, created_by) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6)",
        )
        .bind(id)
        .bind(f.what.clone())
        .bind(f.owner_id)
        .bind(f.due_on.clone())
        .bind(at)
        .bind(author_id)
        .execute(&mut *conn)
        .await?;
    }
    super::concerns::address(conn, id, visit.student_id, at, &visit.addressed).await?;
    add_revision(conn, id, 1, author_id, None, &json).await?;
    Ok(Outcome::Stored(id))
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: VisitId,
    author_id: UserId,
    campaign_id: CampaignId,
    student_id: StudentId,
    first: String,
}

/// The visit already stored under this `client_id`: the same one sent again, or a clash.
async fn existing(conn: &mut AnyConnection, author_id: UserId, visit: &NewVisit) -> anyhow::Result<Outcome> {
    let row: Existing = sqlx::query_as(
        "SELECT v.id, v.author_id, v.campaign_id, v.student_id, r.after_json AS first FROM visits v \
         JOIN visit_revisions r ON r.visit_id = v.id AND r.revision = 1 WHERE v.client_id = $1",
    )
    .bind(visit.client_id.clone())
    .fetch_one(&mut *conn)
    .await?;
    let same = row.author_id == author_id
        && row.campaign_id == visit.campaign_id
        && row.student_id == visit.student_id
        && from_json(&row.first)? == visit.record;
    Ok(if same { Outcome::Duplicate(row.id) } else { Outcome::Conflict(row.id) })
}

pub async fn set_members(conn: &mut AnyConnection, visit_id: VisitId, member_ids: &[UserId]) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM visit_members WHERE visit_id = $1").bind(visit_id).execute(&mut *conn).await?;
    for user_id in member_ids {
        sqlx::query("INSERT INTO visit_members (visit_id, user_id) VALUES ($1, $2)")
            .bind(visit_id)
            .bind(*user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn add_revision(
    conn: &mut AnyConnection,
    visit_id: VisitId,
    revision: i64,
    changed_by: UserId,
    before: Option<&str>,
    after: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO visit_revisions (visit_id, revision, changed_by, changed_at, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(visit_id)
    .bind(revision)
    .bind(changed_by)
    .bind(now())
    .bind(before.map(str::to_string))
    .bind(after.to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Applies a correction if the visit is still at `base`; `false` when someone got there first.
pub async fn update(
    conn: &mut AnyConnection,
    visit_id: VisitId,
    base: i64,
    changed_by: UserId,
    before: &str,
    record: &VisitRecord,
) -> anyhow::Result<bool> {
    let json = to_json(record)?;
    let (campaign_id, student_id): (CampaignId, StudentId) =
        sqlx::query_as("SELECT campaign_id, student_id FROM visits WHERE id = $1")
            .bind(visit_id)
            .fetch_one(&mut *conn)
            .await?;
    tallies(conn, campaign_id, student_id, -1).await?;
    let done = sqlx::query(
        "UPDATE visits SET record = $1, visited_on = $2, mode = $3, aspects = $4, grant_fen = $5, \
         revision = revision + 1, updated_at = $6 WHERE id = $7 AND revision = $8",
    )
    .bind(json.clone())
    .bind(record.date.clone())
    .bind(record.mode.code())
    .bind(aspect_codes(record))
    .bind(record.grant_fen)
    .bind(now())
    .bind(visit_id)
    .bind(base)
    .execute(&mut *conn)
    .await?;
    tallies(conn, campaign_id, student_id, 1).await?;
    if done.rows_affected() == 0 {
        return Ok(false);
    }
    set_members(conn, visit_id, &record.member_ids).await?;
    add_revision(conn, visit_id, base + 1, changed_by, Some(before), &json).await?;
    Ok(true)
}

/// Takes a follow-up's share of the tallies out (`-1`) or back in (`1`): its visit's student's
/// part of the campaign.
async fn follow_up_tallies(conn: &mut AnyConnection, id: i64, sign: i64) -> sqlx::Result<()> {
    let (campaign_id, student_id): (CampaignId, StudentId) = sqlx::query_as(
        "SELECT v.campaign_id, v.student_id FROM follow_ups f JOIN visits v ON v.id = f.visit_id WHERE f.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    tallies(conn, campaign_id, student_id, sign).await
}

/// Marks a follow-up done (now, by `by`, with what came of it) or open again (the outcome is
/// kept until it is closed again), with its visit's student's share of the tallies.
pub async fn set_follow_up_status(
    conn: &mut AnyConnection,
    id: i64,
    status: FollowUpStatus,
    by: UserId,
    outcome: Option<&str>,
) -> sqlx::Result<()> {
    follow_up_tallies(conn, id, -1).await?;
    match status {
        FollowUpStatus::Done => {
            sqlx::query(
                "UPDATE follow_ups SET status = 'done', done_at = $1, done_by = $2, outcome = $3 WHERE id = $4",
            )
            .bind(now())
            .bind(by)
            .bind(outcome.map(str::to_string))
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        FollowUpStatus::Open => {
            sqlx::query("UPDATE follow_ups SET status = 'open', done_at = NULL, done_by = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    follow_up_tallies(conn, id, 1).await
}

/// Adds an open follow-up to a stored visit, with the tallies; its id.
pub async fn add_follow_up(
    conn: &mut AnyConnection,
    visit_id: VisitId,
    created_by: UserId,
    what: &str,
    owner_id: UserId,
    due_on: &str,
    department: Option<Department>,
) -> sqlx::Result<i64> {
    let (campaign_id, student_id): (CampaignId, StudentId) =
        sqlx::query_as("SELECT campaign_id, student_id FROM visits WHERE id = $1")
            .bind(visit_id)
            .fetch_one(&mut *conn)
            .await?;
    tallies(conn, campaign_id, student_id, -1).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO follow_ups (visit_id, what, owner_id, due_on, status, created_at, created_by, department) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7) RETURNING id",
    )
    .bind(visit_id)
    .bind(what.to_string())
    .bind(owner_id)
    .bind(due_on.to_string())
    .bind(now())
    .bind(created_by)
    .bind(department.map(|d| d.code().to_string()))
    .fetch_one(&mut *conn)
    .await?;
    tallies(conn, campaign_id, student_id, 1).await?;
    Ok(id)
}

/// Gives a follow-up another owner, department or due date, with the tallies (which count it
/// the same either way: the write still goes through here, like every write of `follow_ups`).
pub async fn assign_follow_up(
    conn: &mut AnyConnection,
    id: i64,
    owner_id: UserId,
    department: Option<Department>,
    due_on: &str,
) -> sqlx::Result<()> {
    follow_up_tallies(conn, id, -1).await?;
    sqlx::query("UPDATE follow_ups SET owner_id = $1, department = $2, due_on = $3 WHERE id = $4")
        .bind(owner_id)
        .bind(department.map(|d| d.code().to_string()))
        .bind(due_on.to_string())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    follow_up_tallies(conn, id, 1).await
}
