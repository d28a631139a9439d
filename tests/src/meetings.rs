//! Helpers for parents' meeting tests: a meeting as staff would schedule it, links, family
//! clients that opened their link, and a class with many families.

use backend::db::now;
use backend::org::{self, NewGuardian, NewStudent};
use reqwest::{Client, Response};
use serde::Serialize;
use shared::meetings::{AnswerInput, Attendance, FamilyPage, Links, Meeting, MeetingInput};

use crate::{json_of, School, TestApp};

/// Where the parents' meeting tests start: the seeded school, its first class's counselor
/// signed in, a meeting for that class (40 seats, at most 3 a family) and its links.
pub struct SeededMeeting {
    pub school: School,
    pub staff: Client,
    pub meeting: Meeting,
    pub links: Links,
}

/// A meeting tomorrow from 14:00 to 16:00 (server time), sign-up open until it starts.
pub fn meeting_input(class_id: impl Into<shared::ClassId>, capacity: i64, per_family: i64) -> MeetingInput {
    let class_id = class_id.into();
    let starts_at = now() + 86_400;
    MeetingInput {
        class_id: Some(class_id),
        college_id: None,
        theme: "学业规划与就业指导".into(),
        description: "请家长准时参加".into(),
        starts_at,
        ends_at: starts_at + 2 * 3600,
        place: Some("教学楼 A101".into()),
        online_url: Some("https://meeting.example.cn/j/123".into()),
        per_family,
        capacity,
        signup_deadline: starts_at,
        campaign_id: None,
    }
}

/// The token in a family or class link (`…/f#t=TOKEN` or `…/f#c=TOKEN`).
pub fn token_of(url: &str) -> String {
    let (_, fragment) = url.split_once('#').expect("a link with a fragment");
    fragment.split_once('=').expect("t=… or c=…").1.to_string()
}

/// Opens the personal link `url` and keeps only the family session's cookie.
pub async fn family_cookie(app: &TestApp, url: &str) -> String {
    let response =
        app.post_json(&app.client(), "/api/family/enter", &serde_json::json!({ "token": token_of(url) })).await;
    let cookie = crate::cookie_pair(&crate::set_cookie(&response));
    let _: FamilyPage = json_of(response, "entering a family link").await;
    cookie
}

impl TestApp {
    pub async fn send_json(&self, client: &Client, method: &str, path: &str, body: &impl Serialize) -> Response {
        let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a method");
        client.request(method, self.url(path)).json(body).send().await.unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// `POST /api/meetings` as `staff`, which must succeed.
    pub async fn create_meeting(&self, staff: &Client, input: &MeetingInput) -> Meeting {
        json_of(self.post_json(staff, "/api/meetings", input).await, "POST /api/meetings").await
    }

    /// `seed_school`, and a meeting for its first class with its links (see `SeededMeeting`).
    pub async fn seed_meeting(&self) -> SeededMeeting {
        let school = self.seed_school().await;
        let class = &school.colleges[0].classes[0];
        let staff = self.signed_in(&class.counselor).await;
        let meeting = self.create_meeting(&staff, &meeting_input(class.id, 40, 3)).await;
        let links = self.issue_links(&staff, meeting.id).await;
        SeededMeeting { school, staff, meeting, links }
    }

    /// `POST /api/meetings/{id}/links`: every family's link and the class link.
    pub async fn issue_links(&self, staff: &Client, meeting_id: shared::MeetingId) -> Links {
        let path = format!("/api/meetings/{meeting_id}/links");
        json_of(self.post_json(staff, &path, &serde_json::json!({})).await, &path).await
    }

    /// A new client (a parent's phone) that opened the personal link `url`.
    pub async fn family(&self, url: &str) -> (Client, FamilyPage) {
        let client = self.client();
        let response =
            self.post_json(&client, "/api/family/enter", &serde_json::json!({ "token": token_of(url) })).await;
        let page = json_of(response, "POST /api/family/enter").await;
        (client, page)
    }

    /// `PUT /api/family/answer`, returning the response as it is.
    pub async fn answer(&self, family: &Client, answer: Attendance, people: i64) -> Response {
        self.send_json(family, "PUT", "/api/family/answer", &AnswerInput { answer, people }).await
    }

    /// Adds `n` students to a class, each with one guardian whose phone ends in their seat
    /// number; in one transaction, so that hundreds take a moment.
    pub async fn add_families(&self, class_id: impl Into<shared::ClassId>, prefix: &str, n: usize) -> Vec<i64> {
        let class_id = class_id.into();
        let mut tx = self.db.write.begin().await.expect("a transaction");
        let mut ids = Vec::with_capacity(n);
        for i in 0..n {
            let student = NewStudent {
                student_no: format!("{prefix}{i:04}"),
                name: format!("学生{prefix}{i:04}"),
                class_id: class_id.get(),
                ..Default::default()
            };
            let guardian = NewGuardian {
                name: format!("家长{prefix}{i:04}"),
                relation: Some("母亲".into()),
                phone: Some(format!("1380000{i:04}")),
            };
            ids.push(org::insert_student(&mut tx, &student, &[guardian]).await.expect("inserting a student"));
        }
        tx.commit().await.expect("committing students");
        ids
    }
}

/// axe-core's script, installed with npm into `target/tools/axe` when missing (`cargo xtask`
/// could do it ahead; here the first test that needs it does). `None` without npm.
pub fn axe_source() -> Option<String> {
    let dir = crate::workspace_dir().join("target/tools/axe");
    let script = dir.join("node_modules/axe-core/axe.min.js");
    if !script.is_file() {
        let status = std::process::Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg("axe-core@4")
            .status();
        if !status.is_ok_and(|s| s.success()) {
            return None;
        }
    }
    std::fs::read_to_string(script).ok()
}

/// Serious and critical WCAG 2.1 A/AA violations on the browser's current page, as
/// `rule: element, element…`. The script is injected through WebDriver, which the page's
/// Content-Security-Policy does not govern.
pub async fn axe_violations(browser: &crate::browser::Browser, axe: &str) -> Vec<String> {
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => done(r.violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))))
          .catch(e => done(['axe failed: ' + e]));"#;
    browser.eval(&format!("{axe}\n;window.axe = axe; return true;")).await;
    let result = browser.client().execute_async(run, Vec::new()).await.expect("running axe");
    serde_json::from_value(result).expect("a list of violations")
}

/// Sends every body to `POST /api/family/identify` at once, each from a client of its own (a
/// burst of guesses); how many were checked (422) and how many refused (429), and every status.
pub async fn identify_burst(app: &TestApp, bodies: Vec<serde_json::Value>) -> (usize, usize, Vec<reqwest::StatusCode>) {
    let tasks: Vec<_> = bodies
        .into_iter()
        .map(|body| {
            let url = app.url("/api/family/identify");
            tokio::spawn(async move { Client::new().post(url).json(&body).send().await.unwrap().status() })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == reqwest::StatusCode::UNPROCESSABLE_ENTITY).count();
    let refused = statuses.iter().filter(|s| **s == reqwest::StatusCode::TOO_MANY_REQUESTS).count();
    (checked, refused, statuses)
}
