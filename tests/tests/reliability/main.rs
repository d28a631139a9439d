//! Reliability under load and under crashes, on SQLite or PostgreSQL like every other test:
//!
//! - `meetings`: hundreds of families answering one meeting at once, changing their minds and
//!   withdrawing — never over-booked, every acknowledged answer kept, the waitlist in order;
//! - `sync`: many counselors' tablets syncing overlapping batches at once — each visit stored
//!   exactly once;
//! - `crash`: the server process killed with SIGKILL again and again during roster imports and
//!   syncs, then started again — imports all or nothing, every acknowledged visit there once.
//!
//! Each prints what it tried (`cargo test -p tests --test reliability -- --nocapture`).

mod crash;
mod meetings;
mod sync;

use std::collections::HashMap;

use reqwest::Client;
use shared::visits::{NewVisit, SyncRequest, SyncResponse, SyncResult};
use tests::TestApp;

/// What a test tried and saw, on standard error, with the database it ran on.
fn report(test: &str, figures: &[(&str, usize)]) {
    let figures: Vec<String> = figures.iter().map(|(name, n)| format!("{name}: {n}")).collect();
    eprintln!("[reliability/{test} on {}] {}", tests::expected_database(), figures.join("; "));
}

/// A full visit whose notes tell it apart from the others of the same student.
fn visit(campaign_id: i64, student_id: shared::StudentId, owner: shared::UserId, n: usize) -> NewVisit {
    let mut visit = tests::visits::full_visit(campaign_id, student_id, owner);
    visit.record.notes = format!("第 {n} 次家访");
    visit
}

/// Every stored visit: client id → visit id.
async fn stored_visits(app: &TestApp) -> HashMap<String, i64> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT client_id, id FROM visits").fetch_all(&app.db.read).await.expect("reading visits");
    rows.into_iter().collect()
}

/// Visits stored without their one follow-up or their first revision: half a write.
async fn half_stored_visits(app: &TestApp) -> i64 {
    app.count(
        "SELECT COUNT(*) FROM visits v WHERE (SELECT COUNT(*) FROM follow_ups f WHERE f.visit_id = v.id) <> 1 \
         OR (SELECT COUNT(*) FROM visit_revisions r WHERE r.visit_id = v.id AND r.revision = 1) <> 1",
    )
    .await
}

/// What a tablet's run of sync requests got: every result acknowledged, and why it stopped early
/// if it did.
#[derive(Default)]
struct Synced {
    requests: usize,
    /// Visits sent, answered or not.
    tried: usize,
    results: Vec<SyncResult>,
    /// The server went away: no answer.
    cut: Option<String>,
    /// An answer that is not a sync response for what was sent.
    wrong: Option<String>,
}

/// Sends `visits` to the server at `address` in batches of `batch`, one request after another,
/// as a tablet does.
async fn sync_in_batches(address: &str, client: &Client, visits: &[NewVisit], batch: usize) -> Synced {
    let (url, mut synced) = (format!("{address}/api/visits/sync"), Synced::default());
    for visits in visits.chunks(batch) {
        synced.requests += 1;
        synced.tried += visits.len();
        let request = SyncRequest { visits: visits.to_vec() };
        let (status, text) = match client.post(&url).json(&request).send().await {
            Ok(response) => match (response.status(), response.text().await) {
                (status, Ok(text)) => (status, text),
                (_, Err(e)) => return Synced { cut: Some(e.to_string()), ..synced },
            },
            Err(e) => return Synced { cut: Some(e.to_string()), ..synced },
        };
        let sent: Vec<&str> = visits.iter().map(|v| v.client_id.as_str()).collect();
        match serde_json::from_str::<SyncResponse>(&text) {
            Ok(answer) if status.is_success() && answer.results.iter().map(|r| r.client_id.as_str()).eq(sent) => {
                synced.results.extend(answer.results)
            }
            _ => return Synced { wrong: Some(format!("{status}: {text}")), ..synced },
        }
    }
    synced
}
