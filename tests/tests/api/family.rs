//! Parents' meetings, family side: personal and class links, their failures and rate limit,
//! what a parent may see and change, and the calendar file.

use backend::auth::limits::Limit;
use reqwest::StatusCode;
use serde_json::json;
use shared::meetings::{AnswerStatus, Attendance, ConcernInput, FamilyPage, Topic};
use tests::meetings::{meeting_input, token_of};
use tests::{error_body, json_of, set_cookie, spawn_app, spawn_app_with, TestApp, ADDRESS, GUARDIAN_PHONE};

/// A meeting for the first class of the first college, with links issued; the staff client.
async fn meeting(app: &TestApp) -> (tests::School, reqwest::Client, shared::MeetingId, shared::meetings::Links) {
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    (school, counselor, meeting.id, links)
}

#[tokio::test]
async fn a_family_link_opens_a_family_session_of_its_own() {
    let app = spawn_app().await;
    let (school, _, meeting_id, links) = meeting(&app).await;
    let url = links.families[0].url.clone().unwrap();
    assert!(url.contains("/f#t="), "the token travels in the fragment: {url}");
    assert!(token_of(&url).len() >= 22, "at least 128 bits");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM meeting_links WHERE token_hash = $1 OR nonce = $1")
        .bind(token_of(&url))
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(stored, 0, "the token itself is not stored");

    let client = app.client();
    let response = app.post_json(&client, "/api/family/enter", &json!({ "token": token_of(&url) })).await;
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("jf_family=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let page: FamilyPage = json_of(response, "enter").await;
    assert_eq!(page.student_name, links.families[0].student_name.clone().unwrap());
    assert_eq!(page.theme, "学业规划与就业指导");
    assert!(page.answer.is_none() && page.can_change);

    // A family session is no staff session.
    app.get_error(&client, "/api/auth/me", StatusCode::UNAUTHORIZED, "unauthorized").await;
    let path = format!("/api/meetings/{meeting_id}/signups");
    app.get_error(&client, &path, StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.get_error(&client, "/api/students", StatusCode::UNAUTHORIZED, "unauthorized").await;
    let _ = school;
}

#[tokio::test]
async fn wrong_revoked_and_expired_links_are_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let (_, counselor, meeting_id, links) = meeting(&app).await;
    let client = app.client();
    let enter = |token: String| {
        let client = client.clone();
        let app = &app;
        async move { error_body(app.post_json(&client, "/api/family/enter", &json!({ "token": token })).await).await }
    };

    let (status, error) = enter("not-a-token".into()).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::NOT_FOUND, "link_invalid"));
    assert!(error.message.contains("链接无效"), "{error:?}");
    let english = client
        .post(app.url("/api/family/enter"))
        .header("accept-language", "en")
        .json(&json!({ "token": "not-a-token" }))
        .send()
        .await
        .unwrap();
    assert!(error_body(english).await.1.message.contains("not valid"));

    // The class link is not a personal link.
    let class_url = links.class_link.clone().unwrap().url.unwrap();
    assert_eq!(enter(token_of(&class_url)).await.1.code, "link_invalid");

    // Revoked: refused, and the session opened with it ends at once.
    let link = &links.families[0];
    let (family, _) = app.family(link.url.as_deref().unwrap()).await;
    let path = format!("/api/meetings/{meeting_id}/links/{}/revoke", link.id);
    let after: shared::meetings::Links = json_of(app.post_json(&counselor, &path, &()).await, "revoke").await;
    assert!(after.families.iter().any(|l| l.id == link.id && l.revoked && l.url.is_none()));
    let (status, error) = enter(token_of(link.url.as_deref().unwrap())).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::GONE, "link_revoked"));
    assert!(error.message.contains("收回"));
    app.get_error(&family, "/api/family/me", StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Expired.
    let other = &links.families[1];
    sqlx::query("UPDATE meeting_links SET expires_at = 1 WHERE id = $1")
        .bind(other.id)
        .execute(&app.db.write)
        .await
        .unwrap();
    let (status, error) = enter(token_of(other.url.as_deref().unwrap())).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::GONE, "link_expired"));
    assert!(error.message.contains("过期"));

    // A revoked family gets a new link when links are issued again.
    let again = app.issue_links(&counselor, meeting_id).await;
    let fresh = again.families.iter().find(|l| l.guardian_id == link.guardian_id && !l.revoked).unwrap();
    app.family(fresh.url.as_deref().unwrap()).await;
}

#[tokio::test]
async fn guessing_links_is_rate_limited_per_address() {
    let app = spawn_app_with(|c| c.family_limit_per_address = Limit { max: 5, window_secs: 600 }).await;
    let (_, _, _, links) = meeting(&app).await;
    let client = app.client();
    for i in 0..5 {
        let response = app.post_json(&client, "/api/family/enter", &json!({ "token": format!("guess-{i}") })).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let good = token_of(links.families[0].url.as_deref().unwrap());
    let response = app.post_json(&client, "/api/family/enter", &json!({ "token": good })).await;
    assert!(response.headers().contains_key("retry-after"));
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"));
    let class_token = token_of(&links.class_link.unwrap().url.unwrap());
    let body = json!({ "token": class_token, "student_no": "2023010101", "last_four": "5678" });
    let (status, _) = error_body(app.post_json(&client, "/api/family/identify", &body).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "the class link counts the same guesses");
}

#[tokio::test]
async fn the_class_link_identifies_a_parent_by_student_number_and_the_last_four_digits() {
    let app = spawn_app().await;
    let (school, _, _, links) = meeting(&app).await;
    let token = token_of(&links.class_link.unwrap().url.unwrap());
    let student = &school.colleges[0].classes[0].students[2];
    let client = app.client();

    let info: shared::meetings::ClassLinkInfo =
        json_of(app.post_json(&client, "/api/family/class", &json!({ "token": token })).await, "class").await;
    assert_eq!(info.theme, "学业规划与就业指导");

    let wrong = json!({ "token": token, "student_no": student.student_no, "last_four": "0000" });
    let (status, error) = error_body(app.post_json(&client, "/api/family/identify", &wrong).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "not_identified"));
    // A student of another class does not get in through this class's link.
    let stranger = &school.colleges[0].classes[1].students[0];
    let other = json!({ "token": token, "student_no": stranger.student_no, "last_four": &GUARDIAN_PHONE[7..] });
    assert_eq!(error_body(app.post_json(&client, "/api/family/identify", &other).await).await.1.code, "not_identified");

    let right = json!({ "token": token, "student_no": student.student_no, "last_four": &GUARDIAN_PHONE[7..] });
    let page: FamilyPage = json_of(app.post_json(&client, "/api/family/identify", &right).await, "identify").await;
    assert_eq!(page.student_name, student.name);
    let again: FamilyPage = app.get_json(&client, "/api/family/me").await;
    assert_eq!(again.student_name, student.name);
}

#[tokio::test]
async fn a_parent_sees_and_changes_only_their_own_family() {
    let app = spawn_app().await;
    let (school, _, _, links) = meeting(&app).await;
    let (mine, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    let (theirs, _) = app.family(links.families[1].url.as_deref().unwrap()).await;

    let page: FamilyPage = json_of(app.answer(&mine, Attendance::InPerson, 2).await, "answer").await;
    assert_eq!(page.answer.as_ref().unwrap().status, AnswerStatus::Confirmed);
    let (status, _) = error_body(app.answer(&mine, Attendance::InPerson, 3).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "more than the per-family limit");
    app.consent(&mine).await;
    let body = ConcernInput { topic: Topic::FamilyFinances, text: "学费压力较大".into() };
    let page: FamilyPage = json_of(app.post_json(&mine, "/api/family/concerns", &body).await, "concern").await;
    let concern_id = page.concerns[0].id;

    let other: FamilyPage = app.get_json(&theirs, "/api/family/me").await;
    assert!(other.answer.is_none() && other.concerns.is_empty());
    let response = theirs.delete(app.url(&format!("/api/family/concerns/{concern_id}"))).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let text = app.get(&theirs, "/api/family/me").await.text().await.unwrap();
    for secret in [ADDRESS, GUARDIAN_PHONE, "hardship", "学费压力", "counselor"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    // Another class's meeting: its families see only their own meeting.
    let class_b = &school.colleges[0].classes[1];
    let counselor_b = app.signed_in(&class_b.counselor).await;
    let mut input = meeting_input(class_b.id, 40, 2);
    input.theme = "二班家长会".into();
    let meeting_b = app.create_meeting(&counselor_b, &input).await;
    let links_b = app.issue_links(&counselor_b, meeting_b.id).await;
    let (_, page_b) = app.family(links_b.families[0].url.as_deref().unwrap()).await;
    assert_eq!(page_b.theme, "二班家长会");
    let mine_again: FamilyPage = app.get_json(&mine, "/api/family/me").await;
    assert_eq!(mine_again.theme, "学业规划与就业指导");
}

#[tokio::test]
async fn answers_change_until_the_deadline_and_feedback_opens_after_the_meeting() {
    let app = spawn_app().await;
    let (_, counselor, meeting_id, links) = meeting(&app).await;
    let (family, _) = app.family(links.families[0].url.as_deref().unwrap()).await;
    let page: FamilyPage = json_of(app.answer(&family, Attendance::Absent, 1).await, "absent").await;
    assert_eq!(page.answer.unwrap().people, 0);
    let (status, _) = error_body(app.post_json(&family, "/api/family/feedback", &json!({ "rating": 5 })).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "not before the meeting");

    sqlx::query("UPDATE meetings SET signup_deadline = 1 WHERE id = $1")
        .bind(meeting_id)
        .execute(&app.db.write)
        .await
        .unwrap();
    let (status, error) = error_body(app.answer(&family, Attendance::InPerson, 1).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "{error:?}");

    let _: shared::meetings::Meeting =
        json_of(app.post_json(&counselor, &format!("/api/meetings/{meeting_id}/held"), &()).await, "held").await;
    let body = json!({ "rating": 4, "suggestions": "希望多讲就业" });
    let page: FamilyPage = json_of(app.post_json(&family, "/api/family/feedback", &body).await, "feedback").await;
    assert_eq!(page.feedback.unwrap().rating, 4);
    let (status, _) = error_body(app.post_json(&family, "/api/family/feedback", &json!({ "rating": 9 })).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_online_link_shows_from_thirty_minutes_before_the_start() {
    let app = spawn_app().await;
    let (_, _, meeting_id, links) = meeting(&app).await;
    let (family, page) = app.family(links.families[0].url.as_deref().unwrap()).await;
    assert!(page.has_online && page.online_url.is_none(), "tomorrow: not yet");
    let soon = backend::db::now() + 20 * 60;
    sqlx::query("UPDATE meetings SET starts_at = $1 WHERE id = $2")
        .bind(soon)
        .bind(meeting_id)
        .execute(&app.db.write)
        .await
        .unwrap();
    let page: FamilyPage = app.get_json(&family, "/api/family/me").await;
    assert_eq!(page.online_url.as_deref(), Some("https://meeting.example.cn/j/123"));
}

#[tokio::test]
async fn the_calendar_file_holds_the_local_time_and_a_reminder() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let class = &school.colleges[0].classes[0];
    let counselor = app.signed_in(&class.counselor).await;
    let mut input = meeting_input(class.id, 40, 2);
    // 2030-03-01 06:00 UTC: 14:00 in Shanghai.
    (input.starts_at, input.ends_at, input.signup_deadline) = (1_898_575_200, 1_898_575_200 + 5400, 1_898_575_200);
    let meeting = app.create_meeting(&counselor, &input).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let (family, _) = app.family(links.families[0].url.as_deref().unwrap()).await;

    let response = app.get(&family, "/api/family/meeting.ics").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = response.text().await.unwrap();
    // Unfold (RFC 5545 §3.1) and read the properties.
    let unfolded = ics.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    let value = |name: &str| lines.iter().find_map(|l| l.strip_prefix(name)).unwrap_or_else(|| panic!("{name}"));
    assert_eq!(value("DTSTART;TZID=Asia/Shanghai:"), "20300301T140000");
    assert_eq!(value("DTEND;TZID=Asia/Shanghai:"), "20300301T153000");
    assert_eq!(value("TZOFFSETTO:"), "+0800");
    let alarm = lines.iter().position(|l| *l == "BEGIN:VALARM").expect("a VALARM");
    assert!(lines[alarm..].iter().any(|l| l.starts_with("TRIGGER:-PT")));
    assert!(lines[alarm..].contains(&"END:VALARM"));
    assert!(value("SUMMARY:").contains("学业规划与就业指导"));

    app.get_error(&app.client(), "/api/family/meeting.ics", StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_parallel_guesses_at_a_class_link_gets_exactly_the_limit_checked() {
    // The address's own limit out of the way: this is about the student's.
    let app = spawn_app_with(|c| c.family_limit_per_address = Limit { max: 10_000, window_secs: 600 }).await;
    let (school, _, _, links) = meeting(&app).await;
    let token = token_of(&links.class_link.unwrap().url.unwrap());
    let student = &school.colleges[0].classes[0].students[0];
    let per_student = backend::api::family::PER_STUDENT.max as usize;
    assert_eq!(per_student, 10, "the limit this test is about");
    let bodies = (0..300)
        .map(|i| json!({ "token": token, "student_no": student.student_no, "last_four": format!("{:04}", i % 9000) }))
        .collect();
    let (checked, refused, statuses) = tests::meetings::identify_burst(&app, bodies).await;
    assert_eq!((checked, refused), (per_student, 300 - per_student), "{statuses:?}");
}

#[tokio::test]
async fn a_right_answer_does_not_reset_the_students_count_of_wrong_ones() {
    let app = spawn_app().await;
    let (school, _, _, links) = meeting(&app).await;
    let token = token_of(&links.class_link.unwrap().url.unwrap());
    let student = &school.colleges[0].classes[0].students[0];
    let identify =
        |last_four: &str| json!({ "token": token, "student_no": student.student_no, "last_four": last_four });
    let right = identify(&GUARDIAN_PHONE[7..]);
    for _ in 0..9 {
        let (status, _) =
            error_body(app.post_json(&app.client(), "/api/family/identify", &identify("0000")).await).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    // The parent gets in; someone guessing at the same student has one guess left, not ten.
    let _: FamilyPage = json_of(app.post_json(&app.client(), "/api/family/identify", &right).await, "identify").await;
    let (status, _) = error_body(app.post_json(&app.client(), "/api/family/identify", &identify("0001")).await).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the tenth wrong guess is checked");
    let (status, _) = error_body(app.post_json(&app.client(), "/api/family/identify", &identify("0002")).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "and then the student is locked");
}

/// Guesses at a family link from `address` as a trusted proxy reports it; the status of each.
async fn guesses_from(app: &TestApp, forwarded_for: &str, n: usize) -> Vec<StatusCode> {
    let mut statuses = Vec::new();
    for i in 0..n {
        let response = reqwest::Client::new()
            .post(app.url("/api/family/enter"))
            .header("x-forwarded-for", forwarded_for)
            .json(&json!({ "token": format!("guess-{i}") }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status());
    }
    statuses
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_is_the_right_most_address_it_did_not_write_itself() {
    let app = spawn_app_with(|c| {
        c.family_limit_per_address = Limit { max: 3, window_secs: 600 };
        // The test's requests come from 127.0.0.1: the proxy.
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
    })
    .await;
    let [refused, not_found] = [StatusCode::TOO_MANY_REQUESTS, StatusCode::NOT_FOUND];
    // A client that writes a new left-most address each time is still the address the proxy saw.
    for (i, spoof) in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"].into_iter().enumerate() {
        let status = guesses_from(&app, &format!("{spoof}, 203.0.113.9, 10.0.0.2"), 1).await[0];
        assert_eq!(status, if i < 3 { not_found } else { refused }, "guess {i} from behind {spoof}");
    }
    // Another client behind the same proxies is counted apart.
    assert_eq!(guesses_from(&app, "203.0.113.10, 10.0.0.2", 1).await, [not_found]);
    // IPv6 clients count by their /64: any address in it is the same subscriber.
    let mine = ["2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:abcd::9", "2001:db8:5:6::ffff"];
    let mut statuses = Vec::new();
    for address in mine {
        statuses.extend(guesses_from(&app, address, 1).await);
    }
    assert_eq!(statuses, [not_found, not_found, not_found, refused]);
    assert_eq!(guesses_from(&app, "2001:db8:5:7::1", 1).await, [not_found], "the next /64 is someone else");
}

#[tokio::test]
async fn without_a_trusted_proxy_forwarded_addresses_are_ignored() {
    let app = spawn_app_with(|c| {
        c.family_limit_per_address = Limit { max: 3, window_secs: 600 };
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;
    // 127.0.0.1 is not a trusted proxy: its header is not read, so every guess is 127.0.0.1's.
    let mut statuses = Vec::new();
    for spoof in ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"] {
        statuses.extend(guesses_from(&app, spoof, 1).await);
    }
    let [refused, not_found] = [StatusCode::TOO_MANY_REQUESTS, StatusCode::NOT_FOUND];
    assert_eq!(statuses, [not_found, not_found, not_found, refused]);
}
