//! Parents' feedback after a meeting, read by staff: a meeting's ratings and suggestions, and
//! the same counted per college for the dashboard, the export and the report (the dashboard
//! gives the condition: campaign, filters and scope). Never who wrote it: no guardian, no phone.
//! Families write it through `crate::family::page::give_feedback`.

use shared::feedback::{date_of, CollegeFeedback, MeetingFeedback, Ratings, Suggestion};

use crate::db::{Db, Sql};
use crate::error::Result;

/// `FROM meeting_feedback f JOIN meetings m JOIN classes cl JOIN colleges co WHERE 1 = 1` and
/// `cond` (` AND ...` on those).
fn from(cond: &Sql) -> Sql {
    let mut sql = Sql::new(
        " FROM meeting_feedback f JOIN meetings m ON m.id = f.meeting_id JOIN classes cl ON cl.id = m.class_id \
         JOIN colleges co ON co.id = cl.college_id WHERE 1 = 1",
    );
    sql.push_sql(cond);
    sql
}

#[derive(sqlx::FromRow)]
struct StarRow {
    college_id: i64,
    college: String,
    rating: i64,
    n: i64,
}

/// Ratings per college under `cond`, in the colleges' order.
pub async fn by_college(db: &Db, cond: &Sql) -> Result<Vec<CollegeFeedback>> {
    let mut sql = Sql::new("SELECT co.id AS college_id, co.name AS college, f.rating AS rating, COUNT(*) AS n");
    sql.push_sql(&from(cond)).push(" GROUP BY co.id, co.name, f.rating ORDER BY co.id, f.rating");
    let rows: Vec<StarRow> = sql.fetch_all(&db.read).await?;
    let mut colleges: Vec<CollegeFeedback> = Vec::new();
    for r in rows {
        if colleges.last().is_none_or(|c| c.college_id != r.college_id) {
            let ratings = Ratings { stars: vec![0; shared::feedback::STARS], ..Ratings::default() };
            colleges.push(CollegeFeedback { college_id: r.college_id, college: r.college, ratings });
        }
        if let Some(c) = colleges.last_mut() {
            c.ratings.add(r.rating, r.n);
        }
    }
    Ok(colleges)
}

#[derive(sqlx::FromRow)]
struct SuggestionRow {
    text: String,
    rating: i64,
    created_at: i64,
    college: String,
    class: String,
}

/// The non-empty suggestions under `cond`, newest first; at most `limit` if given.
pub async fn suggestions(db: &Db, cond: &Sql, limit: Option<i64>) -> Result<Vec<Suggestion>> {
    let mut sql = Sql::new(
        "SELECT f.suggestions AS text, f.rating AS rating, f.created_at AS created_at, co.name AS college, \
         cl.name AS class",
    );
    sql.push_sql(&from(cond)).push(" AND f.suggestions <> '' ORDER BY f.created_at DESC, f.meeting_id, f.student_id");
    if let Some(limit) = limit {
        sql.push(" LIMIT ").bind(limit);
    }
    let rows: Vec<SuggestionRow> = sql.fetch_all(&db.read).await?;
    Ok(rows
        .into_iter()
        .map(|r| Suggestion {
            date: date_of(r.created_at),
            text: r.text,
            rating: r.rating,
            created_at: r.created_at,
            college: r.college,
            class: r.class,
        })
        .collect())
}

/// One meeting's ratings (with each star's count) and all its suggestions.
pub async fn for_meeting(db: &Db, meeting_id: i64) -> Result<MeetingFeedback> {
    let mut cond = Sql::new(" AND f.meeting_id = ");
    cond.bind(meeting_id);
    let ratings = by_college(db, &cond).await?.into_iter().next().map(|c| c.ratings);
    let ratings = ratings.unwrap_or_else(|| Ratings { stars: vec![0; shared::feedback::STARS], ..Ratings::default() });
    Ok(MeetingFeedback { ratings, suggestions: suggestions(db, &cond, None).await? })
}
