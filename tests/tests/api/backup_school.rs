//! A school with rows in every table for the backup tests, made mostly the way people make
//! them (through the API), and values that are awkward to carry: NULLs, binary holding every
//! byte, the extreme integers, text with quotes, backslashes, newlines and emoji.

use reqwest::{Client, Method};
use serde_json::json;
use shared::meetings::{Attendance, ConcernInput, Topic};
use tests::meetings::meeting_input;
use tests::visits::full_visit;
use tests::{json_of, School, TestApp};

pub const AWKWARD: &str = "引号\"'反斜杠\\ 换行\n回车\r\t制表 😀 ' OR 1=1; --";

/// The seeded school; an active campaign with a team, plans on a trip and visits (with
/// revisions, members and follow-ups); a meeting with links, a family's answer and concern (and
/// one a visit addressed, with its reply),
/// attendance, feedback and a text in the outbox; a typical case with a photo; a roster upload awaiting confirmation; an
/// activation link; recovery codes; audit rows. Returns the school, the campaign and a signed-in
/// counselor.
pub async fn fill(app: &TestApp) -> (School, i64, Client) {
    let school = app.seed_school().await;
    let college = &school.colleges[0];
    let class = &college.classes[0];
    let admin = app.signed_in(&school.admin).await;
    let counselor = app.signed_in(&class.counselor).await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    // The admin's recovery codes (their TOTP secret the harness set).
    let codes = json!({ "password": school.admin.password });
    let _: serde_json::Value =
        json_of(app.post_json(&admin, "/api/auth/totp/recovery-codes", &codes).await, "codes").await;

    let team = json!({"college_id": college.id, "name": "第一小组", "leader_id": class.counselor.id,
                      "member_ids": [college.advisor.id]});
    let _: serde_json::Value =
        app.send_ok(&admin, Method::POST, &format!("/api/campaigns/{campaign}/teams"), &team).await;
    let students: Vec<shared::StudentId> = class.students.iter().map(|s| s.id).collect();
    for &student in &students[..2] {
        app.set_home(student, tests::CITY, Some("武侯区"), tests::GUARDIAN_PHONE).await;
    }
    let plans = json!({ "campaign_id": campaign, "student_ids": [students[0], students[1]], "mode": "in_person",
        "date": "2024-01-22", "time": "09:30", "member_ids": [college.advisor.id], "trip_name": "武侯区一日行" });
    let _: serde_json::Value = json_of(app.post_json(&counselor, "/api/visits/plans", &plans).await, "plans").await;
    let mut logged = Vec::new();
    for &student in &students {
        let mut visit = full_visit(campaign, student, class.counselor.id);
        visit.record.member_ids = vec![college.advisor.id];
        logged.push(app.log_visit(&counselor, &visit).await.id);
        // A sensitive read: an audit row.
        let _: serde_json::Value = app.get_json(&counselor, &format!("/api/students/{student}")).await;
    }

    // A typical case with its story and a photo (migration 0014): the photo's bytes must come
    // back exactly (a PNG holds every kind of byte).
    let case = json!({ "story": AWKWARD });
    let _: serde_json::Value =
        json_of(app.put_json(&counselor, &format!("/api/visits/{}/case", logged[0]), &case).await, "case").await;
    let photo = app.put_photo(&counselor, logged[0], &tests::visits::client_id(), tests::cases::png(64, 48)).await;
    let _: serde_json::Value = json_of(photo, "photo").await;

    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 50, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let (family, _) = app.family(links.families[0].url.as_deref().expect("a family link")).await;
    let _: serde_json::Value = json_of(app.answer(&family, Attendance::InPerson, 2).await, "answer").await;
    // The privacy notice's school details (school_settings; one line: no control characters) and
    // the family's consent (issue 19).
    let settings = shared::privacy::PrivacySettings {
        school_name: AWKWARD.replace(char::is_control, " "),
        contact: "024-12345678".into(),
    };
    let _: serde_json::Value =
        json_of(app.put_json(&admin, "/api/settings/privacy", &settings).await, "settings").await;
    app.consent(&family).await;
    let concern = ConcernInput { topic: Topic::FamilyFinances, text: AWKWARD.into() };
    let _: serde_json::Value = json_of(app.post_json(&family, "/api/family/concerns", &concern).await, "concern").await;
    let held = app.add_meeting(campaign, class.id, true).await;
    app.add_answer(held, students[2], "in_person", Some(true)).await;
    let roster = tests::imports::sample("utf8");
    app.preview_roster(&admin, "名单.csv", roster).await;

    by_hand(app, &school, held, students[2].get()).await;
    // The campaign's retention periods and a day's retention run (migration 0018, issue 19);
    // the campaign is open, so the run removes nothing.
    let periods = shared::retention::RetentionPeriods { sensitive_notes_days: 90, ..shared::retention::DEFAULTS };
    let _: serde_json::Value =
        json_of(app.put_json(&admin, &format!("/api/campaigns/{campaign}/retention"), &periods).await, "periods").await;
    let ran = backend::retention::job::run_due(&app.db, 0, backend::db::now()).await.expect("a retention run");
    assert_eq!(ran.map(|r| r.0.len()), Some(0), "an open campaign keeps everything");
    (school, campaign, counselor)
}

/// What no API call of a few lines leaves behind, and the awkward values.
async fn by_hand(app: &TestApp, school: &School, meeting: shared::MeetingId, student: i64) {
    let admin = school.admin.id;
    let every_byte: Vec<u8> = (0..=255u8).rev().chain(0..=255u8).collect();
    let statements: [(&str, Vec<Value>); 11] = [
        // A concern a visit addressed, with the reply for the family (migration 0010).
        (
            "INSERT INTO meeting_concerns (meeting_id, student_id, guardian_id, topic, text, created_at, visit_id, \
             reply, addressed_at) SELECT $1, $2, MIN(g.id), 'academic', $3, 1705990000, \
             (SELECT MIN(v.id) FROM visits v WHERE v.student_id = $2), $3, $4 FROM guardians g WHERE g.student_id = $2",
            vec![Value::I(meeting.get()), Value::I(student), Value::T(AWKWARD), Value::I(i64::MAX)],
        ),
        (
            "INSERT INTO meeting_feedback (meeting_id, student_id, guardian_id, rating, suggestions, created_at) \
             SELECT $1, $2, MIN(id), 5, $3, 1705990000 FROM guardians WHERE student_id = $2",
            vec![Value::I(meeting.get()), Value::I(student), Value::T(AWKWARD)],
        ),
        (
            "INSERT INTO meeting_messages (meeting_id, guardian_id, kind, created_at, status, attempts, \
             last_attempt_at, next_attempt_at, last_error) \
             SELECT $1, MIN(id), 'reminder', 1705990000, 'failed', 2, 1705990060, 1705990120, $3 \
             FROM guardians WHERE student_id = $2",
            vec![Value::I(meeting.get()), Value::I(student), Value::T(AWKWARD)],
        ),
        // Delivery (migration 0015): a staff notice, and the day-before reminders' run.
        (
            "INSERT INTO staff_notices (channel, user_id, meeting_id, kind, subject, text, created_at, status, \
             attempts, last_error) VALUES ('email', $1, $2, 'reminder', $3, $3, 1705990000, 'gave_up', 8, $3)",
            vec![Value::I(admin.get()), Value::I(meeting.get()), Value::T(AWKWARD)],
        ),
        (
            "INSERT INTO meeting_reminder_runs (meeting_id, queued_at) VALUES ($1, 1705990000)",
            vec![Value::I(meeting.get())],
        ),
        // A kind of message switched off for the meeting's campaign, and an owner's week told of
        // overdue follow-ups (migration 0017).
        (
            "INSERT INTO campaign_messages_off (campaign_id, kind) SELECT campaign_id, 'overdue' FROM meetings \
             WHERE id = $1",
            vec![Value::I(meeting.get())],
        ),
        (
            "INSERT INTO overdue_notice_weeks (user_id, week, queued_at) VALUES ($1, '2024-W04', 1705990000)",
            vec![Value::I(admin.get())],
        ),
        (
            "INSERT INTO activation_tokens (token_hash, user_id, created_by, created_at, expires_at) \
             VALUES ('0f1e2d3c', $1, NULL, 1705990000, 1706594800)",
            vec![Value::I(admin.get())],
        ),
        (
            "INSERT INTO imports (kind, user_id, filename, data, sheet, created_at, committed_at) \
             VALUES ('roster', $1, $2, $3, NULL, 0, NULL)",
            vec![Value::I(admin.get()), Value::T(AWKWARD), Value::B(every_byte)],
        ),
        (
            "INSERT INTO imports (kind, user_id, filename, data, sheet, created_at, committed_at) \
             VALUES ('roster', $1, '', NULL, '', $2, $3)",
            vec![Value::I(admin.get()), Value::I(i64::MAX), Value::I(i64::MIN)],
        ),
        (
            "INSERT INTO audit_log (at, user_id, action, student_id, fields, detail) VALUES ($1, NULL, $2, $3, '', $4)",
            vec![Value::I(i64::MIN), Value::T("备份测试"), Value::I(i64::MAX), Value::T(AWKWARD)],
        ),
    ];
    for (sql, values) in statements {
        let mut query = sqlx::query(sql);
        for value in values {
            query = match value {
                Value::I(i) => query.bind(i),
                Value::T(t) => query.bind(t.to_string()),
                Value::B(b) => query.bind(b),
            };
        }
        query.execute(&app.db.write).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

enum Value {
    I(i64),
    T(&'static str),
    B(Vec<u8>),
}
