//! Two-step verification (TOTP): staff and counselors may turn it on, admins must. Turning it on
//! and off, signing in with and without a code, wrong and reused codes, the attempt limit, and an
//! admin who has not turned it on yet.

use backend::auth::limits::Limit;
use backend::auth::totp::{step_of, Secret};
use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::auth::{Me, TotpConfirmed, TotpEnrolment};
use shared::Role;
use tests::{error_body, json_of, spawn_app, spawn_app_with, Account, TestApp};

async fn post(app: &TestApp, client: &Client, path: &str, body: serde_json::Value) -> reqwest::Response {
    app.post_json(client, path, &body).await
}

async fn enrol(app: &TestApp, client: &Client) -> Secret {
    let enrolment: TotpEnrolment = json_of(post(app, client, "/api/auth/totp/enrol", json!({})).await, "enrol").await;
    Secret::from_base32(&enrolment.secret).expect("a base32 secret")
}

/// The code of the current step, and of the next.
fn codes(secret: &Secret) -> [String; 2] {
    let step = step_of(backend::db::now());
    [secret.code_at_step(step), secret.code_at_step(step + 1)]
}

async fn expect_error(response: reqwest::Response, status: StatusCode, code: &str) -> shared::ApiError {
    let (actual, error) = error_body(response).await;
    assert_eq!((actual, error.code.as_str()), (status, code), "{error:?}");
    error
}

#[tokio::test]
async fn a_counselor_turns_totp_on_and_then_signs_in_with_a_code_used_once() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let client = app.signed_in(&counselor).await;
    let other_device = app.signed_in(&counselor).await;
    let me: Me = app.get_json(&client, "/api/auth/me").await;
    assert!(!me.totp_enabled);

    let response = post(&app, &client, "/api/auth/totp/enrol", json!({})).await;
    let enrolment: TotpEnrolment = json_of(response, "enrol").await;
    assert_eq!(enrolment.secret.len(), 32, "160 bits in base32");
    assert!(enrolment.otpauth_url.starts_with("otpauth://totp/Jiafang:counselor?secret="), "{}", enrolment.otpauth_url);
    assert!(enrolment.otpauth_url.contains(&enrolment.secret));
    assert!(enrolment.qr_svg.starts_with("<?xml") || enrolment.qr_svg.starts_with("<svg"), "an SVG document");
    assert!(enrolment.qr_svg.contains("</svg>"));
    // Starting again replaces a secret that was never confirmed.
    let secret = enrol(&app, &client).await;
    assert_ne!(secret.to_base32(), enrolment.secret);
    let old = Secret::from_base32(&enrolment.secret).unwrap();
    let error = expect_error(
        post(&app, &client, "/api/auth/totp/confirm", json!({"code": codes(&old)[0]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert!(error.fields.contains_key("code"), "{error:?}");
    expect_error(
        post(&app, &client, "/api/auth/totp/confirm", json!({"code": "12345"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    // Until confirmed, nothing changes at sign-in.
    app.signed_in(&counselor).await;

    let [now, next] = codes(&secret);
    let confirmed: TotpConfirmed =
        json_of(post(&app, &client, "/api/auth/totp/confirm", json!({"code": now})).await, "confirm").await;
    assert!(confirmed.me.totp_enabled);
    assert_eq!(app.get(&other_device, "/api/auth/me").await.status(), StatusCode::UNAUTHORIZED, "other sessions end");
    assert_eq!(app.get(&client, "/api/auth/me").await.status(), StatusCode::OK, "this one stays");
    expect_error(post(&app, &client, "/api/auth/totp/enrol", json!({})).await, StatusCode::CONFLICT, "conflict").await;

    let fresh = app.client();
    let password = &counselor.password;
    let without = app.login_with_code(&fresh, "counselor", password, None).await;
    let error = expect_error(without, StatusCode::UNAUTHORIZED, "totp_required").await;
    assert!(error.message.contains("验证码"), "{error:?}");
    assert!(app.get(&fresh, "/api/auth/me").await.status() == StatusCode::UNAUTHORIZED, "no session without the code");
    // The code that confirmed is used up, and so is a wrong one.
    let reused = app.login_with_code(&fresh, "counselor", password, Some(&now)).await;
    expect_error(reused, StatusCode::UNAUTHORIZED, "totp_invalid").await;
    let wrong = format!("{:06}", (next.parse::<u32>().unwrap() + 1) % 1_000_000);
    let wrong = app.login_with_code(&fresh, "counselor", password, Some(&wrong)).await;
    expect_error(wrong, StatusCode::UNAUTHORIZED, "totp_invalid").await;
    // A wrong password with the right code is still a wrong password.
    let bad_password = app.login_with_code(&fresh, "counselor", "not the password 1", Some(&next)).await;
    expect_error(bad_password, StatusCode::UNAUTHORIZED, "wrong_credentials").await;

    let spaced = format!("{} {}", &next[..3], &next[3..]);
    let me: Me = json_of(app.login_with_code(&fresh, "counselor", password, Some(&spaced)).await, "sign-in").await;
    assert!(me.totp_enabled);
    let again = app.login_with_code(&app.client(), "counselor", password, Some(&next)).await;
    expect_error(again, StatusCode::UNAUTHORIZED, "totp_invalid").await;
}

#[tokio::test]
async fn wrong_codes_count_towards_the_sign_in_limit() {
    let app = spawn_app_with(|config| {
        config.login_backoff_ms = 1;
        config.login_limit_per_account = Limit { max: 3, window_secs: 900 };
    })
    .await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let secret = Secret::generate();
    app.enable_totp(counselor.id, &secret.to_base32()).await;
    let [now, _] = codes(&secret);
    let wrong = format!("{:06}", (now.parse::<u32>().unwrap() + 500_000) % 1_000_000);
    for attempt in 1..=3 {
        let response = app.login_with_code(&app.client(), "counselor", &counselor.password, Some(&wrong)).await;
        let (status, error) = error_body(response).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "totp_invalid"), "try {attempt}");
    }
    let right = app.login_with_code(&app.client(), "counselor", &counselor.password, Some(&now)).await;
    expect_error(right, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
}

#[tokio::test]
async fn an_admin_without_totp_may_only_turn_it_on() {
    let app = spawn_app().await;
    let admin = app.add_account("admin", Role::Admin, None).await;
    app.remove_totp(admin.id).await;
    let client = app.signed_in(&admin).await;

    let me: Me = app.get_json(&client, "/api/auth/me").await;
    assert!(me.needs_totp());
    for path in ["/api/colleges", "/api/users", "/api/campaigns", "/api/audit"] {
        let error = app.get_error(&client, path, StatusCode::FORBIDDEN, "totp_enrolment_required").await;
        assert!(error.message.contains("两步验证"), "{error:?}");
    }
    let english = client.get(app.url("/api/users")).header("accept-language", "en").send().await.unwrap();
    let error = expect_error(english, StatusCode::FORBIDDEN, "totp_enrolment_required").await;
    assert!(error.message.contains("two-step verification"), "{error:?}");
    let create = post(&app, &client, "/api/users", json!({"username": "x1", "display_name": "x", "role": "counselor"}));
    expect_error(create.await, StatusCode::FORBIDDEN, "totp_enrolment_required").await;

    let secret = enrol(&app, &client).await;
    let confirmed: TotpConfirmed =
        json_of(post(&app, &client, "/api/auth/totp/confirm", json!({"code": codes(&secret)[0]})).await, "").await;
    assert!(confirmed.me.totp_enabled && !confirmed.me.needs_totp());
    assert_eq!(app.get(&client, "/api/users").await.status(), StatusCode::OK);

    // Signing out still works for anyone.
    let out = post(&app, &client, "/api/auth/logout", json!(null)).await;
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_counselor_turns_totp_off_with_a_current_code_and_an_admin_cannot() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let client = app.signed_in(&counselor).await;
    let off = |code: String| post(&app, &client, "/api/auth/totp/disable", json!({ "code": code }));
    expect_error(off("123456".into()).await, StatusCode::CONFLICT, "conflict").await;

    let secret = enrol(&app, &client).await;
    let [now, next] = codes(&secret);
    let _: TotpConfirmed =
        json_of(post(&app, &client, "/api/auth/totp/confirm", json!({ "code": now })).await, "confirm").await;
    // The confirming code cannot turn it off again, nor can a wrong one.
    expect_error(off(now.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let me: Me = json_of(off(next).await, "turning off").await;
    assert!(!me.totp_enabled);
    let me: Me = app.get_json(&client, "/api/auth/me").await;
    assert!(!me.totp_enabled);
    app.signed_in(&counselor).await;

    let admin = app.add_account("admin", Role::Admin, None).await;
    let admin_client = app.signed_in(&admin).await;
    let code = app.totp_code("admin").await.expect("the harness's admin has TOTP on");
    let response = post(&app, &admin_client, "/api/auth/totp/disable", json!({ "code": code })).await;
    let error = expect_error(response, StatusCode::FORBIDDEN, "totp_required_for_admins").await;
    assert!(error.message.contains("管理员"), "{error:?}");
    let me: Me = app.get_json(&admin_client, "/api/auth/me").await;
    assert!(me.totp_enabled);
}

/// The demo admin has TOTP on with the published secret: a code from it signs in.
#[tokio::test]
async fn the_demo_admin_signs_in_with_the_published_secret() {
    let app = spawn_app().await;
    backend::demo::load(&app.db, &app.config.secret).await.expect("loading the demo");
    let admin = Account { id: 1.into(), username: "admin".into(), password: backend::demo::DEMO_PASSWORD.into() };
    let without = app.login_with_code(&app.client(), "admin", &admin.password, None).await;
    expect_error(without, StatusCode::UNAUTHORIZED, "totp_required").await;
    let secret = Secret::from_base32(backend::demo::DEMO_TOTP_SECRET).unwrap();
    let response = app.login_with_code(&app.client(), "admin", &admin.password, Some(&codes(&secret)[0])).await;
    let me: Me = json_of(response, "demo admin").await;
    assert!(me.totp_enabled);
}
