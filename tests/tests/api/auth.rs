//! Signing in and out.

use reqwest::StatusCode;
use serde_json::json;
use shared::auth::Me;
use shared::Role;
use tests::{cookie_pair, error_body, json_of, session_token, set_cookie, spawn_app, spawn_app_with, TestApp};

/// Sends a request with this session cookie and nothing else: what a stolen cookie would do.
pub async fn me_with_cookie(app: &TestApp, cookie: &str) -> StatusCode {
    let response = reqwest::Client::new().get(app.url("/api/auth/me")).header("cookie", cookie).send().await;
    response.expect("GET /api/auth/me").status()
}

#[tokio::test]
async fn sign_in_sets_a_strict_session_cookie_and_me_answers() {
    let app = spawn_app().await;
    let college = app.add_college("文学院").await;
    let (id, password) = app.add_user("counselor", Role::Counselor, Some(college)).await;
    let client = app.client();

    let response = app.login(&client, "Counselor ", &password).await;
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("jf_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.split("; ").any(|a| a == attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain-HTTP development cookies cannot be Secure: {cookie}");
    assert!(session_token(&cookie).len() >= 43, "a session id of 256 bits: {cookie}");
    let me: Me = json_of(response, "sign-in").await;
    let expected = Me {
        id: id.into(),
        username: "counselor".into(),
        display_name: "counselor".into(),
        role: Role::Counselor,
        college_id: Some(college),
        college_name: Some("文学院".into()),
        lang: shared::Lang::Zh,
        totp_enabled: false,
    };
    assert_eq!(me, expected);
    assert_eq!(app.get_json::<Me>(&client, "/api/auth/me").await, expected);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = spawn_app().await;
    let (_, password) = app.add_user("advisor", Role::ClassAdvisor, None).await;
    let client = app.client();

    let wrong = error_body(app.login(&client, "advisor", "not the password").await).await;
    let unknown = error_body(app.login(&client, "nobody", &password).await).await;
    assert_eq!(wrong.0, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.1.code, "wrong_credentials");
    assert_eq!(unknown, wrong, "the answer must not tell which accounts exist");
    app.get_error(&client, "/api/auth/me", StatusCode::UNAUTHORIZED, "unauthorized").await;
}

#[tokio::test]
async fn unknown_fields_in_the_sign_in_body_are_refused() {
    let app = spawn_app().await;
    let (_, password) = app.add_user("advisor", Role::ClassAdvisor, None).await;
    let body = json!({ "username": "advisor", "password": password, "role": "admin" });

    let response = app.post_json(&app.client(), "/api/auth/login", &body).await;
    let (status, error) = error_body(response).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_request"), "{error:?}");
    assert_eq!(app.row_count("sessions").await, 0);
}

#[tokio::test]
async fn every_sign_in_gets_a_new_session_id() {
    let app = spawn_app().await;
    let (_, password) = app.add_user("admin", Role::Admin, None).await;
    let client = app.client();

    let first = set_cookie(&app.login(&client, "admin", &password).await);
    let second = set_cookie(&app.login(&client, "admin", &password).await);
    assert_ne!(session_token(&first), session_token(&second));
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT token_hash FROM sessions").fetch_all(&app.db.read).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(!stored.contains(&session_token(&second)), "only a hash of the token is stored");
}

#[tokio::test]
async fn sign_out_makes_the_old_cookie_worthless_and_clears_the_cache_but_not_the_storage() {
    let app = spawn_app().await;
    let (_, password) = app.add_user("admin", Role::Admin, None).await;
    let client = app.client();
    let cookie = set_cookie(&app.login(&client, "admin", &password).await);
    let pair = cookie_pair(&cookie);
    assert_eq!(me_with_cookie(&app, &pair).await, StatusCode::OK);

    let response = client.post(app.url("/api/auth/logout")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let clear = response.headers().get("clear-site-data").expect("Clear-Site-Data").to_str().unwrap();
    // Not "storage": another person's unsent visits on a shared tablet live there.
    assert_eq!(clear, "\"cache\"");
    let expired = set_cookie(&response);
    assert!(expired.starts_with("jf_session=;") && expired.contains("Max-Age=0"), "{expired}");

    assert_eq!(me_with_cookie(&app, &pair).await, StatusCode::UNAUTHORIZED, "the old cookie replayed");
    app.get_error(&client, "/api/auth/me", StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// No account comes with the schema: the first admin is made with `jiafang user add`, with a
/// password of the operator's choosing (`backend/tests/cli.rs`).
#[tokio::test]
async fn a_freshly_migrated_database_has_no_account_to_sign_in_with() {
    // 42 tries from one address, under its limit of 50; no slowing down, which is tested elsewhere.
    let app = spawn_app_with(|config| config.login_backoff_ms = 0).await;
    for table in ["users", "sessions", "family_sessions"] {
        assert_eq!(app.row_count(table).await, 0, "{table} after the migrations");
    }
    let usernames = ["admin", "administrator", "root", "jiafang", "demo", "test"];
    let passwords = ["admin", "password", "123456", "jiafang", "changeme", "Admin@123", tests::PASSWORD];
    for username in usernames {
        for password in passwords {
            let (status, error) = error_body(app.login(&app.client(), username, password).await).await;
            assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "wrong_credentials"), "{username}");
        }
    }
}
