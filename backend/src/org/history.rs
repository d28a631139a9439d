//! A student's history across campaigns (issue 15 item 3): each part comes from its own feature,
//! under that feature's access rule, so the page shows exactly what the caller could read there.
//!
//! - Who sees the page at all: anyone who reaches the student in some campaign
//!   (`visits::access::reaches_ever`); 404 for everyone else. Service staff never get here: the
//!   route is not one of theirs (`auth::extract::SERVICE_STAFF_ROUTES`), so they see only their
//!   referrals, never the record.
//! - Visits and follow-ups: the ones the caller may see (`visits::access::restrict_visits`),
//!   without notes.
//! - Concerns: at meetings the caller reaches; mental health and family finances only within
//!   their own scope, those reads audited (`visits::concerns::of_student`).
//! - Meeting answers and attendance: staff whose scope holds the class, who see the meetings.
//! - Hardship aid received (grants, blessing packages): a read of the family's finances, so only
//!   those whose own scope holds the student (`Scope::sees_sensitive`), each read audited.

use shared::history::StudentHistory;
use shared::StudentId;

use crate::audit;
use crate::auth::StaffUser;
use crate::error::{Error, Result};
use crate::meetings::signups;
use crate::visits::{access, concerns, history as visit_history};
use crate::AppState;

pub async fn history(state: &AppState, user: &StaffUser, id: StudentId) -> Result<StudentHistory> {
    if !access::reaches_ever(state, user, id).await? {
        return Err(Error::NotFound);
    }
    let (student_name, class_name): (String, String) =
        sqlx::query_as("SELECT s.name, cl.name FROM students s JOIN classes cl ON cl.id = s.class_id WHERE s.id = $1")
            .bind(id)
            .fetch_one(&state.db.read)
            .await?;
    let in_scope = access::sees_sensitive(state, user, id).await?;
    let visits = visit_history::of_student(state, user, id).await?;
    let meetings = if in_scope { Some(signups::of_student(&state.db, user, id).await?) } else { None };
    let concerns = concerns::of_student(state, user, id).await?;
    let follow_ups = visit_history::follow_ups_of(state, user, id).await?;
    let aid = if in_scope {
        let detail = format!("student history: {} aid entries", visits.aid.len());
        audit::record(&state.db, user.id, "read", Some(id), &["hardship_aid"], &detail).await?;
        Some(visits.aid)
    } else {
        None
    };
    Ok(StudentHistory {
        student_id: id,
        student_name,
        class_name,
        visits: visits.visits,
        meetings,
        concerns,
        sensitive_visible: in_scope,
        follow_ups,
        aid,
    })
}
