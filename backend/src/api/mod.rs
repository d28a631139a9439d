//! The JSON API under `/api`: one router per resource, merged here, and the OpenAPI document
//! generated from the same handlers.

pub mod account;
pub mod activation;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod classes;
pub mod colleges;
pub mod dashboard;
pub mod family;
pub mod guardians;
pub mod health;
pub mod imports;
pub mod meetings;
pub mod messages;
pub mod org_edit;
pub mod retention;
pub mod settings;
pub mod staff;
pub mod student_export;
pub mod students;
pub mod teams;
pub mod totp;
pub mod users;
pub mod visits;

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::error::Error;
use crate::AppState;

/// The content type of the xlsx files the API hands out.
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An xlsx file answered as a download named `filename`.
pub(crate) fn xlsx_download(filename: &str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{filename}\"");
    ([(header::CONTENT_TYPE, XLSX.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response()
}

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
        .merge(messages::router())
        .merge(family::router())
        .merge(visits::router())
        .merge(campaigns::router())
        .merge(dashboard::router())
        .merge(teams::router())
        .merge(users::router())
        .merge(activation::router())
        .merge(account::router())
        .merge(staff::router())
        .merge(org_edit::router())
        .merge(guardians::router())
        .merge(audit::router())
        .merge(settings::router())
        .merge(retention::router())
        .split_for_parts();
    let mut openapi = openapi;
    document_common_errors(&mut openapi);
    let document = openapi.clone();
    let router = router
        .route("/api/openapi.json", get(move || async move { axum::Json(document) }))
        .route("/api/{*rest}", axum::routing::any(|| async { Error::NotFound }))
        .method_not_allowed_fallback(|| async { method_not_allowed() });
    (router, openapi)
}

/// A method the route does not have: 405 (axum adds the `Allow` header) in the error shape.
fn method_not_allowed() -> Error {
    let message = crate::i18n::Msg::new("不支持该请求方法", "This method is not supported here");
    Error::Status { status: axum::http::StatusCode::METHOD_NOT_ALLOWED, code: "method_not_allowed", message }
}

/// Answers every operation can give without each handler listing them: a request whose query,
/// path or body cannot be read is 422 (`Json`, `Query`), a malformed or unknown id in the path
/// 404 (`Path`), a body over the limit 413, a signed-in caller whose role may not use it 403. Added to the document so that it describes every
/// answer the API really gives (schemathesis checks each answer against it).
fn document_common_errors(openapi: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |description: &str| {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build();
        ResponseBuilder::new().description(description).content("application/json", content).build()
    };
    for (path, item) in openapi.paths.paths.iter_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            let has_body = operation.request_body.is_some();
            let has_query = operation.parameters.iter().flatten().any(
                |p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)),
            );
            let responses = &mut operation.responses.responses;
            if has_body || has_query {
                responses.entry("422".into()).or_insert_with(|| error("The request could not be read").into());
            }
            if has_body {
                responses.entry("413".into()).or_insert_with(|| error("The body is over the size limit").into());
            }
            if path.contains('{') {
                responses.entry("404".into()).or_insert_with(|| error("Not found").into());
            }
            // Every route that needs a session may refuse the caller's role: service staff reach
            // only their referrals (`auth::extract`), admins nothing before two-step verification.
            if responses.contains_key("401") {
                responses.entry("403".into()).or_insert_with(|| error("Not allowed for this account").into());
            }
        }
    }
}
