//! Staff accounts: admins create them (with a one-time activation link), disable, enable and
//! re-scope them; a college leader lists their college's staff; nobody else reaches them.

use reqwest::{Method, StatusCode};
use serde_json::json;
use shared::org::StudentSummary;
use shared::users::{AccountStatus, Activated, ActivationLink, CreatedAccount, UserAccount};
use shared::{Page, Role};
use tests::{spawn_app, Account, TestApp};

const NEW_PASSWORD: &str = "家访 needs a good passphrase";

fn token_of(link: &ActivationLink) -> String {
    link.link.strip_prefix("/activate#token=").unwrap_or_else(|| panic!("an activation link: {}", link.link)).into()
}

async fn activate(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    app.post_json(&app.client(), "/api/activate", &json!({ "token": token, "password": password })).await
}

#[tokio::test]
async fn a_new_account_is_activated_with_its_link_and_then_signs_in() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let college = school.colleges[0].id;
    let body = json!({"username": "Wang.Laoshi", "display_name": "王老师", "role": "counselor", "college_id": college});
    let created: CreatedAccount = app.send_ok(&admin, Method::POST, "/api/users", &body).await;
    assert_eq!((created.user.username.as_str(), created.user.status), ("wang.laoshi", AccountStatus::Pending));
    assert_eq!(created.user.college_name.as_deref(), Some(school.colleges[0].name.as_str()));
    let token = token_of(&created.activation);
    assert!(token.len() >= 43, "at least 256 bits: {token}");
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM activation_tokens WHERE user_id = $1")
        .bind(created.user.id)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_ne!(stored, token, "only a hash is stored");
    let week = created.activation.expires_at - backend::db::now();
    assert!((7 * 86_400 - 60..=7 * 86_400).contains(&week), "{week}");

    let anyone = app.client();
    assert_eq!(app.login(&anyone, "wang.laoshi", NEW_PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
    let (status, error) = tests::error_body(activate(&app, &token, "password").await).await;
    assert_eq!(
        (status, error.fields.keys().map(String::as_str).collect::<Vec<_>>()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["password"])
    );
    let done: Activated = tests::json_of(activate(&app, &token, NEW_PASSWORD).await, "activating").await;
    assert_eq!(done.username, "wang.laoshi");
    assert_eq!(app.login(&anyone, "wang.laoshi", NEW_PASSWORD).await.status(), StatusCode::OK);

    let (status, error) = tests::error_body(activate(&app, &token, "another good passphrase").await).await;
    assert_eq!(
        (status, error.fields.keys().map(String::as_str).collect::<Vec<_>>()),
        (StatusCode::UNPROCESSABLE_ENTITY, vec!["token"])
    );
    let list: Vec<UserAccount> = app.get_json(&admin, "/api/users?q=wang").await;
    assert_eq!(list.iter().map(|u| u.status).collect::<Vec<_>>(), [AccountStatus::Active]);
    let path = format!("/api/users/{}/activation", created.user.id);
    app.send_error(&admin, Method::POST, &path, &json!({}), StatusCode::CONFLICT, "conflict").await;
}

#[tokio::test]
async fn a_new_link_replaces_the_old_and_links_expire() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let body = json!({"username": "li", "display_name": "李老师", "role": "class_advisor", "college_id": school.colleges[1].id});
    let created: CreatedAccount = app.send_ok(&admin, Method::POST, "/api/users", &body).await;
    let path = format!("/api/users/{}/activation", created.user.id);
    let second: ActivationLink = app.send_ok(&admin, Method::POST, &path, &json!({})).await;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    assert_eq!(activate(&app, &token_of(&created.activation), NEW_PASSWORD).await.status(), invalid);
    sqlx::query("UPDATE activation_tokens SET expires_at = $1")
        .bind(backend::db::now() - 1)
        .execute(&app.db.write)
        .await
        .unwrap();
    assert_eq!(activate(&app, &token_of(&second), NEW_PASSWORD).await.status(), invalid, "expired");
    let third: ActivationLink = app.send_ok(&admin, Method::POST, &path, &json!({})).await;
    assert_eq!(activate(&app, &token_of(&third), NEW_PASSWORD).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn disabling_ends_the_session_at_once_and_sign_in_is_refused() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let victim = &school.colleges[0].classes[0].counselor;
    let their_client = app.signed_in(victim).await;
    let _: shared::auth::Me = app.get_json(&their_client, "/api/auth/me").await;

    let disabled: UserAccount =
        app.send_ok(&admin, Method::POST, &format!("/api/users/{}/disable", victim.id), &json!({})).await;
    assert_eq!(disabled.status, AccountStatus::Disabled);
    app.get_error(&their_client, "/api/auth/me", StatusCode::UNAUTHORIZED, "unauthorized").await;
    app.get_error(&their_client, "/api/students", StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(app.row_count("sessions").await, 1, "only the admin's session is left");
    assert_eq!(app.login(&app.client(), &victim.username, &victim.password).await.status(), StatusCode::UNAUTHORIZED);

    let visible: Vec<UserAccount> = app.get_json(&admin, "/api/users").await;
    assert!(visible.iter().all(|u| u.id != victim.id), "inactive accounts are hidden by default");
    let all: Vec<UserAccount> = app.get_json(&admin, "/api/users?include_inactive=true").await;
    assert!(all.iter().any(|u| u.id == victim.id && u.status == AccountStatus::Disabled));

    let enabled: UserAccount =
        app.send_ok(&admin, Method::POST, &format!("/api/users/{}/enable", victim.id), &json!({})).await;
    assert_eq!(enabled.status, AccountStatus::Active);
    let _ = app.signed_in(victim).await;
}

#[tokio::test]
async fn an_admin_cannot_disable_or_demote_themselves() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let me = school.admin.id;
    let conflict = StatusCode::CONFLICT;
    app.send_error(&admin, Method::POST, &format!("/api/users/{me}/disable"), &json!({}), conflict, "conflict").await;
    let body = json!({"display_name": "admin", "role": "counselor", "college_id": school.colleges[0].id});
    app.send_error(&admin, Method::PUT, &format!("/api/users/{me}"), &body, conflict, "conflict").await;
    let _: shared::auth::Me = app.get_json(&admin, "/api/auth/me").await;
}

async fn students_seen(app: &TestApp, account: &Account) -> i64 {
    let client = app.signed_in(account).await;
    let page: Page<StudentSummary> = app.get_json(&client, "/api/students").await;
    page.total
}

#[tokio::test]
async fn re_scoping_changes_what_the_person_sees() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let person = &school.colleges[0].classes[0].counselor;
    let their_client = app.signed_in(person).await;
    assert_eq!(students_seen(&app, person).await, 3);

    let path = format!("/api/users/{}", person.id);
    let body = json!({"display_name": "张主任", "role": "college_leader", "college_id": school.colleges[1].id});
    let account: UserAccount = app.send_ok(&admin, Method::PUT, &path, &body).await;
    assert_eq!((account.role, account.display_name.as_str()), (Role::CollegeLeader, "张主任"));
    let page: Page<StudentSummary> = app.get_json(&their_client, "/api/students").await;
    assert_eq!(page.total, 6, "at once, without signing in again");
    assert!(page.items.iter().all(|s| s.college_name == school.colleges[1].name));

    let no_college = json!({"display_name": "张主任", "role": "college_leader", "college_id": null});
    let error =
        app.send_error(&admin, Method::PUT, &path, &no_college, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(error.fields.contains_key("college_id"), "{error:?}");
    let sneaky = json!({"display_name": "x", "role": "admin", "college_id": null, "active": 1});
    app.send_error(&admin, Method::PUT, &path, &sneaky, StatusCode::UNPROCESSABLE_ENTITY, "invalid_request").await;
}

/// Staff notices are e-mailed to `users.email`: admins set it when creating or editing an
/// account, an empty field removes it, and a bad address is refused on its field.
#[tokio::test]
async fn an_admin_sets_and_clears_a_staff_members_email() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let college = school.colleges[0].id;
    let body = json!({"username": "wang", "display_name": "王老师", "role": "counselor", "college_id": college,
        "email": " wang@example.edu.cn "});
    let created: CreatedAccount = app.send_ok(&admin, Method::POST, "/api/users", &body).await;
    assert_eq!(created.user.email.as_deref(), Some("wang@example.edu.cn"));
    let stored: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE id = $1")
        .bind(created.user.id)
        .fetch_one(&app.db.read)
        .await
        .unwrap();
    assert_eq!(stored.as_deref(), Some("wang@example.edu.cn"), "where the notices go");

    let path = format!("/api/users/{}", created.user.id);
    let update =
        |email: &str| json!({"display_name": "王老师", "role": "counselor", "college_id": college, "email": email});
    let error = app
        .send_error(
            &admin,
            Method::PUT,
            &path,
            &update("wang at school"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
    assert!(error.fields["email"].contains("电子邮箱"), "{error:?}");
    let changed: UserAccount = app.send_ok(&admin, Method::PUT, &path, &update("wang.l@example.edu.cn")).await;
    assert_eq!(changed.email.as_deref(), Some("wang.l@example.edu.cn"));
    let cleared: UserAccount = app.send_ok(&admin, Method::PUT, &path, &update("")).await;
    assert_eq!(cleared.email, None);
    let listed: Vec<UserAccount> = app.get_json(&admin, "/api/users?q=wang").await;
    assert_eq!(listed[0].email, None);
}

#[tokio::test]
async fn account_fields_are_checked() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let college = school.colleges[0].id;
    let cases = [
        (json!({"username": "a", "display_name": "A", "role": "counselor", "college_id": college}), "username"),
        (
            json!({"username": "counselor1a", "display_name": "A", "role": "counselor", "college_id": college}),
            "username",
        ),
        (json!({"username": "new one", "display_name": "A", "role": "counselor", "college_id": college}), "username"),
        (json!({"username": "ok", "display_name": "", "role": "counselor", "college_id": college}), "display_name"),
        (json!({"username": "ok", "display_name": "A", "role": "admin", "college_id": college}), "college_id"),
        (json!({"username": "ok", "display_name": "A", "role": "counselor", "college_id": 999999}), "college_id"),
        (json!({"username": "ok", "display_name": "A", "role": "college_leader"}), "college_id"),
        (json!({"username": "ok", "display_name": "A", "role": "admin", "email": "not an address"}), "email"),
        (json!({"username": "ok", "display_name": "A", "role": "admin", "email": "wang@"}), "email"),
    ];
    for (body, field) in cases {
        let error = app
            .send_error(&admin, Method::POST, "/api/users", &body, StatusCode::UNPROCESSABLE_ENTITY, "validation")
            .await;
        assert_eq!(error.fields.keys().collect::<Vec<_>>(), [field], "{body}");
    }
    let with_password = json!({"username": "ok", "display_name": "A", "role": "admin", "password": "x"});
    app.send_error(
        &admin,
        Method::POST,
        "/api/users",
        &with_password,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid_request",
    )
    .await;
    assert_eq!(app.row_count("users").await, 9, "nothing was created");
}

#[tokio::test]
async fn admins_search_and_filter_and_a_college_leader_reads_their_college() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let [first, second] = &school.colleges;
    let names = |list: Vec<UserAccount>| list.into_iter().map(|u| u.username).collect::<Vec<_>>();
    assert_eq!(app.get_json::<Vec<UserAccount>>(&admin, "/api/users").await.len(), 9);
    let mut found = names(app.get_json(&admin, "/api/users?q=COUNSELOR1").await);
    found.sort();
    assert_eq!(found, ["counselor1a", "counselor1b"]);
    assert_eq!(names(app.get_json(&admin, "/api/users?role=class_advisor").await).len(), 2);
    let path = format!("/api/users?college_id={}&role=college_leader", second.id);
    assert_eq!(names(app.get_json(&admin, &path).await), ["leader2"]);

    let leader = app.signed_in(&first.leader).await;
    let theirs: Vec<UserAccount> = app.get_json(&leader, "/api/users").await;
    assert_eq!(theirs.len(), 4);
    assert!(theirs.iter().all(|u| u.college_id == Some(first.id)), "{theirs:?}");
    let other = format!("/api/users?college_id={}", second.id);
    app.get_error(&leader, &other, StatusCode::FORBIDDEN, "forbidden").await;
    let body = json!({"username": "x1", "display_name": "X", "role": "counselor", "college_id": first.id});
    app.send_error(&leader, Method::POST, "/api/users", &body, StatusCode::FORBIDDEN, "forbidden").await;
    let path = format!("/api/users/{}/disable", first.classes[0].counselor.id);
    app.send_error(&leader, Method::POST, &path, &json!({}), StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn counselors_advisors_and_strangers_cannot_reach_user_routes() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let target = school.colleges[0].classes[1].counselor.id;
    let body = json!({"username": "x1", "display_name": "X", "role": "counselor", "college_id": school.colleges[0].id});
    let update = json!({"display_name": "X", "role": "admin", "college_id": null});
    let routes = [
        (Method::GET, "/api/users".to_string(), json!(null)),
        (Method::GET, "/api/staff".to_string(), json!(null)),
        (Method::POST, "/api/users".to_string(), body),
        (Method::PUT, format!("/api/users/{target}"), update),
        (Method::POST, format!("/api/users/{target}/disable"), json!({})),
        (Method::POST, format!("/api/users/{target}/enable"), json!({})),
        (Method::POST, format!("/api/users/{target}/activation"), json!({})),
    ];
    let college = &school.colleges[0];
    for account in [&college.classes[0].counselor, &college.advisor] {
        let client = app.signed_in(account).await;
        for (method, path, body) in &routes {
            app.send_error(&client, method.clone(), path, body, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    let anonymous = app.client();
    for (method, path, body) in &routes {
        app.send_error(&anonymous, method.clone(), path, body, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
}

#[tokio::test]
async fn an_admin_issues_links_to_every_account_of_a_college_not_yet_activated() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let admin = app.signed_in(&school.admin).await;
    let (first, second) = (school.colleges[0].id, school.colleges[1].id);
    let mut made = Vec::new();
    for (username, college) in [("qian", first), ("sun", first), ("li", second)] {
        let body = json!({"username": username, "display_name": username, "role": "counselor", "college_id": college});
        made.push(app.send_ok::<CreatedAccount>(&admin, Method::POST, "/api/users", &body).await);
    }
    // "Not activated" lists exactly those waiting, college by college.
    let pending: Vec<UserAccount> = app.get_json(&admin, &format!("/api/users?pending=true&college_id={first}")).await;
    let names: Vec<&str> = pending.iter().map(|u| u.username.as_str()).collect();
    assert_eq!(names, ["qian", "sun"], "the seeded staff are active; the other college's is not listed");
    assert!(pending.iter().all(|u| u.status == AccountStatus::Pending));

    let issued: Vec<CreatedAccount> =
        app.send_ok(&admin, Method::POST, "/api/users/activation-links", &json!({ "college_id": first })).await;
    let names: Vec<&str> = issued.iter().map(|a| a.user.username.as_str()).collect();
    assert_eq!(names, ["qian", "sun"]);
    // The links sent before stop working; the new ones activate.
    let old = activate(&app, &token_of(&made[0].activation), NEW_PASSWORD).await;
    assert_eq!(old.status(), StatusCode::UNPROCESSABLE_ENTITY, "the earlier link is void");
    for a in &issued {
        assert_eq!(activate(&app, &token_of(&a.activation), NEW_PASSWORD).await.status(), StatusCode::OK);
    }
    let pending: Vec<UserAccount> = app.get_json(&admin, &format!("/api/users?pending=true&college_id={first}")).await;
    assert!(pending.is_empty(), "{pending:?}");
    // Without a college: the whole school's (here the other college's one account).
    let issued: Vec<CreatedAccount> =
        app.send_ok(&admin, Method::POST, "/api/users/activation-links", &json!({})).await;
    assert_eq!(issued.iter().map(|a| a.user.username.as_str()).collect::<Vec<_>>(), ["li"]);
    let audit: i64 =
        app.query_i64("SELECT COUNT(*) FROM audit_log WHERE action = 'account' AND fields = 'activation'").await;
    assert_eq!(audit, 2, "each batch is audited");

    // A college leader may read the list, not issue links.
    let leader = app.signed_in(&school.colleges[0].leader).await;
    let body = json!({ "college_id": first });
    let response = app.send(&leader, Method::POST, "/api/users/activation-links", Some(&body)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
