//! Parents (家长) without accounts: a family link, or the class link plus the student number and
//! the last four digits of the phone on file, is exchanged for a family session — a cookie of
//! its own (`jf_family`), never the staff cookie — that ends with the link.
//!
//! Guesses (unknown, revoked or expired tokens, wrong identification) are counted per address,
//! and identification also per student (named by number or by name), in the database (`crate::auth::limits`): 429.
//! A try at a student's identification is counted before it is checked and taken back only if
//! it was right, so a burst of parallel guesses gets no more tries than the limit; a right
//! answer does not wipe the student's count of wrong ones.

mod ics;
mod opt_out;
mod page;
mod privacy;
pub mod session;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::meetings::{ClassLinkInfo, EnterRequest, IdentifyRequest};
use shared::PhoneNumber;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::limits::{self, Limit};
use crate::auth::session::hash_token;
use crate::db::now;
use crate::error::{Error, Json, Result};
pub use crate::family::Family;
use crate::family::{self, LinkRow};
use crate::i18n::Msg;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enter))
        .routes(routes!(identify))
        .routes(routes!(class_link))
        .routes(routes!(logout))
        .merge(page::router())
        .merge(privacy::router())
        .merge(opt_out::router())
        .merge(ics::router())
}

/// Tries at one student's identification, from anywhere.
pub const PER_STUDENT: Limit = Limit { max: 10, window_secs: 3600 };

fn invalid() -> Error {
    Error::Status {
        status: StatusCode::NOT_FOUND,
        code: "link_invalid",
        message: Msg::new(
            "链接无效。请核对链接是否完整，或向班主任索取新的链接。",
            "This link is not valid. Check that it is complete, or ask the class advisor for a new one.",
        ),
    }
}

/// Finds an active link by its token; every failure counts as a guess from this address.
async fn find_link(state: &AppState, address_key: &str, token: &str, class_link: bool) -> Result<LinkRow> {
    limits::check(&state.db, address_key, state.config.family_limit_per_address).await?;
    let token = token.trim();
    let row: Option<LinkRow> = if token.is_empty() || token.len() > 100 {
        None
    } else {
        family::link_by_hash(&state.db, &hash_token(token)).await?
    };
    let problem = match &row {
        None => Some(invalid()),
        Some(r) if r.guardian_id.is_some() == class_link => Some(invalid()),
        Some(r) if r.revoked_at.is_some() => Some(Error::Status {
            status: StatusCode::GONE,
            code: "link_revoked",
            message: Msg::new(
                "此链接已被学校收回。请向班主任索取新的链接。",
                "The school has withdrawn this link. Ask the class advisor for a new one.",
            ),
        }),
        Some(r) if r.expires_at <= now() => Some(Error::Status {
            status: StatusCode::GONE,
            code: "link_expired",
            message: Msg::new(
                "此链接已过期。如仍需报名，请联系班主任。",
                "This link has expired. Contact the class advisor if you still need to answer.",
            ),
        }),
        Some(_) => None,
    };
    match (problem, row) {
        (None, Some(row)) => Ok(row),
        (problem, _) => {
            limits::record(&state.db, address_key).await?;
            Err(problem.unwrap_or_else(invalid))
        }
    }
}

fn address_key(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    crate::api::auth::address_key(state, headers, peer, "family")
}

async fn signed_in(state: &AppState, link: &LinkRow, guardian_id: i64) -> Result<Response> {
    let token = session::create(state, link, guardian_id).await?;
    let page =
        family::page::load(state, &Family::load_by_guardian(&state.db, guardian_id, link.meeting_id).await?).await?;
    let mut response = Json(page).into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::set_cookie(state, &token, link.expires_at));
    Ok(response)
}

/// Opens a family's personal link: starts a family session.
#[utoipa::path(post, path = "/api/family/enter", tag = "family", request_body = EnterRequest,
    responses((status = 200, body = shared::meetings::FamilyPage), (status = 404, body = shared::ApiError),
              (status = 410, body = shared::ApiError), (status = 422, body = shared::ApiError),
              (status = 429, body = shared::ApiError)))]
async fn enter(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<EnterRequest>,
) -> Result<Response> {
    let key = address_key(&state, &headers, peer);
    let link = find_link(&state, &key, &body.token, false).await?;
    let guardian_id = link.guardian_id.ok_or_else(invalid)?;
    signed_in(&state, &link, guardian_id).await
}

/// What a class link is for, before the parent identifies.
#[utoipa::path(post, path = "/api/family/class", tag = "family", request_body = EnterRequest,
    responses((status = 200, body = ClassLinkInfo), (status = 404, body = shared::ApiError),
              (status = 410, body = shared::ApiError), (status = 429, body = shared::ApiError)))]
async fn class_link(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<EnterRequest>,
) -> Result<Json<ClassLinkInfo>> {
    let key = address_key(&state, &headers, peer);
    let link = find_link(&state, &key, &body.token, true).await?;
    let (class_name, theme) = family::class_and_theme(&state.db, link.meeting_id).await?;
    Ok(Json(ClassLinkInfo { class_name, theme }))
}

/// Opens the class link: the parent gives the student number — or the student's name, when they
/// do not know the number — and the last four digits of the guardian phone the school has;
/// starts a family session for that guardian.
#[utoipa::path(post, path = "/api/family/identify", tag = "family", request_body = IdentifyRequest,
    responses((status = 200, body = shared::meetings::FamilyPage), (status = 404, body = shared::ApiError),
              (status = 410, body = shared::ApiError), (status = 422, body = shared::ApiError),
              (status = 429, body = shared::ApiError)))]
async fn identify(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Json(body): Json<IdentifyRequest>,
) -> Result<Response> {
    let key = address_key(&state, &headers, peer);
    let link = find_link(&state, &key, &body.token, true).await?;
    let student_no = shared::domain::normalize(&body.student_no);
    let student_name = family::name_key(&body.student_name);
    let last_four = shared::domain::normalize(&body.last_four);
    let candidates: Vec<(String, i64, Option<String>)> = match (student_no.is_empty(), student_name.is_empty()) {
        (false, true) => {
            let guardians = family::guardians_of(&state.db, link.meeting_id, &student_no).await?;
            guardians.into_iter().map(|(id, phone)| (student_no.clone(), id, phone)).collect()
        }
        (true, false) => family::guardians_by_name(&state.db, link.meeting_id, &student_name).await?,
        _ => {
            return Err(Error::field(
                "student_no",
                Msg::new("请填写学号或学生姓名（二选一）。", "Enter either the student number or the student's name."),
            ))
        }
    };
    // Counted before the digits are checked, per student whichever way they were named (a name
    // must not add ten more tries at a student to the number's ten), so parallel guesses get no
    // more tries than the limit. A name of no student, or of several, is counted as itself
    // within the meeting's class.
    let mut numbers: Vec<&str> = candidates.iter().map(|(no, _, _)| no.as_str()).collect();
    numbers.dedup();
    let student_key = match numbers.as_slice() {
        [one] => format!("family:student:{}", one.to_lowercase()),
        _ if student_name.is_empty() => format!("family:student:{}", student_no.to_lowercase()),
        _ => format!("family:name:{}:{student_name}", link.meeting_id),
    };
    let student = limits::spend(&state.db, &student_key, PER_STUDENT).await?;
    let well_formed = last_four.len() == 4 && last_four.chars().all(|c| c.is_ascii_digit());
    let matches: Vec<&(String, i64, Option<String>)> = candidates
        .iter()
        .filter(|(_, _, phone)| {
            well_formed
                && phone.as_deref().and_then(|p| PhoneNumber::parse(p).ok()).is_some_and(|p| p.last_four() == last_four)
        })
        .collect();
    let Some(&(found_no, guardian_id, _)) = matches.first() else {
        student.keep();
        limits::record(&state.db, &key).await?;
        return Err(Error::Status {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "not_identified",
            message: Msg::new(
                "学号（或学生姓名）或手机号后四位与学校登记的信息不符，请核对后再试。",
                "The student number (or name) or the last four digits do not match what the school has on file.",
            ),
        });
    };
    // Two students of the class with the same name and a guardian phone ending alike: which
    // child is meant cannot be told, and a wrong guess would show another family's page.
    if matches.iter().any(|(other, _, _)| other != found_no) {
        student.keep();
        return Err(Error::Status {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "ambiguous_student",
            message: Msg::new(
                "班里有同名学生，请改用学号。",
                "More than one student of the class has this name; please use the student number.",
            ),
        });
    }
    // Taken back, but the student's earlier wrong tries stay counted: a parent who knows the
    // answer must not reset the count for someone guessing at the same student.
    student.release(&state.db).await?;
    signed_in(&state, &link, *guardian_id).await
}

/// Ends the family session on this device.
#[utoipa::path(post, path = "/api/family/logout", tag = "family", responses((status = 204)))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response> {
    if let Some(token) = session::token(&state, &headers) {
        family::end_session(&state.db, &hash_token(&token)).await?;
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response.headers_mut().insert(header::SET_COOKIE, session::clear_cookie(&state));
    Ok(response)
}
