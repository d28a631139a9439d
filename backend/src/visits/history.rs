//! A student's visits across campaigns, the follow-ups agreed on them and the aid they recorded,
//! for the student's history page (`org::history`, which decides who sees the aid). Visits and
//! follow-ups are the ones the caller may see (`access::restrict_visits`); no notes are read.

use shared::history::{AidReceived, HistoryVisit};
use shared::visits::{FollowUp, Person};
use shared::{CampaignId, StudentId, UserId, VisitId, VisitMode};

use super::access;
use super::read::{follow_up_select, follow_ups};
use super::store::from_json;
use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::Result;
use crate::AppState;

#[derive(sqlx::FromRow)]
struct Row {
    id: VisitId,
    campaign_id: CampaignId,
    campaign_name: String,
    visited_on: String,
    mode: String,
    author_id: UserId,
    author_name: String,
    record: String,
}

/// The student's visits the caller may see, newest first, and the aid those visits recorded.
pub struct Visits {
    pub visits: Vec<HistoryVisit>,
    pub aid: Vec<AidReceived>,
}

pub async fn of_student(state: &AppState, user: &StaffUser, student: StudentId) -> Result<Visits> {
    let mut sql = Sql::new(
        "SELECT v.id, v.campaign_id, c.name AS campaign_name, v.visited_on, v.mode, v.author_id, \
                u.display_name AS author_name, v.record \
         FROM visits v JOIN campaigns c ON c.id = v.campaign_id JOIN students s ON s.id = v.student_id \
         JOIN classes cl ON cl.id = s.class_id JOIN users u ON u.id = v.author_id WHERE v.student_id = ",
    );
    sql.bind(student);
    access::restrict_visits(user, &mut sql);
    sql.push(" ORDER BY v.visited_on DESC, v.id DESC LIMIT 1000");
    let rows: Vec<Row> = sql.fetch_all(&state.db.read).await?;
    let mut out = Visits { visits: Vec::with_capacity(rows.len()), aid: Vec::new() };
    for r in rows {
        let record = from_json(&r.record)?;
        let gifts = record.gifts.trim().to_string();
        let grant_fen = record.grant_fen.filter(|fen| *fen > 0);
        if grant_fen.is_some() || !gifts.is_empty() {
            out.aid.push(AidReceived {
                visit_id: r.id,
                campaign_name: r.campaign_name.clone(),
                date: r.visited_on.clone(),
                grant_fen,
                gifts,
            });
        }
        out.visits.push(HistoryVisit {
            id: r.id,
            campaign_id: r.campaign_id,
            campaign_name: r.campaign_name,
            date: r.visited_on,
            mode: VisitMode::parse(&r.mode).unwrap_or(VisitMode::InPerson),
            author: Person { id: r.author_id, name: r.author_name },
            aspects: record.aspects,
        });
    }
    Ok(out)
}

/// The follow-ups agreed on the student's visits the caller may see, latest due first.
pub async fn follow_ups_of(state: &AppState, user: &StaffUser, student: StudentId) -> Result<Vec<FollowUp>> {
    let mut sql = follow_up_select();
    sql.push(" AND v.student_id = ").bind(student);
    access::restrict_visits(user, &mut sql);
    sql.push(" ORDER BY f.due_on DESC, f.id DESC LIMIT 1000");
    follow_ups(state, &sql).await
}
