//! Seeding and request helpers for home-visit tests: campaigns, visits as a device would send
//! them, and reading what the server stored.

use backend::db::now;
use reqwest::Client;
use shared::visits::{NewFollowUp, NewVisit, Visit, VisitRecord};
use shared::{Aspect, VisitMode};

use crate::{json_of, TestApp};

/// A random UUID (version 4), as a browser's `crypto.randomUUID()` makes one.
pub fn client_id() -> String {
    let b: [u8; 16] = rand::random();
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-4{}-a{}-{}", &hex[0..8], &hex[8..12], &hex[13..16], &hex[17..20], &hex[20..32])
}

/// A visit with every part filled in: two aspects, sensitive notes, a grant and a follow-up
/// owned by `owner`.
pub fn full_visit(
    campaign_id: impl Into<shared::CampaignId>,
    student_id: impl Into<shared::StudentId>,
    owner: impl Into<shared::UserId>,
) -> NewVisit {
    NewVisit {
        client_id: client_id(),
        campaign_id: campaign_id.into(),
        student_id: student_id.into(),
        plan_id: None,
        record: VisitRecord {
            date: "2024-01-20".into(),
            mode: VisitMode::InPerson,
            duration_min: Some(90),
            member_ids: vec![],
            family_present: vec!["父亲".into(), "母亲".into()],
            aspects: vec![Aspect::MentalHealth, Aspect::Academic],
            concerns: "担心孩子的专业课成绩".into(),
            answers: "介绍了学业帮扶计划".into(),
            notes: "家庭和睦".into(),
            sensitive_notes: Some("父亲去年失业，母亲有慢性病".into()),
            gifts: "新春祝福包 1 份".into(),
            grant_fen: Some(50_000),
        },
        follow_ups: vec![NewFollowUp {
            what: "联系学业导师".into(),
            owner_id: owner.into(),
            due_on: "2024-02-20".into(),
        }],
        addressed: Vec::new(),
    }
}

/// `n` characters of notes as a counselor types them: Chinese, three bytes each in UTF-8.
pub fn long_text(n: usize) -> String {
    "家长反映孩子学习压力较大需要关注".chars().cycle().take(n).collect()
}

/// The visit with its four texts as long as the validator takes (5,000 characters).
pub fn longest_notes(mut visit: NewVisit) -> NewVisit {
    let r = &mut visit.record;
    (r.concerns, r.answers, r.notes, r.sensitive_notes) =
        (long_text(5000), long_text(5000), long_text(5000), Some(long_text(5000)));
    visit
}

impl TestApp {
    /// An active campaign.
    pub async fn add_campaign(&self, name: &str) -> i64 {
        sqlx::query_scalar(
            "INSERT INTO campaigns (name, starts_on, ends_on, status, created_at) \
             VALUES ($1, '2024-01-10', '2024-02-25', 'active', $2) RETURNING id",
        )
        .bind(name.to_string())
        .bind(now())
        .fetch_one(&self.db.write)
        .await
        .expect("inserting a campaign")
    }

    /// Closes a campaign, as an admin would (`draft → active → closed`).
    pub async fn close_campaign(&self, campaign_id: i64) {
        sqlx::query("UPDATE campaigns SET status = 'closed' WHERE id = $1")
            .bind(campaign_id)
            .execute(&self.db.write)
            .await
            .expect("closing a campaign");
    }

    /// A team of the campaign for a college, with these named members; its id.
    pub async fn add_team(&self, campaign_id: i64, college_id: i64, name: &str, members: &[shared::UserId]) -> i64 {
        let id: i64 =
            sqlx::query_scalar("INSERT INTO teams (campaign_id, college_id, name) VALUES ($1, $2, $3) RETURNING id")
                .bind(campaign_id)
                .bind(college_id)
                .bind(name.to_string())
                .fetch_one(&self.db.write)
                .await
                .expect("inserting a team");
        for member in members {
            sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*member)
                .execute(&self.db.write)
                .await
                .expect("inserting a team member");
        }
        id
    }

    /// `POST /api/visits`, which must answer 200.
    pub async fn log_visit(&self, client: &Client, visit: &NewVisit) -> Visit {
        json_of(self.post_json(client, "/api/visits", visit).await, "POST /api/visits").await
    }

    pub async fn put_json(&self, client: &Client, path: &str, body: &impl serde::Serialize) -> reqwest::Response {
        client.put(self.url(path)).json(body).send().await.unwrap_or_else(|e| panic!("PUT {path}: {e}"))
    }

    /// How many visits the database holds for this `client_id`.
    pub async fn visits_with_client_id(&self, client_id: &str) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE client_id = $1")
            .bind(client_id.to_string())
            .fetch_one(&self.db.read)
            .await
            .expect("counting visits")
    }

    /// An active service department staff account (no college) in `department`.
    pub async fn add_service_staff(&self, username: &str, department: shared::Department) -> crate::Account {
        let account = self.add_account(username, shared::Role::ServiceStaff, None).await;
        let mut conn = self.db.write.acquire().await.expect("a database connection");
        backend::org::set_department(&mut conn, account.id, Some(department)).await.expect("setting the department");
        account
    }

    pub async fn query_i64(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.db.read).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }
}

/// A fresh server with the seeded school and one active campaign.
pub async fn setup() -> (TestApp, crate::School, i64) {
    let app = crate::spawn_app().await;
    let school = app.seed_school().await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    (app, school, campaign)
}

impl TestApp {
    /// Uploads a visit file for a campaign; the preview must come back.
    pub async fn preview_visit_import(
        &self,
        client: &Client,
        campaign: i64,
        filename: &str,
        bytes: Vec<u8>,
    ) -> shared::imports::ImportPreview {
        let path = format!("/api/visits/import/preview?campaign_id={campaign}&filename={filename}");
        let response =
            client.post(self.url(&path)).body(bytes).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"));
        json_of(response, &format!("previewing {filename}")).await
    }

    pub async fn commit_visit_import(&self, client: &Client, import_id: i64) -> shared::imports::ImportResult {
        let path = format!("/api/visits/import/{import_id}/commit");
        json_of(self.post_json(client, &path, &()).await, &path).await
    }
}
