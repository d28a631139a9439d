//! Seeding for dashboard tests: visits stored through the back end's own insert, students'
//! homes and guardian phones set by hand, meetings held or not — each write with the
//! dashboard's tallies kept up to date as the back end's own writes do.

use backend::dashboard::tally::{self, Subject};
use backend::visits::store;
use reqwest::Client;
use shared::dashboard::CampaignSummary;
use shared::visits::NewVisit;
use shared::VisitMode;

use crate::visits::full_visit;
use crate::TestApp;

impl TestApp {
    /// Puts the student at `city`/`district` with one guardian phone.
    pub async fn set_home(
        &self,
        student_id: impl Into<shared::StudentId>,
        city: &str,
        district: Option<&str>,
        phone: &str,
    ) {
        let student_id = student_id.into().get();
        let mut tx = self.db.write.begin().await.expect("a transaction");
        tally::student(&mut tx, student_id, -1).await.expect("taking the student out of the tallies");
        sqlx::query("UPDATE students SET city = $1, district = $2 WHERE id = $3")
            .bind(city.to_string())
            .bind(district.map(str::to_string))
            .bind(student_id)
            .execute(&mut *tx)
            .await
            .expect("moving a student");
        sqlx::query("UPDATE guardians SET phone = $1 WHERE student_id = $2")
            .bind(phone.to_string())
            .bind(student_id)
            .execute(&mut *tx)
            .await
            .expect("setting a phone");
        tally::student(&mut tx, student_id, 1).await.expect("putting the student back in the tallies");
        tx.commit().await.expect("committing");
    }

    /// A visit (with one follow-up) in `mode` on `date`, by `author`.
    pub async fn add_visit(
        &self,
        campaign: impl Into<shared::CampaignId>,
        student: impl Into<shared::StudentId>,
        author: impl Into<shared::UserId>,
        mode: VisitMode,
        date: &str,
    ) -> NewVisit {
        self.add_visit_with(campaign, student, author, |v| {
            v.record.mode = mode;
            v.record.date = date.to_string();
        })
        .await
    }

    /// A visit as [`crate::visits::full_visit`] makes it (gifts, a grant of 500 yuan, one
    /// follow-up), changed by `edit` before it is stored.
    pub async fn add_visit_with(
        &self,
        campaign: impl Into<shared::CampaignId>,
        student: impl Into<shared::StudentId>,
        author: impl Into<shared::UserId>,
        edit: impl FnOnce(&mut NewVisit),
    ) -> NewVisit {
        let author = author.into();
        let mut visit = full_visit(campaign, student, author);
        edit(&mut visit);
        let mut conn = self.db.write.acquire().await.expect("a connection");
        store::insert(&mut conn, author, &visit).await.expect("storing a visit");
        visit
    }

    /// A meeting of the class in the campaign, held or not; returns its id.
    pub async fn add_meeting(
        &self,
        campaign: impl Into<shared::CampaignId>,
        class_id: impl Into<shared::ClassId>,
        held: bool,
    ) -> shared::MeetingId {
        let (campaign, class_id) = (campaign.into(), class_id.into());
        let mut tx = self.db.write.begin().await.expect("a transaction");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO meetings (class_id, campaign_id, theme, starts_at, ends_at, per_family, capacity, \
             signup_deadline, held_at, created_at, updated_at) VALUES ($1, $2, '家长会', 1705975200, 1705982400, 2, 50, \
             1705888800, $3, 1705000000, 1705000000) RETURNING id",
        )
        .bind(class_id)
        .bind(campaign)
        .bind(held.then_some(1705982400i64))
        .fetch_one(&mut *tx)
        .await
        .expect("inserting a meeting");
        tally::apply(&mut tx, Subject::Meeting(id), 1).await.expect("counting the meeting");
        tx.commit().await.expect("committing");
        id.into()
    }

    /// The family of `student` answers `answer` and, if `present` is given, is marked so.
    pub async fn add_answer(
        &self,
        meeting: impl Into<shared::MeetingId>,
        student: impl Into<shared::StudentId>,
        answer: &str,
        present: Option<bool>,
    ) {
        let (meeting, student) = (meeting.into(), student.into());
        let mut tx = self.db.write.begin().await.expect("a transaction");
        let answered = Subject::Answer { meeting: meeting.get(), student: student.get() };
        let marked = Subject::Attendance { meeting: meeting.get(), student: student.get() };
        tally::apply(&mut tx, answered, -1).await.expect("tallies");
        tally::apply(&mut tx, marked, -1).await.expect("tallies");
        sqlx::query(
            "INSERT INTO meeting_answers (meeting_id, student_id, guardian_id, answer, people, seats, status, queue_seq, \
             created_at, updated_at) SELECT $1, $2, MIN(id), $3, 1, 0, 'confirmed', 1, 0, 0 FROM guardians WHERE student_id = $2",
        )
        .bind(meeting)
        .bind(student)
        .bind(answer.to_string())
        .execute(&mut *tx)
        .await
        .expect("inserting an answer");
        if let Some(present) = present {
            sqlx::query(
                "INSERT INTO meeting_attendance (meeting_id, student_id, present, marked_at) VALUES ($1, $2, $3, 0)",
            )
            .bind(meeting)
            .bind(student)
            .bind(i64::from(present))
            .execute(&mut *tx)
            .await
            .expect("marking attendance");
        }
        tally::apply(&mut tx, answered, 1).await.expect("tallies");
        tally::apply(&mut tx, marked, 1).await.expect("tallies");
        tx.commit().await.expect("committing");
    }

    pub async fn summary(&self, client: &Client, campaign: i64, query: &str) -> CampaignSummary {
        self.get_json(client, &format!("/api/campaigns/{campaign}/summary{query}")).await
    }
}
