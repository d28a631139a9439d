//! Seats and the waitlist. A meeting never seats more people than its capacity, however many
//! families answer at once:
//!
//! - every change to a meeting's answers runs in one transaction that first bumps the meeting's
//!   `queue_counter` — on PostgreSQL that UPDATE takes the meeting row's lock, so changes to one
//!   meeting run one after another; on SQLite all writes share one connection anyway;
//! - seats are taken only by `UPDATE … SET seats_taken = seats_taken + n WHERE seats_taken + n
//!   <= capacity`, which succeeds or not atomically; the free seats read under the lock only
//!   spare the statements that could not succeed (`Seats`);
//! - a withdrawal or a smaller head count gives seats back and promotes the families waiting, in
//!   order of arrival, in the same transaction, with a message for each in the outbox.

use std::sync::LazyLock;

use shared::meetings::{AnswerStatus, Attendance, FamilyAnswer, MessageKind};
use sqlx::AnyConnection;

use crate::dashboard::tally::{self, Subject};
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;

#[derive(sqlx::FromRow)]
struct Locked {
    queue_counter: i64,
    per_family: i64,
    signup_deadline: i64,
    /// The meeting's seats as they were when the lock was taken.
    seats: Seats,
}

#[derive(sqlx::FromRow)]
struct AnswerRow {
    id: i64,
    answer: String,
    seats: i64,
    queue_seq: i64,
}

impl AnswerRow {
    /// The row read through a left join or subqueries: all there, or no answer.
    fn joined(
        id: Option<i64>,
        answer: Option<String>,
        seats: Option<i64>,
        queue_seq: Option<i64>,
    ) -> Option<AnswerRow> {
        match (id, answer, seats, queue_seq) {
            (Some(id), Some(answer), Some(seats), Some(queue_seq)) => Some(AnswerRow { id, answer, seats, queue_seq }),
            _ => None,
        }
    }
}

/// The statement that locks the meeting (PostgreSQL: its row, until commit) and hands out the
/// next arrival number: on PostgreSQL it is sent with the `BEGIN` (`Db::transaction_locking`),
/// so the answer's work starts under the lock.
fn lock_statement(meeting_id: i64) -> String {
    format!("UPDATE meetings SET queue_counter = queue_counter + 1 WHERE id = {meeting_id}")
}

/// Under the meeting's lock: its arrival number and rules, the family's answer and whether
/// anyone waits, in one statement.
///
/// - PostgreSQL: the lock came with the `BEGIN`; this statement's snapshot is taken after it
///   was granted, so it reads every answer committed before. (The lock cannot be taken here:
///   the subqueries of an `UPDATE` that waited for a lock read what was committed before it
///   waited.)
/// - SQLite: the `UPDATE` here is the lock (its single writer runs one transaction at a time,
///   so nothing changes between taking it and reading); one statement, not two, makes a storm's
///   answer measurably faster (see the storm benchmark).
async fn lock_and_load(
    conn: &mut AnyConnection,
    meeting_id: i64,
    student_id: i64,
) -> Result<(Locked, Option<AnswerRow>, bool)> {
    #[derive(sqlx::FromRow)]
    struct Row {
        queue_counter: i64,
        per_family: i64,
        signup_deadline: i64,
        free: i64,
        waiting: i64,
        id: Option<i64>,
        answer: Option<String>,
        seats: Option<i64>,
        queue_seq: Option<i64>,
    }
    const WAITING: &str = "CAST(CASE WHEN EXISTS (SELECT 1 FROM meeting_answers w \
         WHERE w.meeting_id = $1 AND w.status = 'waitlisted') THEN 1 ELSE 0 END AS BIGINT) AS waiting";
    static SQLITE: LazyLock<String> = LazyLock::new(|| {
        let mine = |column: &str| {
            format!(
                "(SELECT a.{column} FROM meeting_answers a WHERE a.meeting_id = $1 AND a.student_id = $2) AS {column}"
            )
        };
        format!(
            "UPDATE meetings SET queue_counter = queue_counter + 1 WHERE id = $1 \
             RETURNING queue_counter, per_family, signup_deadline, capacity - seats_taken AS free, {WAITING}, {}, {}, {}, {}",
            mine("id"),
            mine("answer"),
            mine("seats"),
            mine("queue_seq")
        )
    });
    static POSTGRES: LazyLock<String> = LazyLock::new(|| {
        format!(
            "SELECT m.queue_counter, m.per_family, m.signup_deadline, m.capacity - m.seats_taken AS free, {WAITING}, a.id, a.answer, a.seats, a.queue_seq \
             FROM meetings m LEFT JOIN meeting_answers a ON a.meeting_id = m.id AND a.student_id = $2 \
             WHERE m.id = $1"
        )
    });
    let sql = if conn.backend_name() == "SQLite" { &SQLITE } else { &POSTGRES };
    let r: Row = sqlx::query_as(sql.as_str())
        .bind(meeting_id)
        .bind(student_id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(Error::NotFound)?;
    let locked = Locked {
        queue_counter: r.queue_counter,
        per_family: r.per_family,
        signup_deadline: r.signup_deadline,
        seats: Seats { meeting_id, free: r.free },
    };
    Ok((locked, AnswerRow::joined(r.id, r.answer, r.seats, r.queue_seq), r.waiting != 0))
}

/// A meeting's free seats, known under its lock: every change to them goes through here while
/// the lock is held, so a change that cannot succeed (a take beyond them, a look at the waitlist
/// with none free) costs no statement — fewer round trips while the class's other families wait
/// for the lock (the sign-up storm on PostgreSQL).
struct Seats {
    meeting_id: i64,
    free: i64,
}

impl Seats {
    /// Takes `n` seats if they are free; whether it did.
    async fn take(&mut self, conn: &mut AnyConnection, n: i64) -> Result<bool> {
        if n > self.free {
            return Ok(false);
        }
        // The condition again in the statement: a seat is never given twice, whatever this knew.
        let done = sqlx::query(
            "UPDATE meetings SET seats_taken = seats_taken + $1 WHERE id = $2 AND seats_taken + $1 <= capacity",
        )
        .bind(n)
        .bind(self.meeting_id)
        .execute(&mut *conn)
        .await?;
        let taken = done.rows_affected() == 1;
        if taken {
            self.free -= n;
        }
        Ok(taken)
    }

    /// Gives `n` seats back; whether there were any (then someone waiting may now fit).
    async fn give_back(&mut self, conn: &mut AnyConnection, n: i64) -> Result<bool> {
        if n > 0 {
            sqlx::query("UPDATE meetings SET seats_taken = seats_taken - $1 WHERE id = $2")
                .bind(n)
                .bind(self.meeting_id)
                .execute(&mut *conn)
                .await?;
            self.free += n;
        }
        Ok(n > 0)
    }

    /// Seats the families waiting, first come first served, as long as the first one fits.
    async fn promote(&mut self, conn: &mut AnyConnection) -> Result<()> {
        while self.free > 0 {
            let next: Option<(i64, i64, i64)> = sqlx::query_as(
                "SELECT id, people, guardian_id FROM meeting_answers WHERE meeting_id = $1 AND status = 'waitlisted' \
                 ORDER BY queue_seq LIMIT 1",
            )
            .bind(self.meeting_id)
            .fetch_optional(&mut *conn)
            .await?;
            let Some((id, people, guardian_id)) = next else { return Ok(()) };
            if !self.take(conn, people).await? {
                return Ok(());
            }
            sqlx::query("UPDATE meeting_answers SET status = 'confirmed', seats = $1, updated_at = $2 WHERE id = $3")
                .bind(people)
                .bind(now())
                .bind(id)
                .execute(&mut *conn)
                .await?;
            super::outbox::queue(conn, self.meeting_id, guardian_id, MessageKind::Promotion).await?;
        }
        Ok(())
    }
}

/// Seats the families waiting, first come first served, as long as the first one fits: after
/// staff changed the meeting, in their transaction (which holds the meeting's lock).
pub async fn promote(conn: &mut AnyConnection, meeting_id: i64) -> Result<()> {
    let free: i64 = sqlx::query_scalar("SELECT capacity - seats_taken FROM meetings WHERE id = $1")
        .bind(meeting_id)
        .fetch_one(&mut *conn)
        .await?;
    Seats { meeting_id, free }.promote(conn).await
}

/// What became of a family's answer: applied, or refused before any change.
#[must_use]
pub enum Answered {
    Applied,
    /// Sign-up closed, too many people, no seats for more: the error to answer the family with.
    Refused(Error),
}

impl Answered {
    /// The refusal as the error to answer with.
    pub fn into_result(self) -> Result<()> {
        match self {
            Answered::Applied => Ok(()),
            Answered::Refused(refusal) => Err(refusal),
        }
    }
}

/// A family's answer, or its withdrawal (`None`), applied in one transaction under the meeting's
/// lock, with the dashboard's tallies; a refusal (sign-up closed, too many people, no seats for
/// more) is the error.
///
/// Inside, the refusal is a value, `Refused`: it comes before any change but the meeting's
/// arrival counter, a gap in numbers that only order, so the transaction may commit all the
/// same. On SQLite it then does not break up the group of answers committed together (see
/// `db::writer`).
///
/// The waitlist is looked at again (`promote`) only when this change can seat someone: seats
/// came back, or the family waits or waited itself (leaving the queue, it may let a smaller
/// family behind it in). Otherwise the first family waiting still does not
/// fit, as after every change before (staff changing the capacity promote too).
pub async fn answer(
    db: &Db,
    meeting_id: i64,
    student_id: i64,
    guardian_id: i64,
    choice: Option<(Attendance, i64)>,
) -> Result<()> {
    db.transaction_locking(lock_statement(meeting_id), move |tx| {
        Box::pin(answer_locked(tx, meeting_id, student_id, guardian_id, choice))
    })
    .await?
    .into_result()
}

async fn answer_locked(
    conn: &mut AnyConnection,
    meeting_id: i64,
    student_id: i64,
    guardian_id: i64,
    choice: Option<(Attendance, i64)>,
) -> Result<Answered> {
    // The meeting's lock first: the family's answer, and so its share of the tallies, is read
    // under it, so two answers of one family at once cannot both take out the same old share.
    let (mut locked, existing, someone_waits) = lock_and_load(conn, meeting_id, student_id).await?;
    if now() > locked.signup_deadline {
        return Ok(Answered::Refused(Error::Conflict(Msg::new(
            "报名已截止，无法再更改",
            "Sign-up has closed; answers can no longer change",
        ))));
    }
    let choice = choice.map(|(choice, people)| (choice, if choice == Attendance::Absent { 0 } else { people }));
    if let Some((choice, people)) = choice {
        if choice != Attendance::Absent && !(1..=locked.per_family).contains(&people) {
            return Ok(Answered::Refused(Error::field(
                "people",
                Msg::owned(
                    format!("人数应为 1 到 {}", locked.per_family),
                    format!("People coming: 1 to {}", locked.per_family),
                ),
            )));
        }
    }
    // The share in the tallies changes only when the answer starts or stops counting. (Then
    // `answer_rows` cannot refuse: only a seated family asking for more seats can be refused,
    // and its answer counts before and after.)
    let subject = Subject::Answer { meeting: meeting_id, student: student_id };
    let counted = tally::signs_up(existing.as_ref().and_then(|old| Attendance::from_code(&old.answer)));
    let counts = tally::signs_up(choice.map(|(choice, _)| choice));
    if counted && !counts {
        tally::put(conn, subject, -1).await?;
    }
    let done = answer_rows(conn, &mut locked, meeting_id, (student_id, guardian_id), (existing, someone_waits), choice);
    if let refused @ Answered::Refused(_) = done.await? {
        return Ok(refused);
    }
    if counts && !counted {
        tally::put(conn, subject, 1).await?;
    }
    Ok(Answered::Applied)
}

/// The family's answer rows, seats and waitlist; a refusal changed nothing.
async fn answer_rows(
    conn: &mut AnyConnection,
    locked: &mut Locked,
    meeting_id: i64,
    (student_id, guardian_id): (i64, i64),
    (existing, someone_waits): (Option<AnswerRow>, bool),
    choice: Option<(Attendance, i64)>,
) -> Result<Answered> {
    let Some((choice, people)) = choice else {
        if let Some(old) = existing {
            locked.seats.give_back(conn, old.seats).await?;
            sqlx::query("DELETE FROM meeting_answers WHERE id = $1").bind(old.id).execute(&mut *conn).await?;
            locked.seats.promote(conn).await?;
        }
        return Ok(Answered::Applied);
    };
    let same_choice = existing.as_ref().is_some_and(|old| old.answer == choice.code());
    // A family keeps its place in the queue while it keeps its answer; a new answer arrives now.
    let queue_seq = existing.as_ref().filter(|_| same_choice).map(|old| old.queue_seq).unwrap_or(locked.queue_counter);
    let held = existing.as_ref().map(|old| old.seats).unwrap_or(0);
    // In person without a seat: on the waitlist. Leaving it or moving back in it may let the
    // family behind come first, and that family may fit where this one did not.
    let was_waiting = existing.as_ref().is_some_and(|old| old.answer == Attendance::InPerson.code() && old.seats == 0);

    let mut freed = false;
    let (status, seats) = if choice != Attendance::InPerson {
        freed = locked.seats.give_back(conn, held).await?;
        (AnswerStatus::Confirmed, 0)
    } else if held > 0 {
        // Already seated: a change of head count.
        if people <= held {
            freed = locked.seats.give_back(conn, held - people).await?;
        } else if !locked.seats.take(conn, people - held).await? {
            return Ok(Answered::Refused(Error::Conflict(Msg::new(
                "名额不足，无法增加人数；您原有的报名保持不变",
                "Not enough seats left to bring more people; your answer stays as it was",
            ))));
        }
        (AnswerStatus::Confirmed, people)
    } else if same_choice || someone_waits {
        // Waiting already (keeps its place), or others wait first: join the queue; `promote`
        // below seats it if its turn has come.
        (AnswerStatus::Waitlisted, 0)
    } else if locked.seats.take(conn, people).await? {
        (AnswerStatus::Confirmed, people)
    } else {
        (AnswerStatus::Waitlisted, 0)
    };

    let at = now();
    sqlx::query(
        "INSERT INTO meeting_answers (meeting_id, student_id, guardian_id, answer, people, seats, status, queue_seq, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) \
         ON CONFLICT (meeting_id, student_id) DO UPDATE SET guardian_id = excluded.guardian_id, \
         answer = excluded.answer, people = excluded.people, seats = excluded.seats, status = excluded.status, \
         queue_seq = excluded.queue_seq, updated_at = excluded.updated_at",
    )
    .bind(meeting_id)
    .bind(student_id)
    .bind(guardian_id)
    .bind(choice.code())
    .bind(people)
    .bind(seats)
    .bind(status.code())
    .bind(queue_seq)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    if freed || was_waiting || status == AnswerStatus::Waitlisted {
        locked.seats.promote(conn).await?;
    }
    Ok(Answered::Applied)
}

/// A family's stored answer as the family sees it; `ahead` counts the families waiting up to and
/// including it (read only when it waits).
pub fn family_answer(answer: &str, status: &str, people: i64, queue_seq: i64, ahead: i64) -> Result<FamilyAnswer> {
    let answer = Attendance::from_code(answer).ok_or_else(|| anyhow::anyhow!("stored answer {answer:?}"))?;
    let status = AnswerStatus::from_code(status).ok_or_else(|| anyhow::anyhow!("stored status {status:?}"))?;
    let waitlist_position = (status == AnswerStatus::Waitlisted).then_some(ahead);
    Ok(FamilyAnswer { answer, status, people, waitlist_position, queue_seq })
}
