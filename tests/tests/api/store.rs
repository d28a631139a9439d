//! The store under load and across restarts: concurrent writes queue instead of failing, and
//! migrations apply once.

use reqwest::StatusCode;
use shared::Role;
use tests::spawn_app;
use tokio::task::JoinSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_sign_ins_and_audited_reads_all_succeed() {
    let app = spawn_app().await;
    let school = app.seed_school().await;
    let mut usernames = Vec::new();
    for n in 0..10 {
        let username = format!("staff{n}");
        // Counselors: admins would need a two-step code, and each code signs in only once.
        app.add_user(&username, Role::Counselor, None).await;
        usernames.push(username);
    }
    let admin = app.signed_in(&school.admin).await;
    let student = school.colleges[0].classes[0].students[0].id;

    let mut tasks = JoinSet::new();
    for i in 0..50 {
        let (client, url) = (app.client(), app.url("/api/auth/login"));
        let body = serde_json::json!({ "username": usernames[i % usernames.len()], "password": tests::PASSWORD });
        tasks.spawn(async move {
            let response = client.post(url).json(&body).send().await.expect("sign-in request");
            (response.status(), response.text().await.unwrap_or_default())
        });
    }
    // Each read of a student's page writes an audit row, so these are writes too.
    for _ in 0..20 {
        let (client, url) = (admin.clone(), app.url(&format!("/api/students/{student}")));
        tasks.spawn(async move {
            let response = client.get(url).send().await.expect("student request");
            (response.status(), response.text().await.unwrap_or_default())
        });
    }
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("a request task");
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    assert_eq!(app.row_count("sessions").await, 51);
    assert_eq!(app.row_count("audit_log").await, 20);
}

#[tokio::test]
async fn migrations_are_idempotent_and_keep_the_data() {
    let app = spawn_app().await;
    let college = app.add_college("文学院").await;
    app.db.migrate().await.expect("a second migration");
    app.db.migrate().await.expect("a third migration");

    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    let mut unique = versions.clone();
    unique.dedup();
    assert_eq!(versions, unique, "each migration is recorded once");
    assert!(!versions.is_empty());
    assert_eq!(app.add_college("文学院").await, college, "the data survived");

    // A second server on the same database starts cleanly too.
    let again = backend::Db::connect(&app.db_url).await.expect("a second connection");
    again.migrate().await.expect("migrating from a second instance");
    again.close().await;
}

/// Transactions sent at once to the store (on SQLite committed in groups by the writer thread):
/// each caller gets its own outcome, a failed one leaves nothing behind, and the others that
/// shared its group are kept — exactly once each, though the group ran them again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn transactions_sent_at_once_commit_or_fail_each_on_its_own() {
    let app = spawn_app().await;
    let mut tasks = JoinSet::new();
    for i in 0..120_i64 {
        let db = app.db.clone();
        tasks.spawn(async move {
            let outcome = db
                .transaction(move |tx| {
                    Box::pin(async move {
                        sqlx::query("INSERT INTO colleges (name, created_at) VALUES ($1, 0)")
                            .bind(format!("学院{i:03}"))
                            .execute(&mut *tx)
                            .await?;
                        if i % 7 == 3 {
                            // Fails after writing: its row must go.
                            return Err(backend::error::Error::Internal(anyhow::anyhow!("failed on purpose")));
                        }
                        Ok(i)
                    })
                })
                .await;
            (i, outcome.ok())
        });
    }
    while let Some(joined) = tasks.join_next().await {
        let (i, outcome) = joined.expect("a task");
        assert_eq!(outcome, (i % 7 != 3).then_some(i), "transaction {i}");
    }
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM colleges WHERE name LIKE '学院%' ORDER BY name")
        .fetch_all(&app.db.read)
        .await
        .unwrap();
    let mut expected: Vec<String> = (0..120).filter(|i| i % 7 != 3).map(|i| format!("学院{i:03}")).collect();
    expected.sort();
    assert_eq!(names, expected);
}
