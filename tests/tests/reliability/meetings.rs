//! Hundreds of families answer one small meeting at once, each from its own phone (client and
//! family session), changing their minds, their head count, and withdrawing, while a watcher
//! reads the database between the writes: the meeting is never over-booked, seats add up, the
//! first family waiting never fits in the seats left, and each family's answer at the end is the
//! one the server last acknowledged to it.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use reqwest::{Client, Response, StatusCode};
use shared::meetings::{AnswerStatus, Attendance, FamilyPage, Signups};
use tests::meetings::meeting_input;
use tests::{error_body, json_of, TestApp};

const FAMILIES: usize = 300;
const ANSWERS_EACH: usize = 7;
const CAPACITY: i64 = 40;
const PER_FAMILY: i64 = 3;

/// A family's answer as the server last acknowledged it: (answer, people, place in the queue),
/// or `None` after a withdrawal or before any answer.
type Acknowledged = Option<(Attendance, i64, i64)>;

#[derive(Default)]
struct Tally {
    tried: usize,
    accepted: usize,
    /// 409: more people than the seats left; the old answer stands.
    refused: usize,
    /// 429, tried again after `Retry-After`.
    rate_limited: usize,
    failures: Vec<String>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_families_answering_at_once_never_over_book_and_keep_every_acknowledged_answer() {
    let app = tests::spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    app.add_families(class.id, "R", FAMILIES - class.students.len()).await;
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, CAPACITY, PER_FAMILY)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    assert_eq!(links.families.len(), FAMILIES);

    let app = Arc::new(app);
    let mut entering = tokio::task::JoinSet::new();
    for link in links.families {
        let app = app.clone();
        entering.spawn(async move {
            let (client, _) = app.family(link.url.as_deref().expect("an active link")).await;
            (link.guardian_id.expect("a family link"), client)
        });
    }
    let families = entering.join_all().await;

    let stop = Arc::new(AtomicBool::new(false));
    let watcher = tokio::spawn(watch(app.clone(), meeting.id.get(), stop.clone()));
    let start = Arc::new(tokio::sync::Barrier::new(families.len()));
    let mut answering = tokio::task::JoinSet::new();
    for (seed, (guardian_id, client)) in families.into_iter().enumerate() {
        let (app, start) = (app.clone(), start.clone());
        answering.spawn(async move {
            start.wait().await;
            (guardian_id, answer_and_change(&app, &client, seed as u64).await)
        });
    }
    let outcomes = answering.join_all().await;
    stop.store(true, Ordering::Relaxed);
    let (observations, violations) = watcher.await.expect("the watcher");

    let mut total = Tally::default();
    for (guardian_id, (acknowledged, tally)) in &outcomes {
        total.tried += tally.tried;
        total.accepted += tally.accepted;
        total.refused += tally.refused;
        total.rate_limited += tally.rate_limited;
        total.failures.extend(tally.failures.iter().cloned());
        let stored: Option<(String, i64, i64)> = sqlx::query_as(
            "SELECT answer, people, queue_seq FROM meeting_answers WHERE meeting_id = $1 AND guardian_id = $2",
        )
        .bind(meeting.id)
        .bind(*guardian_id)
        .fetch_optional(&app.db.read)
        .await
        .expect("reading an answer");
        let expected = acknowledged.map(|(answer, people, seq)| (answer.code().to_string(), people, seq));
        assert_eq!(stored, expected, "guardian {guardian_id}: the stored answer is not the last acknowledged");
    }
    super::report(
        "meetings",
        &[
            ("families answering at once", FAMILIES),
            ("answers tried", total.tried),
            ("accepted", total.accepted),
            ("refused 409 (not enough seats for more people)", total.refused),
            ("rate-limited 429", total.rate_limited),
            ("snapshots checked while answering", observations),
        ],
    );
    assert!(
        total.failures.is_empty(),
        "{} unexpected answers, e.g. {:?}",
        total.failures.len(),
        &total.failures[..5.min(total.failures.len())]
    );
    assert!(
        violations.is_empty(),
        "{} broken snapshots, e.g. {:?}",
        violations.len(),
        &violations[..5.min(violations.len())]
    );
    assert!(total.tried >= 2000 && observations > 0);

    let end = snapshot(&app, meeting.id.get()).await;
    assert_eq!(end.problem(), None);
    waitlist_in_order(&app, &school.admin, meeting.id.get(), &end).await;
}

/// One family: `ANSWERS_EACH` answers, changes and withdrawals in a random order, each checked
/// against what was sent.
async fn answer_and_change(app: &TestApp, client: &Client, seed: u64) -> (Acknowledged, Tally) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut last, mut tally): (Acknowledged, Tally) = (None, Tally::default());
    for _ in 0..ANSWERS_EACH {
        let choice = match rng.gen_range(0..100) {
            0..55 => Some((Attendance::InPerson, rng.gen_range(1..=PER_FAMILY))),
            55..70 => Some((Attendance::Online, 1)),
            70..80 => Some((Attendance::Absent, 1)),
            _ => None,
        };
        tokio::time::sleep(Duration::from_millis(rng.gen_range(0..4))).await;
        loop {
            tally.tried += 1;
            let response = match choice {
                Some((answer, people)) => app.answer(client, answer, people).await,
                None => client.delete(app.url("/api/family/answer")).send().await.expect("DELETE /api/family/answer"),
            };
            match response.status() {
                StatusCode::OK => {
                    let page: FamilyPage = json_of(response, "an answer").await;
                    match acknowledged(choice, &page) {
                        Ok(now) => (last, tally.accepted) = (now, tally.accepted + 1),
                        Err(e) => tally.failures.push(e),
                    }
                }
                StatusCode::TOO_MANY_REQUESTS => {
                    tally.rate_limited += 1;
                    tokio::time::sleep(retry_after(&response)).await;
                    continue;
                }
                // Only a seated family asking for more seats than are left may be refused.
                StatusCode::CONFLICT => match (last, choice) {
                    (Some((Attendance::InPerson, had, _)), Some((Attendance::InPerson, wants))) if wants > had => {
                        tally.refused += 1
                    }
                    _ => tally
                        .failures
                        .push(format!("409 to {choice:?} after {last:?}: {:?}", error_body(response).await)),
                },
                status => tally
                    .failures
                    .push(format!("{status} to {choice:?}: {}", response.text().await.unwrap_or_default())),
            }
            break;
        }
    }
    (last, tally)
}

/// The answer a 200 acknowledged, if the page shows what was sent.
fn acknowledged(choice: Option<(Attendance, i64)>, page: &FamilyPage) -> Result<Acknowledged, String> {
    let Some((answer, people)) = choice else {
        return page.answer.as_ref().map_or(Ok(None), |a| Err(format!("withdrawn, yet {a:?}")));
    };
    let shown = page.answer.as_ref().ok_or_else(|| format!("{answer:?} acknowledged without an answer"))?;
    let people = if answer == Attendance::Absent { 0 } else { people };
    let placed = match shown.status {
        AnswerStatus::Confirmed => shown.waitlist_position.is_none(),
        AnswerStatus::Waitlisted => answer == Attendance::InPerson && shown.waitlist_position.is_some_and(|p| p >= 1),
    };
    if shown.answer != answer || shown.people != people || !placed {
        return Err(format!("sent {answer:?} × {people}, shown {shown:?}"));
    }
    Ok(Some((answer, people, shown.queue_seq)))
}

fn retry_after(response: &Response) -> Duration {
    let seconds = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    Duration::from_secs(seconds.expect("a 429 says when to try again (Retry-After)"))
}

/// The meeting's seats and waitlist, read in one statement (one snapshot on either database).
#[derive(Debug, sqlx::FromRow)]
struct Snapshot {
    capacity: i64,
    seats_taken: i64,
    /// Seats held by confirmed answers.
    seated: i64,
    /// The head count of the first family waiting.
    first_waiting: Option<i64>,
    /// Answers whose seats do not match their answer and status.
    malformed: i64,
}

impl Snapshot {
    fn problem(&self) -> Option<String> {
        let free = self.capacity - self.seats_taken;
        let broken = self.seats_taken > self.capacity
            || self.seated != self.seats_taken
            || self.malformed != 0
            || self.first_waiting.is_some_and(|people| people <= free);
        broken.then(|| format!("{self:?}"))
    }
}

async fn snapshot(app: &TestApp, meeting_id: i64) -> Snapshot {
    sqlx::query_as(
        "SELECT m.capacity, m.seats_taken, \
           (SELECT CAST(COALESCE(SUM(a.seats), 0) AS BIGINT) FROM meeting_answers a \
             WHERE a.meeting_id = m.id AND a.status = 'confirmed') AS seated, \
           (SELECT a.people FROM meeting_answers a WHERE a.meeting_id = m.id AND a.status = 'waitlisted' \
             ORDER BY a.queue_seq LIMIT 1) AS first_waiting, \
           (SELECT COUNT(*) FROM meeting_answers a WHERE a.meeting_id = m.id AND NOT ( \
             (a.status = 'confirmed' AND a.answer = 'in_person' AND a.seats = a.people) \
             OR (a.status = 'confirmed' AND a.answer <> 'in_person' AND a.seats = 0) \
             OR (a.status = 'waitlisted' AND a.answer = 'in_person' AND a.seats = 0))) AS malformed \
         FROM meetings m WHERE m.id = $1",
    )
    .bind(meeting_id)
    .fetch_one(&app.db.read)
    .await
    .expect("a snapshot of the meeting")
}

/// Reads snapshots until told to stop: how many, and the broken ones.
async fn watch(app: Arc<TestApp>, meeting_id: i64, stop: Arc<AtomicBool>) -> (usize, Vec<String>) {
    let (mut seen, mut broken) = (0, Vec::new());
    while !stop.load(Ordering::Relaxed) {
        seen += 1;
        broken.extend(snapshot(&app, meeting_id).await.problem());
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (seen, broken)
}

/// At the end: the staff list's figures match the database, and the families waiting are told
/// places 1, 2, 3… in the order they joined the queue.
async fn waitlist_in_order(app: &TestApp, admin: &tests::Account, meeting_id: i64, end: &Snapshot) {
    let admin = app.signed_in(admin).await;
    let signups: Signups = app.get_json(&admin, &format!("/api/meetings/{meeting_id}/signups")).await;
    assert_eq!(signups.counts.seats_taken, end.seats_taken);
    let queue: Vec<i64> = sqlx::query_scalar(
        "SELECT student_id FROM meeting_answers WHERE meeting_id = $1 AND status = 'waitlisted' ORDER BY queue_seq",
    )
    .bind(meeting_id)
    .fetch_all(&app.db.read)
    .await
    .expect("the waitlist");
    let told: Vec<Option<i64>> = queue
        .iter()
        .map(|id| signups.families.iter().find(|f| f.student_id.get() == *id).and_then(|f| f.waitlist_position))
        .collect();
    assert_eq!(told, (1..=queue.len() as i64).map(Some).collect::<Vec<_>>(), "places in the order of arrival");
    assert_eq!(signups.counts.waitlisted, queue.len() as i64);
    eprintln!(
        "[reliability/meetings] at the end: {} of {} seats taken, {} families waiting",
        end.seats_taken,
        end.capacity,
        queue.len()
    );
}
