//! The Jiafang server as a library: `serve` runs it on a listener the caller bound (tests bind
//! port 0), the binary in `main.rs` only reads the command line.

pub mod api;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod campaigns;
pub mod cli;
pub mod config;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod error;
pub mod family;
pub mod form;
pub mod i18n;
pub mod import;
pub mod logging;
pub mod meetings;
pub mod notify;
pub mod org;
pub mod privacy;
pub mod qr;
pub mod retention;
pub mod secret;
pub mod security;
pub mod users;
pub mod visits;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request};
use axum::Router;
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use db::Db;

/// What every handler can reach. Nothing here is state a second instance would need: sessions,
/// attempt counts and data all live in the database.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// The delivery channels the operator configured (none: nothing is sent).
    pub channels: Arc<notify::Channels>,
    /// Password hashing, a few at a time (this instance's cores).
    pub hashing: Arc<auth::password::Gate>,
}

/// Builds the whole application: API, static files and the layers around them.
pub fn app(state: AppState) -> anyhow::Result<Router> {
    let (api, _openapi) = api::router();
    let start_pages = state.config.static_dir.as_deref().map(web::start_pages);
    let csp = security::content_security_policy(start_pages.as_deref());
    let headers = security::Headers { csp: Arc::new(HeaderValue::from_str(&csp)?) };

    let mut router = api.with_state(state.clone());
    if let Some(dir) = &state.config.static_dir {
        router = router.merge(web::router(dir));
    }
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    Ok(router
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(axum::middleware::from_fn(security::same_origin_writes))
        .layer(axum::middleware::from_fn(i18n::middleware))
        .layer(axum::middleware::from_fn_with_state(headers, security::headers))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(),
                request_id = %id, user_id = tracing::field::Empty)
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid)))
}

/// Connects to the database, applies migrations, seals TOTP secrets still in the clear and serves
/// until `shutdown` completes.
pub async fn serve(
    config: Config,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    config.check()?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    auth::second_factor::seal_stored(&db, &config.secret).await?;
    let channels = Arc::new(config.channels.channels()?);
    let hashing = Arc::new(auth::password::Gate::per_core(config.hash_queue_depth));
    let (stop_worker, stopped) = tokio::sync::watch::channel(false);
    let worker = channels.any().then(|| {
        let worker = notify::worker::Worker {
            db: db.clone(),
            channels: channels.clone(),
            secret: config.secret.clone(),
            public_url: config.channels.public_url.clone().unwrap_or_default(),
            reminder_hour: config.channels.reminder_hour,
            pacing: config.channels.pacing.clone(),
        };
        tokio::spawn(worker.run(stopped))
    });
    if !channels.any() {
        tracing::info!("no delivery channel configured: messages stay in the outbox for export");
    }
    let retention = config
        .retention_hour
        .map(|hour| tokio::spawn(retention::job::run_daily(db.clone(), hour, stop_worker.subscribe())));
    let state = AppState { db: db.clone(), config: Arc::new(config), channels, hashing };
    let app = app(state)?;
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await;
    // The worker finishes the message in hand and stops before the pools close.
    let _ = stop_worker.send(true);
    for task in [worker, retention].into_iter().flatten() {
        let _ = task.await;
    }
    served?;
    db.close().await;
    Ok(())
}
