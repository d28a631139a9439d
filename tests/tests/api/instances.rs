//! Two instances of the server on one database, as behind a load balancer: whatever one does,
//! the other sees — sessions, sign-outs, data and the counts that limit guessing.

use reqwest::{Client, Method, StatusCode};
use shared::campaigns::Campaign;
use tests::{cookie_pair, error_body, set_cookie, spawn_app_with, TestApp};

/// A client that sends this cookie and keeps none: the same browser, whichever instance the
/// balancer picks.
fn browser(cookie: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().expect("a cookie header"));
    Client::builder().default_headers(headers).build().expect("a client")
}

async fn me(app: &TestApp, client: &Client) -> StatusCode {
    app.get(client, "/api/auth/me").await.status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_sessions_data_sign_outs_and_limits() {
    let one = spawn_app_with(|config| config.login_backoff_ms = 1).await;
    let two = one.spawn_peer().await;
    assert_ne!(one.address, two.address);
    let school = one.seed_school().await;
    let admin = &school.admin;

    // Signed in on one, known on the other.
    let response = one.login(&Client::new(), &admin.username, &admin.password).await;
    assert_eq!(response.status(), StatusCode::OK);
    let client = browser(&cookie_pair(&set_cookie(&response)));
    assert_eq!(me(&two, &client).await, StatusCode::OK);

    // Written on one, read on the other, in both directions.
    let made: Campaign = one.send_ok(&client, Method::POST, "/api/campaigns", &tests::campaign_input("寒假家访")).await;
    let listed: Vec<Campaign> = two.get_json(&client, "/api/campaigns").await;
    assert!(listed.iter().any(|c| c.id == made.id && c.name == "寒假家访"), "{listed:?}");
    let other: Campaign =
        two.send_ok(&client, Method::POST, "/api/campaigns", &tests::campaign_input("暑假家访")).await;
    let listed: Vec<Campaign> = one.get_json(&client, "/api/campaigns").await;
    assert!(listed.iter().any(|c| c.id == other.id), "{listed:?}");

    // Signed out on the other: the session ends on both.
    let response = client.post(two.url("/api/auth/logout")).send().await.expect("signing out");
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(me(&one, &client).await, StatusCode::UNAUTHORIZED);
    assert_eq!(me(&two, &client).await, StatusCode::UNAUTHORIZED);

    // Guesses count across instances: five wrong on each lock the account (ten allowed) on both.
    let leader = &school.colleges[0].leader;
    for (n, app) in [&one, &two].into_iter().cycle().take(10).enumerate() {
        let (status, error) = error_body(app.login(&Client::new(), &leader.username, "a wrong guess").await).await;
        assert_eq!((status, error.code.as_str()), (StatusCode::UNAUTHORIZED, "wrong_credentials"), "guess {n}");
    }
    for app in [&one, &two] {
        let response = app.login(&Client::new(), &leader.username, &leader.password).await;
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS, "locked on {}", app.address);
    }

    // Family link guessing, limited per address, counts across instances too.
    let limit = one.config.family_limit_per_address.max as usize;
    for (n, app) in [&one, &two].into_iter().cycle().take(limit).enumerate() {
        let body = serde_json::json!({ "token": format!("guess-{n}") });
        let status = app.post_json(&Client::new(), "/api/family/enter", &body).await.status();
        assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "guess {n} of {limit}");
    }
    for app in [&one, &two] {
        let body = serde_json::json!({ "token": "one more" });
        let status = app.post_json(&Client::new(), "/api/family/enter", &body).await.status();
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "on {}", app.address);
    }
}
