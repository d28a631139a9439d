//! The public system endpoints: health and the API description.

use serde_json::Value;
use shared::Health;
use tests::{expected_database, spawn_app};

#[tokio::test]
async fn health_names_the_database_in_use() {
    let app = spawn_app().await;
    let health: Health = app.get_json(&app.client(), "/api/health").await;
    assert_eq!(health, Health { status: "ok".into(), database: expected_database().into() });
    let raw: Value = app.get_json(&app.client(), "/api/health").await;
    assert_eq!(raw, serde_json::json!({ "status": "ok", "database": expected_database() }));
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app().await;
    let document: Value = app.get_json(&app.client(), "/api/openapi.json").await;
    assert!(document["openapi"].as_str().is_some_and(|v| v.starts_with('3')), "{document}");
    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/api/health",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/me",
        "/api/colleges",
        "/api/colleges/{id}/classes",
        "/api/classes/{id}",
        "/api/students",
        "/api/students/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} missing from {:?}", paths.keys().collect::<Vec<_>>());
    }
    assert!(document["paths"]["/api/students/{id}"]["get"]["responses"]["403"].is_object());
    assert!(document["components"]["schemas"]["ApiError"].is_object());
}

#[tokio::test]
async fn the_server_stops_when_asked() {
    let app = spawn_app().await;
    let address = app.url("/api/health");
    app.stop().await;
    assert!(reqwest::get(&address).await.is_err(), "nothing listens any more");
}
