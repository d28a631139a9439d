//! Guessing passwords: failed sign-ins are limited per account and per address.

use backend::auth::limits::Limit;
use reqwest::{Response, StatusCode};
use shared::Role;
use tests::{error_body, spawn_app_with, TestApp};

async fn expect_wrong_credentials(app: &TestApp, username: &str, times: usize) {
    let client = app.client();
    for attempt in 1..=times {
        let (status, error) = error_body(app.login(&client, username, "a wrong guess").await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "wrong_credentials"), "try {attempt}");
    }
}

async fn expect_too_many(response: Response) {
    let retry_after = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::TOO_MANY_REQUESTS, "too_many_requests"), "{error:?}");
    let retry_after: u64 = retry_after.expect("Retry-After").parse().expect("Retry-After in seconds");
    assert!(retry_after > 0);
}

#[tokio::test]
async fn an_account_locks_after_ten_failures_even_for_the_right_password() {
    let app = spawn_app_with(|config| config.login_backoff_ms = 1).await;
    assert_eq!(app.config.login_limit_per_account.max, 10, "the default this test is about");
    let (_, password) = app.add_user("leader", Role::CollegeLeader, None).await;
    let (_, other_password) = app.add_user("admin", Role::Admin, None).await;

    expect_wrong_credentials(&app, "leader", 10).await;
    expect_too_many(app.login(&app.client(), "leader", &password).await).await;
    expect_too_many(app.login(&app.client(), "LEADER", &password).await).await;
    // Another account from the same address is not locked out by someone else's guesses.
    let response = app.login(&app.client(), "admin", &other_password).await;
    assert_eq!(response.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_address_is_limited_across_accounts() {
    let app = spawn_app_with(|config| {
        config.login_backoff_ms = 1;
        config.login_limit_per_address = Limit { max: 4, window_secs: 600 };
    })
    .await;
    let (_, password) = app.add_user("admin", Role::Admin, None).await;

    expect_wrong_credentials(&app, "someone", 3).await;
    assert_eq!(app.login(&app.client(), "admin", &password).await.status(), StatusCode::OK, "3 of 4 used");
    expect_wrong_credentials(&app, "someone-else", 1).await;
    expect_too_many(app.login(&app.client(), "admin", &password).await).await;
}

#[tokio::test]
async fn a_successful_sign_in_resets_the_account_count() {
    let app = spawn_app_with(|config| config.login_backoff_ms = 1).await;
    let (_, password) = app.add_user("admin", Role::Admin, None).await;

    expect_wrong_credentials(&app, "admin", 9).await;
    assert_eq!(app.login(&app.client(), "admin", &password).await.status(), StatusCode::OK);
    expect_wrong_credentials(&app, "admin", 9).await;
    assert_eq!(app.login(&app.client(), "admin", &password).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn exports_are_limited_per_user_and_the_count_is_the_users_own() {
    let app = spawn_app_with(|config| config.export_limit_per_user = Limit { max: 3, window_secs: 600 }).await;
    let school = app.seed_school().await;
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let other = app.signed_in(&school.colleges[1].leader).await;
    for attempt in 1..=3 {
        let response = app.get(&leader, "/api/students/export.xlsx").await;
        assert_eq!(response.status(), StatusCode::OK, "export {attempt}");
    }
    expect_too_many(app.get(&leader, "/api/students/export.xlsx").await).await;
    // One user's exports do not count against another's.
    assert_eq!(app.get(&other, "/api/students/export.xlsx").await.status(), StatusCode::OK);
}

/// Sends `n` sign-ins at once (each its own connection), spread over `apps` in turn; the
/// status and `Retry-After` of each answer.
async fn burst(
    apps: &[&TestApp],
    n: usize,
    body: impl Fn(usize) -> serde_json::Value,
) -> Vec<(StatusCode, Option<String>)> {
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (url, body) = (apps[i % apps.len()].url("/api/auth/login"), body(i));
            tokio::spawn(async move {
                let response = reqwest::Client::new().post(url).json(&body).send().await.expect("signing in");
                let retry = response.headers().get("retry-after").map(|v| v.to_str().unwrap().to_string());
                (response.status(), retry)
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(n);
    for task in tasks {
        answers.push(task.await.expect("a sign-in task"));
    }
    answers
}

fn tally(answers: &[(StatusCode, Option<String>)], status: StatusCode) -> usize {
    answers.iter().filter(|(s, _)| *s == status).count()
}

/// A server for guessing bursts: no address limit in the way, no back-off, and this many
/// password checks waiting at most for a core.
async fn burst_app(hash_queue_depth: usize) -> TestApp {
    spawn_app_with(|config| {
        config.login_backoff_ms = 1;
        config.login_limit_per_address = Limit { max: 10_000, window_secs: 600 };
        config.hash_queue_depth = hash_queue_depth;
    })
    .await
}

fn wrong_password(i: usize) -> serde_json::Value {
    serde_json::json!({ "username": "leader", "password": format!("guess {i}") })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_parallel_wrong_passwords_gets_exactly_the_limit_checked() {
    // Room in the hashing queue for every password checked: this test is about the count.
    let app = burst_app(400).await;
    let (_, password) = app.add_user("leader", Role::CollegeLeader, None).await;
    let answers = burst(&[&app], 300, wrong_password).await;
    assert_eq!(tally(&answers, StatusCode::UNAUTHORIZED), 10, "exactly the limit was checked: {answers:?}");
    assert_eq!(tally(&answers, StatusCode::TOO_MANY_REQUESTS), 290, "{answers:?}");
    assert_eq!(app.row_count("attempts WHERE key = 'login:user:leader'").await, 10, "refusals are not counted");
    expect_too_many(app.login(&app.client(), "leader", &password).await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_split_across_two_instances_gets_exactly_the_limit_checked() {
    let one = burst_app(400).await;
    let two = one.spawn_peer().await;
    one.add_user("leader", Role::CollegeLeader, None).await;
    let answers = burst(&[&one, &two], 300, wrong_password).await;
    assert_eq!(tally(&answers, StatusCode::UNAUTHORIZED), 10, "one database, one count: {answers:?}");
    assert_eq!(tally(&answers, StatusCode::TOO_MANY_REQUESTS), 290, "{answers:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn password_checks_beyond_the_hashing_queue_are_answered_503_with_retry_after() {
    // One hash per core and none waiting.
    let app = burst_app(0).await;
    // A different unknown account each: no account limit; each is checked against a real hash.
    let answers =
        burst(&[&app], 60, |i| serde_json::json!({ "username": format!("nobody{i}"), "password": "a guess" })).await;
    let busy: Vec<_> = answers.iter().filter(|(s, _)| *s == StatusCode::SERVICE_UNAVAILABLE).collect();
    let checked = tally(&answers, StatusCode::UNAUTHORIZED);
    assert_eq!(busy.len() + checked, 60, "nothing else: {answers:?}");
    assert!(!busy.is_empty(), "sixty at once do not all fit in the cores: {answers:?}");
    assert!(checked >= 1, "{answers:?}");
    assert!(busy.iter().all(|(_, retry)| retry.as_deref() == Some("1")), "503 says when to retry: {busy:?}");
    // A request turned away unchecked counts against nobody.
    assert_eq!(app.row_count("attempts").await, 2 * checked as i64, "account and address of each checked one");
    let client = app.client();
    let (status, error) = error_body(app.login(&client, "nobody0", "a guess").await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "wrong_credentials"), "the queue drains");
}
