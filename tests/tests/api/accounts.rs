//! Accounts a school can run (issue 13, item 8): changing one's password, an admin's password
//! reset link and reset of someone's two-step verification, recovery codes, and TOTP secrets
//! sealed with the server's key in the database and in backups.

use backend::auth::limits::Limit;
use backend::auth::totp::{step_of, Secret};
use reqwest::{Client, StatusCode};
use serde_json::json;
use shared::auth::{Me, RecoveryCodes, RecoveryCodesLeft, TotpConfirmed, TotpEnrolment};
use shared::users::{Activated, ActivationLink};
use shared::Role;
use tests::{error_body, json_of, spawn_app, spawn_app_with, Account, TestApp};

const NEW_PASSWORD: &str = "a brand new passphrase 2024";

async fn expect_error(response: reqwest::Response, status: StatusCode, code: &str) -> shared::ApiError {
    let (actual, error) = error_body(response).await;
    assert_eq!((actual, error.code.as_str()), (status, code), "{error:?}");
    error
}

async fn change(app: &TestApp, client: &Client, current: &str, new: &str) -> reqwest::Response {
    app.post_json(client, "/api/auth/password", &json!({"current_password": current, "password": new})).await
}

async fn attempts(app: &TestApp, key: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM attempts WHERE key = $1")
        .bind(key.to_string())
        .fetch_one(&app.db.read)
        .await
        .expect("counting attempts")
}

/// Audit entries of account security, as `(actor, fields, detail)`.
async fn account_audit(app: &TestApp) -> Vec<(shared::UserId, String, String)> {
    sqlx::query_as("SELECT user_id, fields, detail FROM audit_log WHERE action = 'account' ORDER BY id")
        .fetch_all(&app.db.read)
        .await
        .expect("reading the audit log")
}

async fn is_signed_in(app: &TestApp, client: &Client) -> bool {
    app.get(client, "/api/auth/me").await.status() == StatusCode::OK
}

#[tokio::test]
async fn changing_a_password_needs_the_current_one_and_ends_only_the_other_sessions() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let (this, other) = (app.signed_in(&counselor).await, app.signed_in(&counselor).await);

    let error = expect_error(
        change(&app, &this, "not my password", NEW_PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert!(error.fields["current_password"].contains("当前密码不正确"), "{error:?}");
    assert_eq!(attempts(&app, "login:user:counselor").await, 1, "a wrong current password counts like a sign-in");
    // The new one meets the same rules as at activation; a right current password is not counted.
    let error = expect_error(
        change(&app, &this, &counselor.password, "password123").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert!(error.fields.contains_key("password"), "{error:?}");
    assert_eq!(attempts(&app, "login:user:counselor").await, 1);
    assert!(is_signed_in(&app, &other).await, "nothing changed yet");

    assert_eq!(change(&app, &this, &counselor.password, NEW_PASSWORD).await.status(), StatusCode::NO_CONTENT);
    assert!(is_signed_in(&app, &this).await, "this session stays");
    assert!(!is_signed_in(&app, &other).await, "the other session ended");
    let old = app.login(&app.client(), "counselor", &counselor.password).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.signed_in(&Account { password: NEW_PASSWORD.into(), ..counselor.clone() }).await;
    let audit = account_audit(&app).await;
    assert_eq!(audit, vec![(counselor.id, "password".into(), "changed own password".into())]);
}

#[tokio::test]
async fn wrong_current_passwords_meet_the_sign_in_attempt_limit() {
    let app = spawn_app_with(|c| {
        c.login_limit_per_account = Limit { max: 3, window_secs: 900 };
        c.login_backoff_ms = 0;
    })
    .await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let client = app.signed_in(&counselor).await;
    for _ in 0..3 {
        let wrong = change(&app, &client, "a wrong guess 123", NEW_PASSWORD).await;
        assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = change(&app, &client, &counselor.password, NEW_PASSWORD).await;
    expect_error(refused, StatusCode::TOO_MANY_REQUESTS, "too_many_requests").await;
    // One budget with the sign-in page: it is spent there too.
    let login = app.login(&app.client(), "counselor", &counselor.password).await;
    assert_eq!(login.status(), StatusCode::TOO_MANY_REQUESTS);
}

async fn reset_link(app: &TestApp, admin: &Client, id: shared::UserId) -> ActivationLink {
    json_of(app.post_json(admin, &format!("/api/users/{id}/password-reset"), &json!(null)).await, "reset link").await
}

fn token(link: &ActivationLink) -> String {
    link.link.strip_prefix("/reset-password#token=").unwrap_or_else(|| panic!("a reset link: {}", link.link)).into()
}

async fn use_link(app: &TestApp, link: &ActivationLink, password: &str) -> reqwest::Response {
    app.post_json(&app.client(), "/api/activate", &json!({"token": token(link), "password": password})).await
}

#[tokio::test]
async fn a_reset_link_works_once_and_ends_every_session_of_its_account() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let counselor = school.colleges[0].classes[0].counselor.clone();
    let (phone, laptop) = (app.signed_in(&counselor).await, app.signed_in(&counselor).await);

    let link = reset_link(&app, &admin, counselor.id).await;
    let hours = (link.expires_at - backend::db::now()) as f64 / 3600.0;
    assert!((71.9..=72.0).contains(&hours), "72 hours by default, not {hours}");
    assert!(is_signed_in(&app, &phone).await, "making the link ends nothing yet");

    let weak = use_link(&app, &link, "password123").await;
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY, "the same password rules");
    let done: Activated = json_of(use_link(&app, &link, NEW_PASSWORD).await, "using the reset link").await;
    assert_eq!(done.username, counselor.username);
    assert!(!is_signed_in(&app, &phone).await && !is_signed_in(&app, &laptop).await, "every session ended");
    let again = use_link(&app, &link, "another new passphrase 99").await;
    let error = expect_error(again, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(error.fields["token"].contains("链接无效"), "{error:?}");
    let old = app.login(&app.client(), &counselor.username, &counselor.password).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.signed_in(&Account { password: NEW_PASSWORD.into(), ..counselor.clone() }).await;

    let audit = account_audit(&app).await;
    let made = format!("password reset link for user {} ({})", counselor.id, counselor.username);
    assert_eq!(
        audit,
        vec![
            (school.admin.id, "password".into(), made),
            (counselor.id, "password".into(), "password set with a reset link".into())
        ]
    );
}

#[tokio::test]
async fn a_newer_reset_link_voids_the_older_and_an_expired_one_is_refused() {
    let app = spawn_app_with(|c| c.reset_link_valid_secs = 3600).await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let counselor = &school.colleges[0].classes[0].counselor;

    let first = reset_link(&app, &admin, counselor.id).await;
    let second = reset_link(&app, &admin, counselor.id).await;
    assert!(second.expires_at - backend::db::now() <= 3600, "the configured validity");
    expect_error(use_link(&app, &first, NEW_PASSWORD).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    sqlx::query("UPDATE activation_tokens SET expires_at = $1")
        .bind(backend::db::now() - 1)
        .execute(&app.db.write)
        .await
        .expect("letting the link expire");
    expect_error(use_link(&app, &second, NEW_PASSWORD).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    // Refused links leave the password as it was.
    app.signed_in(counselor).await;
    // A reset link is no activation link, nor the other way round.
    let pending = json!({"username": "pending", "display_name": "待激活", "role": "counselor",
                         "college_id": school.colleges[0].id});
    let created: shared::users::CreatedAccount =
        json_of(app.post_json(&admin, "/api/users", &pending).await, "a pending account").await;
    let refused = app.post_json(&admin, &format!("/api/users/{}/password-reset", created.user.id), &json!(null)).await;
    expect_error(refused, StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn admins_reset_neither_their_own_password_nor_their_own_two_step_verification() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    for what in ["password-reset", "totp-reset"] {
        let own = app.post_json(&admin, &format!("/api/users/{}/{what}", school.admin.id), &json!(null)).await;
        let error = expect_error(own, StatusCode::CONFLICT, "conflict").await;
        assert!(error.message.contains("不能重置自己的账号"), "{error:?}");
        let nobody = app.post_json(&admin, &format!("/api/users/999999/{what}"), &json!(null)).await;
        expect_error(nobody, StatusCode::NOT_FOUND, "not_found").await;
    }
    let counselor = &school.colleges[0].classes[0].counselor;
    let disabled = app.post_json(&admin, &format!("/api/users/{}/disable", counselor.id), &json!(null)).await;
    assert_eq!(disabled.status(), StatusCode::OK);
    let refused = app.post_json(&admin, &format!("/api/users/{}/password-reset", counselor.id), &json!(null)).await;
    expect_error(refused, StatusCode::CONFLICT, "conflict").await;
    assert!(account_audit(&app).await.is_empty(), "nothing done, nothing recorded");
}

async fn turn_on_totp(app: &TestApp, client: &Client) -> (Secret, Vec<String>) {
    let enrolment: TotpEnrolment =
        json_of(app.post_json(client, "/api/auth/totp/enrol", &json!({})).await, "enrol").await;
    let secret = Secret::from_base32(&enrolment.secret).expect("a base32 secret");
    let code = secret.code_at_step(step_of(backend::db::now()));
    let confirmed: TotpConfirmed =
        json_of(app.post_json(client, "/api/auth/totp/confirm", &json!({ "code": code })).await, "confirm").await;
    assert!(confirmed.me.totp_enabled);
    (secret, confirmed.recovery_codes)
}

async fn left(app: &TestApp, client: &Client) -> i64 {
    app.get_json::<RecoveryCodesLeft>(client, "/api/auth/totp/recovery-codes").await.remaining
}

#[tokio::test]
async fn an_admin_resets_someone_s_two_step_verification_on_record_and_their_sessions_end() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let counselor = school.colleges[0].classes[0].counselor.clone();
    let client = app.signed_in(&counselor).await;
    turn_on_totp(&app, &client).await;
    let path = format!("/api/users/{}/totp-reset", counselor.id);

    let by_leader = app.signed_in(&school.colleges[0].leader).await;
    expect_error(app.post_json(&by_leader, &path, &json!(null)).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.post_json(&admin, &path, &json!(null)).await.status(), StatusCode::NO_CONTENT);
    assert!(!is_signed_in(&app, &client).await, "their sessions ended");
    let count = |table: &'static str| {
        let (db, id) = (app.db.clone(), counselor.id);
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table} WHERE user_id = $1"))
                .bind(id)
                .fetch_one(&db.read)
                .await
                .expect("counting")
        }
    };
    assert_eq!((count("user_totp").await, count("recovery_codes").await), (0, 0));
    // The password alone signs them in again.
    let me: Me =
        json_of(app.login_with_code(&app.client(), &counselor.username, &counselor.password, None).await, "").await;
    assert!(!me.totp_enabled);
    let detail = format!("two-step verification reset for user {} ({})", counselor.id, counselor.username);
    assert!(account_audit(&app).await.contains(&(school.admin.id, "totp".into(), detail)), "who reset whose");
    expect_error(app.post_json(&admin, &path, &json!(null)).await, StatusCode::CONFLICT, "conflict").await;

    // Another admin whose second factor is reset must turn it on again before anything else.
    let other_admin = app.add_account("admin2", Role::Admin, None).await;
    let reset = app.post_json(&admin, &format!("/api/users/{}/totp-reset", other_admin.id), &json!(null)).await;
    assert_eq!(reset.status(), StatusCode::NO_CONTENT);
    let other = app.signed_in(&other_admin).await;
    app.get_error(&other, "/api/users", StatusCode::FORBIDDEN, "totp_enrolment_required").await;
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_in_place_of_a_totp_code() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let client = app.signed_in(&counselor).await;
    let (_, codes) = turn_on_totp(&app, &client).await;
    assert_eq!(codes.len(), 10);
    assert_eq!(codes.iter().collect::<std::collections::BTreeSet<_>>().len(), 10, "all different");
    assert_eq!(left(&app, &client).await, 10);

    // Typed leniently: upper case, a space for the dash.
    let typed = codes[3].to_uppercase().replace('-', " ");
    let fresh = app.client();
    let me: Me = json_of(app.login_with_code(&fresh, "counselor", &counselor.password, Some(&typed)).await, "").await;
    assert!(me.totp_enabled);
    let twice = app.login_with_code(&app.client(), "counselor", &counselor.password, Some(&codes[3])).await;
    expect_error(twice, StatusCode::UNAUTHORIZED, "totp_invalid").await;
    assert_eq!(left(&app, &fresh).await, 9);
    let made_up = app.login_with_code(&app.client(), "counselor", &counselor.password, Some("abcde-fghjk")).await;
    expect_error(made_up, StatusCode::UNAUTHORIZED, "totp_invalid").await;
    assert_eq!(attempts(&app, "login:user:counselor").await, 2, "wrong codes count like wrong passwords");
    let audit = account_audit(&app).await;
    assert!(audit.contains(&(counselor.id, "recovery_codes".into(), "signed in with a recovery code".into())));
}

#[tokio::test]
async fn recovery_codes_are_stored_hashed_and_a_new_set_needs_a_code_or_the_password() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let client = app.signed_in(&counselor).await;
    let new_set = |body: serde_json::Value| {
        let (app, client) = (&app, &client);
        async move { app.post_json(client, "/api/auth/totp/recovery-codes", &body).await }
    };
    expect_error(new_set(json!({"password": counselor.password})).await, StatusCode::CONFLICT, "conflict").await;
    let (secret, codes) = turn_on_totp(&app, &client).await;

    let stored: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes WHERE user_id = $1")
        .bind(counselor.id)
        .fetch_all(&app.db.read)
        .await
        .expect("reading the codes");
    assert_eq!(stored.len(), 10);
    for hash in &stored {
        assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()), "{hash}");
        assert!(codes.iter().all(|c| !hash.contains(&c.replace('-', "")) && !hash.contains(c.as_str())));
    }

    for wrong in [json!({"password": "not my password"}), json!({"code": "000000"}), json!({})] {
        expect_error(new_set(wrong).await, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    let by_password: RecoveryCodes = json_of(new_set(json!({"password": counselor.password})).await, "").await;
    let code = secret.code_at_step(step_of(backend::db::now()) + 1);
    let by_code: RecoveryCodes = json_of(new_set(json!({ "code": code })).await, "").await;
    assert_eq!(by_code.codes.len(), 10);
    assert!(by_code.codes.iter().all(|c| !by_password.codes.contains(c) && !codes.contains(c)));
    for old in [&codes[0], &by_password.codes[0]] {
        let refused = app.login_with_code(&app.client(), "counselor", &counselor.password, Some(old)).await;
        expect_error(refused, StatusCode::UNAUTHORIZED, "totp_invalid").await;
    }
    let fresh = app.client();
    let signed_in = app.login_with_code(&fresh, "counselor", &counselor.password, Some(&by_code.codes[0])).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    assert_eq!(left(&app, &fresh).await, 9);
}

/// The TOTP secrets of the database, as stored.
async fn stored_secrets(app: &TestApp) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT user_id, secret FROM user_totp ORDER BY user_id")
        .fetch_all(&app.db.read)
        .await
        .expect("reading the secrets")
}

#[tokio::test]
async fn totp_secrets_are_not_in_the_clear_in_the_database_nor_in_a_backup_and_a_restore_keeps_them() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let counselor = school.colleges[0].classes[0].counselor.clone();
    let client = app.signed_in(&counselor).await;
    let (secret, _) = turn_on_totp(&app, &client).await;
    let clear = [secret.to_base32(), tests::totp::TOTP_SECRET.to_string()];

    let stored = stored_secrets(&app).await;
    assert_eq!(stored.len(), 2, "the admin's and the counselor's");
    for (_, text) in &stored {
        assert!(text.starts_with("sealed1:"), "{text}");
        assert!(clear.iter().all(|c| !text.contains(c.as_str())), "a secret in the clear: {text}");
    }

    let file = app.dir.path().join("sealed.jfbackup");
    backend::backup::backup(&app.db, &file).await.expect("backing up");
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(std::fs::File::open(&file).unwrap()), &mut text)
        .expect("reading the backup");
    assert!(text.contains("sealed1:"), "the sealed secrets are in the backup");
    assert!(clear.iter().all(|c| !text.contains(c.as_str())), "a TOTP secret in the clear in the backup");

    // Restored onto a server with the same key, codes work as before.
    backend::backup::restore(&app.db, &file, true).await.expect("restoring");
    assert_eq!(stored_secrets(&app).await, stored);
    app.signed_in(&counselor).await;
    app.signed_in(&school.admin).await;
}

#[tokio::test]
async fn a_secret_sealed_under_another_key_gives_a_clear_error_not_a_sign_in() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    let secret = Secret::from_base32(tests::totp::TOTP_SECRET).unwrap();
    let mut conn = app.db.write.acquire().await.unwrap();
    let other_key = backend::secret::Secret::random();
    backend::auth::second_factor::enable_with_secret(&mut conn, &other_key, counselor.id, &secret).await.unwrap();
    drop(conn);
    let code = secret.code_at_step(step_of(backend::db::now()));
    let response = app.login_with_code(&app.client(), "counselor", &counselor.password, Some(&code)).await;
    let error = expect_error(response, StatusCode::INTERNAL_SERVER_ERROR, "server_key_mismatch").await;
    assert!(error.message.contains("服务器密钥"), "{error:?}");
}

#[tokio::test]
async fn secrets_stored_in_the_clear_are_sealed_once_at_start_even_by_instances_starting_together() {
    let app = spawn_app().await;
    let counselor = app.add_account("counselor", Role::Counselor, None).await;
    app.enable_totp(counselor.id, tests::totp::TOTP_SECRET).await;
    // As an older version stored it (or a restore of its backup).
    sqlx::query("UPDATE user_totp SET secret = $1")
        .bind(tests::totp::TOTP_SECRET)
        .execute(&app.db.write)
        .await
        .expect("storing a secret in the clear");

    let (first, second) = tokio::join!(app.spawn_peer(), app.spawn_peer());
    let stored = stored_secrets(&app).await;
    assert_eq!(stored.len(), 1);
    assert!(stored[0].1.starts_with("sealed1:") && !stored[0].1.contains(tests::totp::TOTP_SECRET), "{stored:?}");
    let opened = backend::auth::second_factor::open(&app.config.secret, counselor.id, &stored[0].1);
    assert_eq!(opened.map(|s| s.to_base32()).as_deref(), Some(tests::totp::TOTP_SECRET));
    // A third start changes nothing.
    let third = app.spawn_peer().await;
    assert_eq!(stored_secrets(&app).await, stored);
    for server in [&first, &second, &third] {
        server.signed_in(&counselor).await;
    }
}
