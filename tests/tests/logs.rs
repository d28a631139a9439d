//! Production mode and its logs: no start without secure cookies; one JSON object per line with
//! a UTC timestamp, request id and user id; never a password, session id, family token or note
//! text; a newline sent by a client cannot forge a line. The server's own log output, in the
//! production format (`backend::logging`, as `serve --production` sets it up), is captured for
//! what runs on the test's thread — the server included, on the current-thread runtime.
//!
//! A test binary of its own: tracing caches per call site whether anyone listens, and other
//! tests hitting the same call sites on other threads at the same moment made the capture miss
//! lines (seen on PostgreSQL, once). Alone in its process the capture sees everything.

use std::io::Write;
use std::sync::{Arc, Mutex};

use backend::Config;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tests::meetings::{meeting_input, token_of};
use tests::visits::full_visit;
use tests::{error_body, session_token, set_cookie, spawn_app, PASSWORD};

#[test]
fn production_refuses_to_start_without_secure_cookies() {
    let mut config = Config::new("sqlite::memory:");
    config.production = true;
    let error = config.check().expect_err("production without secure cookies");
    assert!(error.to_string().contains("--secure-cookies"), "{error}");
    config.session.secure = true;
    config.check().expect("production with secure cookies");
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_are_json_lines_without_secrets_and_cannot_be_forged() {
    let captured = Captured::default();
    let writer = captured.clone();
    // Everything the back end and its HTTP layer say, down to debug; the test's own HTTP client
    // is left out.
    let guard = backend::logging::capture_json(
        "debug,hyper=off,hyper_util=off,reqwest=off,cookie_store=off,h2=off",
        move || writer.clone(),
    );

    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];

    let counselor = app.client();
    let response = app.login(&counselor, &class.counselor.username, PASSWORD).await;
    let session = session_token(&set_cookie(&response));
    assert_eq!(response.status(), StatusCode::OK);
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let family_token = token_of(links.families[0].url.as_deref().unwrap());
    let (_parent, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    let campaign = app.add_campaign("2024年寒假家访").await;
    let visit = full_visit(campaign, class.students[0].id, class.counselor.id);
    let notes = visit.record.sensitive_notes.clone().unwrap();
    app.log_visit(&counselor, &visit).await;

    // Attempts at forging a line: in a path, a query, a JSON body and a failed sign-in.
    let forged = "\n{\"level\":\"ERROR\",\"fields\":{\"message\":\"forged\"}}\n";
    let encoded: String = url::form_urlencoded::byte_serialize(forged.as_bytes()).collect();
    let _ = app.get(&counselor, &format!("/api/students/{encoded}")).await;
    let _ = app.get(&counselor, &format!("/api/students?q={encoded}")).await;
    let _ = app.login(&app.client(), forged, &format!("{PASSWORD}{forged}")).await;
    let _ = app.post_json(&counselor, "/api/visits", &json!({ "client_id": forged })).await;
    app.stop().await;
    drop(guard);

    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() > 20, "the server logged: {text}");
    let mut with_user = 0;
    for line in &lines {
        let entry: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"));
        let timestamp = entry["timestamp"].as_str().unwrap_or_else(|| panic!("no timestamp: {line}"));
        assert!(timestamp.ends_with('Z'), "not UTC: {line}");
        assert_ne!(entry["fields"]["message"], "forged", "{line}");
        for secret in [PASSWORD, session.as_str(), family_token.as_str(), notes.as_str()] {
            assert!(!line.contains(secret), "the log holds {secret:?}: {line}");
        }
        let span = &entry["span"];
        if span["user_id"].as_i64() == Some(class.counselor.id.get()) {
            assert!(span["request_id"].as_str().is_some_and(|id| !id.is_empty()), "{line}");
            with_user += 1;
        }
    }
    // The forged path did reach the log, as one escaped value of one line.
    assert!(lines.iter().any(|l| l.contains("/api/students/%0A%7B")), "{text}");
    assert!(with_user > 0, "no line carries the request id and user id: {text}");
}

/// A failure nobody foresaw — here the database losing a table under the running server —
/// answers 500 with the generic error body (no SQL, no table, no driver message), while the
/// log's one line for it holds the cause and the request id to find it by.
#[tokio::test]
async fn a_server_error_answers_with_a_generic_body_and_logs_its_cause() {
    let captured = Captured::default();
    let writer = captured.clone();
    // At info, so that the request's span (and its id) is recorded.
    let guard = backend::logging::capture_json("info", move || writer.clone());

    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    sqlx::query("ALTER TABLE colleges RENAME TO colleges_gone").execute(&app.db.write).await.expect("renaming");
    let response = app.get(&admin, "/api/colleges").await;
    let request_id = response.headers()["x-request-id"].to_str().expect("a request id").to_string();
    let (status, error) = error_body(response).await;
    app.stop().await;
    drop(guard);

    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(error.code, "internal");
    assert_eq!(error.message, "服务器出错了，请稍后再试");
    assert!(error.fields.is_empty(), "{error:?}");
    let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let cause = text
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|entry| entry["level"] == "ERROR" && entry["span"]["request_id"] == request_id.as_str())
        .unwrap_or_else(|| panic!("no error line for request {request_id}: {text}"));
    let logged = cause["fields"]["error"].as_str().unwrap_or_default();
    assert!(logged.contains("colleges"), "the cause names the table: {cause}");
}
