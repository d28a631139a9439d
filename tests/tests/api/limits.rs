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
