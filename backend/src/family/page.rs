//! The parent's page: their child's meeting, their own answer, their own concerns and feedback.
//! Nothing about other families, no notes, no hardship, no staff phone numbers.

use axum::http::StatusCode;
use shared::meetings::{AnswerInput, ConcernInput, FamilyConcern, FamilyPage, FeedbackInput, Topic};

use super::Family;
use crate::db::now;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::meetings::seats;
use crate::AppState;

/// The online link shows from this long before the start.
const ONLINE_LINK_LEAD: i64 = 30 * 60;
const MAX_CONCERNS: i64 = 20;

#[derive(sqlx::FromRow)]
struct PageRow {
    student_name: String,
    class_name: String,
    guardian_name: String,
    theme: String,
    description: String,
    starts_at: i64,
    ends_at: i64,
    place: Option<String>,
    online_url: Option<String>,
    per_family: i64,
    signup_deadline: i64,
    held_at: Option<i64>,
    answer: Option<String>,
    answer_status: Option<String>,
    answer_people: Option<i64>,
    queue_seq: Option<i64>,
    waiting_ahead: i64,
    rating: Option<i64>,
    suggestions: Option<String>,
    concern_count: i64,
    opted_out_at: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ConcernRow {
    id: i64,
    topic: String,
    text: String,
    addressed_at: Option<i64>,
    reply: Option<String>,
}

/// The whole page in one query (a family's answer, place on the waitlist and feedback joined);
/// concerns in a second only when there are any, since this runs after every answer of a storm.
pub async fn load(state: &AppState, family: &Family) -> Result<FamilyPage> {
    let r: PageRow = sqlx::query_as(
        "SELECT s.name AS student_name, cl.name AS class_name, g.name AS guardian_name, m.theme, m.description, \
                m.starts_at, m.ends_at, m.place, m.online_url, m.per_family, m.signup_deadline, m.held_at, \
                a.answer, a.status AS answer_status, a.people AS answer_people, a.queue_seq, \
                CASE WHEN a.status = 'waitlisted' THEN (SELECT COUNT(*) FROM meeting_answers w \
                     WHERE w.meeting_id = m.id AND w.status = 'waitlisted' AND w.queue_seq <= a.queue_seq) \
                     ELSE 0 END AS waiting_ahead, \
                f.rating, f.suggestions, \
                (SELECT COUNT(*) FROM meeting_concerns c WHERE c.meeting_id = m.id AND c.student_id = $3) \
                    AS concern_count, g.opted_out_at \
         FROM meetings m JOIN classes cl ON cl.id = m.class_id \
         JOIN guardians g ON g.id = $2 JOIN students s ON s.id = g.student_id \
         LEFT JOIN meeting_answers a ON a.meeting_id = m.id AND a.student_id = $3 \
         LEFT JOIN meeting_feedback f ON f.meeting_id = m.id AND f.student_id = $3 \
         WHERE m.id = $1",
    )
    .bind(family.meeting_id)
    .bind(family.guardian_id)
    .bind(family.student_id)
    .fetch_one(&state.db.read)
    .await?;
    let answer = match (&r.answer, &r.answer_status, r.answer_people, r.queue_seq) {
        (Some(answer), Some(status), Some(people), Some(seq)) => {
            Some(seats::family_answer(answer, status, people, seq, r.waiting_ahead)?)
        }
        _ => None,
    };
    let concerns: Vec<ConcernRow> = if r.concern_count == 0 {
        Vec::new()
    } else {
        // The reply only: what the visit itself recorded stays with staff.
        sqlx::query_as(
            "SELECT id, topic, text, addressed_at, reply FROM meeting_concerns \
             WHERE meeting_id = $1 AND student_id = $2 ORDER BY id",
        )
        .bind(family.meeting_id)
        .bind(family.student_id)
        .fetch_all(&state.db.read)
        .await?
    };
    let feedback = r.rating.zip(r.suggestions.clone());
    let at = now();
    let online_open = at >= r.starts_at - ONLINE_LINK_LEAD && at <= r.ends_at;
    let held = r.held_at.is_some() || at > r.ends_at;
    Ok(FamilyPage {
        student_name: r.student_name,
        class_name: r.class_name,
        guardian_name: r.guardian_name,
        theme: r.theme,
        description: r.description,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        place: r.place,
        has_online: r.online_url.is_some(),
        online_url: r.online_url.filter(|_| online_open),
        per_family: r.per_family,
        signup_deadline: r.signup_deadline,
        can_change: at <= r.signup_deadline,
        held,
        answer,
        concerns: concerns
            .into_iter()
            .filter_map(|c| {
                Topic::from_code(&c.topic).map(|topic| FamilyConcern {
                    id: c.id,
                    topic,
                    text: c.text,
                    addressed: c.addressed_at.is_some(),
                    reply: c.reply,
                })
            })
            .collect(),
        feedback: feedback.map(|(rating, suggestions)| FeedbackInput { rating, suggestions }),
        can_give_feedback: held,
        messages_off: r.opted_out_at.is_some(),
    })
}

/// Answers with one tap — in person, online or not — or changes the answer, until the deadline.
/// In person beyond the meeting's capacity joins the waitlist.
pub async fn put_answer(state: &AppState, family: &Family, input: AnswerInput) -> Result<FamilyPage> {
    let choice = Some((input.answer, input.people));
    seats::answer(&state.db, family.meeting_id, family.student_id, family.guardian_id, choice).await?;
    load(state, family).await
}

/// Withdraws the answer; a seat it held goes to the first family waiting.
pub async fn withdraw(state: &AppState, family: &Family) -> Result<FamilyPage> {
    seats::answer(&state.db, family.meeting_id, family.student_id, family.guardian_id, None).await?;
    load(state, family).await
}

/// Adds something the parent would like the meeting to talk about.
pub async fn add_concern(state: &AppState, family: &Family, input: ConcernInput) -> Result<FamilyPage> {
    let text = input.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 1000 {
        return Err(Error::field(
            "text",
            Msg::new("请填写内容（最多 1000 字）", "Write something (at most 1000 characters)"),
        ));
    }
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_concerns WHERE meeting_id = $1 AND student_id = $2")
        .bind(family.meeting_id)
        .bind(family.student_id)
        .fetch_one(&state.db.read)
        .await?;
    if n >= MAX_CONCERNS {
        return Err(Error::field("text", Msg::new("最多可提 20 条", "At most 20 concerns")));
    }
    // Mental health and family finances only under the guardian's separate consent (PIPL
    // art. 29), which the concern keeps: withdrawing it hides the concern from staff.
    let consent = if input.topic.is_sensitive() {
        let Some(consent) = crate::privacy::active_consent(&state.db, family.guardian_id).await? else {
            return Err(Error::field(
                "topic",
                Msg::new(
                    "提交心理健康或家庭经济方面的问题前，请先阅读说明并单独同意",
                    "Before sending a concern on mental health or family finances, read what it is for and agree separately",
                ),
            ));
        };
        Some(consent)
    } else {
        None
    };
    sqlx::query(
        "INSERT INTO meeting_concerns (meeting_id, student_id, guardian_id, topic, text, created_at, consent_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(family.meeting_id)
    .bind(family.student_id)
    .bind(family.guardian_id)
    .bind(input.topic.code())
    .bind(text)
    .bind(now())
    .bind(consent)
    .execute(&state.db.write)
    .await?;
    if input.topic.is_sensitive() {
        // The concern is stored: a notice that cannot be queued is logged, not the parent's error.
        if let Err(e) = crate::notify::notices::sensitive_concern(state, family.meeting_id, family.student_id).await {
            tracing::warn!(error = %e, "queueing the counselor's notice of a sensitive concern failed");
        }
    }
    load(state, family).await
}

/// Removes one of the family's own concerns (another family's is simply not found); one a home
/// visit has addressed stays, as the visit's record (409).
pub async fn delete_concern(state: &AppState, family: &Family, id: i64) -> Result<FamilyPage> {
    let done = sqlx::query(
        "DELETE FROM meeting_concerns WHERE id = $1 AND meeting_id = $2 AND student_id = $3 AND visit_id IS NULL",
    )
    .bind(id)
    .bind(family.meeting_id)
    .bind(family.student_id)
    .execute(&state.db.write)
    .await?;
    if done.rows_affected() == 0 {
        let addressed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM meeting_concerns WHERE id = $1 AND meeting_id = $2 AND student_id = $3",
        )
        .bind(id)
        .bind(family.meeting_id)
        .bind(family.student_id)
        .fetch_one(&state.db.read)
        .await?;
        if addressed > 0 {
            return Err(Error::Conflict(Msg::new(
                "该问题已在家访中沟通，不能删除",
                "This concern was discussed during the home visit and cannot be removed",
            )));
        }
        return Err(Error::NotFound);
    }
    load(state, family).await
}

/// After the meeting: a rating from 1 to 5 and suggestions (given again, it replaces the last).
pub async fn give_feedback(state: &AppState, family: &Family, input: FeedbackInput) -> Result<FamilyPage> {
    if !load(state, family).await?.can_give_feedback {
        return Err(Error::Status {
            status: StatusCode::CONFLICT,
            code: "not_yet",
            message: Msg::new("家长会结束后才能评价", "Feedback opens after the meeting"),
        });
    }
    let suggestions = input.suggestions.trim().to_string();
    if !(1..=5).contains(&input.rating) {
        return Err(Error::field("rating", Msg::new("请选择 1 到 5 分", "Choose 1 to 5")));
    }
    if suggestions.chars().count() > 2000 {
        return Err(Error::field("suggestions", Msg::new("最多 2000 字", "At most 2000 characters")));
    }
    // The dashboard shows feedback live: its class's tally row is marked changed in the same
    // transaction (`dashboard::live`).
    let mut tx = state.db.write.begin().await?;
    sqlx::query(
        "INSERT INTO meeting_feedback (meeting_id, student_id, guardian_id, rating, suggestions, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (meeting_id, student_id) DO UPDATE SET \
         guardian_id = excluded.guardian_id, rating = excluded.rating, suggestions = excluded.suggestions, \
         created_at = excluded.created_at",
    )
    .bind(family.meeting_id)
    .bind(family.student_id)
    .bind(family.guardian_id)
    .bind(input.rating)
    .bind(suggestions)
    .bind(now())
    .execute(&mut *tx)
    .await?;
    crate::dashboard::tally::touch_meeting(&mut tx, family.meeting_id).await?;
    tx.commit().await?;
    load(state, family).await
}
