//! Parents' meetings (家长会), staff side: scheduling (one class, or every class of a college or
//! of the school at once), the sign-up page, links and QR code, and the outbox. The family side
//! is `crate::api::family`; the seat counting both share is `seats`.

mod edit;
pub mod links;
pub mod outbox;
pub mod seats;
mod signups;

use axum::extract::State;
use shared::meetings::{Counts, Meeting, MeetingInput};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Json, Path, Query, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_meetings, edit::create_meeting))
        .routes(routes!(get_meeting, edit::update_meeting))
        .routes(routes!(edit::bulk_create))
        .routes(routes!(edit::mark_held))
        .merge(signups::router())
        .merge(links::router())
        .merge(outbox::router())
}

#[derive(sqlx::FromRow)]
pub(crate) struct MeetingRow {
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

pub(crate) const MEETING_SELECT: &str = "SELECT m.id, m.class_id, cl.name AS class_name, co.name AS college_name, \
     m.campaign_id, m.theme, m.description, m.starts_at, m.ends_at, m.place, m.online_url, m.per_family, \
     m.capacity, m.seats_taken, m.signup_deadline, m.held_at \
     FROM meetings m JOIN classes cl ON cl.id = m.class_id JOIN colleges co ON co.id = cl.college_id WHERE 1 = 1";

impl MeetingRow {
    fn into_meeting(self, counts: Counts) -> Meeting {
        Meeting {
            id: self.id,
            class_id: self.class_id,
            class_name: self.class_name,
            college_name: self.college_name,
            details: MeetingInput {
                class_id: Some(self.class_id),
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
                campaign_id: self.campaign_id,
            },
            held_at: self.held_at,
            counts,
        }
    }
}

/// The meeting, if it exists (404) and its class is in the caller's scope (403).
pub(crate) async fn visible_meeting(state: &AppState, user: &StaffUser, id: i64) -> Result<MeetingRow> {
    let row: Option<MeetingRow> =
        sqlx::query_as(&format!("{MEETING_SELECT} AND m.id = $1")).bind(id).fetch_optional(&state.db.read).await?;
    let row = row.ok_or(Error::NotFound)?;
    super::classes::check_visible(state, user, row.class_id).await?;
    Ok(row)
}

#[derive(sqlx::FromRow)]
struct CountRow {
    answer: String,
    status: String,
    n: i64,
}

/// Sign-up counts of one meeting.
pub(crate) async fn counts(state: &AppState, meeting: &MeetingRow) -> Result<Counts> {
    let families: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM students WHERE class_id = $1")
        .bind(meeting.class_id)
        .fetch_one(&state.db.read)
        .await?;
    let rows: Vec<CountRow> = sqlx::query_as(
        "SELECT answer, status, COUNT(*) AS n FROM meeting_answers WHERE meeting_id = $1 GROUP BY answer, status",
    )
    .bind(meeting.id)
    .fetch_all(&state.db.read)
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

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    /// Only this class's meetings.
    class_id: Option<i64>,
}

/// The meetings of the classes the caller may see, soonest first.
#[utoipa::path(get, path = "/api/meetings", tag = "meetings", params(ListQuery),
    responses((status = 200, body = Vec<Meeting>), (status = 401, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn list_meetings(
    State(state): State<AppState>,
    user: StaffUser,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<Meeting>>> {
    let mut sql = Sql::new(MEETING_SELECT);
    user.scope().restrict(&mut sql, "cl");
    if let Some(class_id) = query.class_id {
        sql.push(" AND m.class_id = ").bind(class_id);
    }
    sql.push(" ORDER BY m.starts_at DESC, cl.name LIMIT 500");
    let rows: Vec<MeetingRow> = sql.fetch_all(&state.db.read).await?;
    let mut meetings = Vec::with_capacity(rows.len());
    for row in rows {
        let counts = counts(&state, &row).await?;
        meetings.push(row.into_meeting(counts));
    }
    Ok(Json(meetings))
}

/// One meeting with its sign-up counts.
#[utoipa::path(get, path = "/api/meetings/{id}", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Meeting), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn get_meeting(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<Json<Meeting>> {
    let row = visible_meeting(&state, &user, id).await?;
    let counts = counts(&state, &row).await?;
    Ok(Json(row.into_meeting(counts)))
}
