//! How sessions end: a deactivated account, idle and absolute timeouts; and the production
//! cookie.

use reqwest::StatusCode;
use shared::Role;
use tests::{cookie_pair, error_body, session_token, set_cookie, spawn_app, spawn_app_with, TestApp};

use crate::auth::me_with_cookie;

/// Signs `admin` in and returns the `name=value` pair of its session cookie.
async fn admin_session(app: &TestApp) -> (i64, String) {
    let (id, password) = app.add_user("admin", Role::Admin, None).await;
    let cookie = set_cookie(&app.login(&app.client(), "admin", &password).await);
    (id, cookie_pair(&cookie))
}

#[tokio::test]
async fn a_deactivated_account_cannot_sign_in_and_its_session_stops_working() {
    let app = spawn_app().await;
    let (id, cookie) = admin_session(&app).await;
    assert_eq!(me_with_cookie(&app, &cookie).await, StatusCode::OK);

    sqlx::query("UPDATE users SET active = 0 WHERE id = $1").bind(id).execute(&app.db.write).await.unwrap();
    assert_eq!(me_with_cookie(&app, &cookie).await, StatusCode::UNAUTHORIZED);
    let (status, error) = error_body(app.login(&app.client(), "admin", tests::PASSWORD).await).await;
    assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "wrong_credentials"));
}

/// Moves the one session's clock back by `secs` seconds in the named column.
async fn age_session(app: &TestApp, column: &str, secs: i64) {
    let past = backend::db::now() - secs;
    sqlx::query(&format!("UPDATE sessions SET {column} = $1")).bind(past).execute(&app.db.write).await.unwrap();
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = spawn_app().await;
    let (_, cookie) = admin_session(&app).await;
    let idle = app.config.session.idle_secs;

    age_session(&app, "last_seen", idle - 120).await;
    assert_eq!(me_with_cookie(&app, &cookie).await, StatusCode::OK, "not idle long enough yet");
    let last_seen: i64 = sqlx::query_scalar("SELECT last_seen FROM sessions").fetch_one(&app.db.read).await.unwrap();
    assert!(backend::db::now() - last_seen < 60, "a use moves last_seen forward");

    age_session(&app, "last_seen", idle + 1).await;
    assert_eq!(me_with_cookie(&app, &cookie).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.row_count("sessions").await, 0, "an expired session is deleted");
}

#[tokio::test]
async fn a_session_ends_after_its_absolute_lifetime_however_busy() {
    let app = spawn_app().await;
    let (_, cookie) = admin_session(&app).await;

    age_session(&app, "created_at", app.config.session.absolute_secs + 1).await;
    assert_eq!(me_with_cookie(&app, &cookie).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.row_count("sessions").await, 0);
}

#[tokio::test]
async fn secure_cookies_use_the_host_prefix() {
    let app = spawn_app_with(|config| config.session.secure = true).await;
    let (_, password) = app.add_user("admin", Role::Admin, None).await;

    let cookie = set_cookie(&app.login(&app.client(), "admin", &password).await);
    assert!(cookie.starts_with("__Host-jf_session="), "{cookie}");
    let attributes: Vec<&str> = cookie.split("; ").collect();
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(attributes.contains(&attribute), "{attribute} missing: {cookie}");
    }
    assert!(!cookie.to_ascii_lowercase().contains("domain="), "__Host- cookies carry no Domain: {cookie}");

    let token = session_token(&cookie);
    assert_eq!(me_with_cookie(&app, &format!("__Host-jf_session={token}")).await, StatusCode::OK);
    // The unprefixed name is not read when cookies are secure.
    assert_eq!(me_with_cookie(&app, &format!("jf_session={token}")).await, StatusCode::UNAUTHORIZED);
}
