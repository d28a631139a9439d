//! Family links over HTTP: the class link and every family's, issuing and revoking them, and
//! the class link's QR code. What a link is and how it is kept: `crate::meetings::links`.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use shared::meetings::{LinkInfo, Links};
use shared::GuardianId;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::db::now;
use crate::error::{Error, Json, Path, Result};
use crate::meetings::{self, links};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_links, issue_links)).routes(routes!(revoke_link)).routes(routes!(class_qr))
}

/// `https://host/f#t=…` or `…#c=…`: the scheme follows the cookie setting, the host the request.
pub fn url_of(state: &AppState, headers: &HeaderMap, nonce: &str, class_link: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let scheme = if state.config.session.secure { "https" } else { "http" };
    links::family_url(&format!("{scheme}://{host}"), &state.config.secret, nonce, class_link)
}

async fn load(state: &AppState, headers: &HeaderMap, meeting_id: i64) -> Result<Links> {
    let rows = links::of_meeting(&state.db, meeting_id).await?;
    let at = now();
    let mut links = Links { class_link: None, families: Vec::new() };
    for r in rows {
        let active = r.revoked_at.is_none() && r.expires_at > at;
        let info = LinkInfo {
            id: r.id,
            guardian_id: r.guardian_id.map(GuardianId),
            student_name: r.student_name,
            guardian_name: r.guardian_name,
            relation: r.relation,
            url: active.then(|| url_of(state, headers, &r.nonce, r.guardian_id.is_none())),
            expires_at: r.expires_at,
            revoked: r.revoked_at.is_some(),
        };
        match r.guardian_id {
            // The newest active class link wins; older ones are revoked when a new one is made.
            None if active || links.class_link.is_none() => links.class_link = Some(info),
            None => {}
            Some(_) => links.families.push(info),
        }
    }
    Ok(links)
}

/// The class link and every family's links, with the addresses of the active ones.
#[utoipa::path(get, path = "/api/meetings/{id}/links", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Links), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn list_links(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Links>> {
    meetings::visible(&state.db, &user, id).await?;
    Ok(Json(load(&state, &headers, id).await?))
}

/// Gives every guardian of the class without an active link a new one (with an invitation in
/// the outbox), and the class a link if it has none.
#[utoipa::path(post, path = "/api/meetings/{id}/links", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = Links), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn issue_links(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<Links>> {
    let meeting = meetings::visible(&state.db, &user, id).await?;
    links::issue(&state.db, &state.config.secret, id, meeting.class_id).await?;
    Ok(Json(load(&state, &headers, id).await?))
}

/// Revokes a link at once: it no longer opens, and the family sessions opened with it end.
#[utoipa::path(post, path = "/api/meetings/{id}/links/{link_id}/revoke", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id"), ("link_id" = i64, Path, description = "Link id")),
    responses((status = 200, body = Links), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn revoke_link(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path((id, link_id)): Path<(i64, i64)>,
) -> Result<Json<Links>> {
    meetings::visible(&state.db, &user, id).await?;
    links::revoke(&state.db, id, link_id).await?;
    Ok(Json(load(&state, &headers, id).await?))
}

/// The class link as a QR code (SVG: sharp at any print size).
#[utoipa::path(get, path = "/api/meetings/{id}/qr.svg", tag = "meetings",
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn class_qr(
    State(state): State<AppState>,
    user: StaffUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response> {
    meetings::visible(&state.db, &user, id).await?;
    let url = load(&state, &headers, id).await?.class_link.and_then(|l| l.url).ok_or(Error::NotFound)?;
    let svg = crate::qr::svg(&url, 320)?;
    let mut response = svg.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    Ok(response)
}
