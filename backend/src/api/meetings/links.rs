//! The links that let families in without an account: a personal link per guardian and one
//! class link (with its QR code) where a parent identifies with the student number and the last
//! four digits of the phone on file.
//!
//! Links look like `/f#t=<token>` (personal) and `/f#c=<token>` (class): the token travels in the
//! URL's fragment, which browsers never send to a server, so it appears in no access log, proxy
//! log or `Referer` header, not even ours; the page reads it, exchanges it for a family session
//! with a POST and then replaces the address with a clean `/f`.
//!
//! A token is 256 bits: the HMAC of a random 128-bit nonce under the server's secret. The
//! database keeps the nonce and the token's SHA-256 (for lookup), never the token.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rand::RngCore;
use shared::meetings::{LinkInfo, Links, MessageKind};
use sqlx::AnyConnection;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::visible_meeting;
use crate::auth::session::hash_token;
use crate::auth::StaffUser;
use crate::db::now;
use crate::error::{Error, Json, Path, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_links, issue_links)).routes(routes!(revoke_link)).routes(routes!(class_qr))
}

/// Links of a meeting without a campaign stay valid this long after it ends (for feedback).
const DAYS_AFTER_MEETING: i64 = 14;
const TOKEN_PURPOSE: &str = "jiafang family link";

pub fn token_of(state: &AppState, nonce: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(state.config.secret.derive(TOKEN_PURPOSE, nonce.as_bytes()))
}

/// `https://host/f#t=…` or `…#c=…`: the scheme follows the cookie setting, the host the request.
pub fn url_of(state: &AppState, headers: &HeaderMap, nonce: &str, class_link: bool) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let scheme = if state.config.session.secure { "https" } else { "http" };
    let kind = if class_link { 'c' } else { 't' };
    format!("{scheme}://{host}/f#{kind}={}", token_of(state, nonce))
}

/// When the meeting's links stop working: the end of its campaign's last day (Shanghai time),
/// else some days after the meeting; never before the meeting ends.
pub async fn expiry(conn: &mut AnyConnection, meeting_id: i64) -> Result<i64> {
    let (ends_at, campaign_end): (i64, Option<String>) = sqlx::query_as(
        "SELECT m.ends_at, c.ends_on FROM meetings m LEFT JOIN campaigns c ON c.id = m.campaign_id WHERE m.id = $1",
    )
    .bind(meeting_id)
    .fetch_one(&mut *conn)
    .await?;
    let campaign_end = campaign_end.and_then(|d| shared::meetings::from_local_input(&format!("{d}T23:59:59")));
    Ok(match campaign_end {
        Some(end) => end.max(ends_at),
        None => ends_at + DAYS_AFTER_MEETING * 86_400,
    })
}

/// Creates a link (a guardian's, or the class's with `None`); returns its id.
async fn create(state: &AppState, conn: &mut AnyConnection, meeting_id: i64, guardian_id: Option<i64>) -> Result<i64> {
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let nonce = hex::encode(bytes);
    let expires_at = expiry(conn, meeting_id).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO meeting_links (meeting_id, guardian_id, nonce, token_hash, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(meeting_id)
    .bind(guardian_id)
    .bind(nonce.clone())
    .bind(hash_token(&token_of(state, &nonce)))
    .bind(now())
    .bind(expires_at)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    id: i64,
    guardian_id: Option<i64>,
    guardian_name: Option<String>,
    relation: Option<String>,
    student_name: Option<String>,
    nonce: String,
    expires_at: i64,
    revoked_at: Option<i64>,
}

async fn load(state: &AppState, headers: &HeaderMap, meeting_id: i64) -> Result<Links> {
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT l.id, l.guardian_id, g.name AS guardian_name, g.relation, s.name AS student_name, l.nonce, \
                l.expires_at, l.revoked_at \
         FROM meeting_links l LEFT JOIN guardians g ON g.id = l.guardian_id LEFT JOIN students s ON s.id = g.student_id \
         WHERE l.meeting_id = $1 ORDER BY s.name, g.position, l.id",
    )
    .bind(meeting_id)
    .fetch_all(&state.db.read)
    .await?;
    let at = now();
    let mut links = Links { class_link: None, families: Vec::new() };
    for r in rows {
        let active = r.revoked_at.is_none() && r.expires_at > at;
        let info = LinkInfo {
            id: r.id,
            guardian_id: r.guardian_id,
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
    visible_meeting(&state, &user, id).await?;
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
    let meeting = visible_meeting(&state, &user, id).await?;
    let at = now();
    let mut tx = state.db.write.begin().await?;
    let without: Vec<i64> = sqlx::query_scalar(
        "SELECT g.id FROM guardians g JOIN students s ON s.id = g.student_id WHERE s.class_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM meeting_links l WHERE l.guardian_id = g.id AND l.meeting_id = $2 \
                         AND l.revoked_at IS NULL AND l.expires_at > $3) ORDER BY s.name, g.position",
    )
    .bind(meeting.class_id)
    .bind(id)
    .bind(at)
    .fetch_all(&mut *tx)
    .await?;
    for guardian_id in without {
        let link_id = create(&state, &mut tx, id, Some(guardian_id)).await?;
        super::outbox::queue_with_link(&mut tx, id, guardian_id, MessageKind::Invitation, Some(link_id)).await?;
    }
    let class_links: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM meeting_links WHERE meeting_id = $1 AND guardian_id IS NULL \
         AND revoked_at IS NULL AND expires_at > $2",
    )
    .bind(id)
    .bind(at)
    .fetch_one(&mut *tx)
    .await?;
    if class_links == 0 {
        create(&state, &mut tx, id, None).await?;
    }
    tx.commit().await?;
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
    visible_meeting(&state, &user, id).await?;
    let mut tx = state.db.write.begin().await?;
    let done =
        sqlx::query("UPDATE meeting_links SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 AND meeting_id = $3")
            .bind(now())
            .bind(link_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    sqlx::query("DELETE FROM family_sessions WHERE link_id = $1").bind(link_id).execute(&mut *tx).await?;
    tx.commit().await?;
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
    visible_meeting(&state, &user, id).await?;
    let url = load(&state, &headers, id).await?.class_link.and_then(|l| l.url).ok_or(Error::NotFound)?;
    let svg = crate::qr::svg(&url, 320)?;
    let mut response = svg.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    Ok(response)
}
