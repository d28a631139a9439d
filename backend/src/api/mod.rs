//! The JSON API under `/api`: one router per resource, merged here, and the OpenAPI document
//! generated from the same handlers.

pub mod activation;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod classes;
pub mod colleges;
pub mod dashboard;
pub mod family;
pub mod form;
pub mod guardians;
pub mod health;
pub mod imports;
pub mod meetings;
pub mod org_edit;
pub mod staff;
pub mod student_export;
pub mod students;
pub mod teams;
pub mod totp;
pub mod users;
pub mod visits;

use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::Error;
use crate::AppState;

#[derive(OpenApi)]
#[openapi(
    info(title = "Jiafang API", description = "家访 — home–school collaboration for universities"),
    components(schemas(shared::ApiError))
)]
struct ApiDoc;

pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(auth::router())
        .merge(totp::router())
        .merge(colleges::router())
        .merge(classes::router())
        .merge(student_export::router())
        .merge(students::router())
        .merge(imports::router())
        .merge(meetings::router())
        .merge(family::router())
        .merge(visits::router())
        .merge(campaigns::router())
        .merge(dashboard::router())
        .merge(teams::router())
        .merge(users::router())
        .merge(activation::router())
        .merge(staff::router())
        .merge(org_edit::router())
        .merge(guardians::router())
        .merge(audit::router())
        .split_for_parts();
    let document = openapi.clone();
    let router = router
        .route("/api/openapi.json", get(move || async move { axum::Json(document) }))
        .route("/api/{*rest}", axum::routing::any(|| async { Error::NotFound }))
        .method_not_allowed_fallback(|| async { Error::NotFound });
    (router, openapi)
}
