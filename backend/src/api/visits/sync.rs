//! `POST /api/visits/sync`: the visits a tablet logged while offline, sent when the network is
//! back. Each item is stored in a transaction of its own and is idempotent by `client_id`, so
//! a batch cut off halfway and sent again stores every visit exactly once.

use axum::extract::{DefaultBodyLimit, Request, State};
use shared::visits::{NewVisit, SyncRequest, SyncResponse, SyncResult, SyncStatus};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Error, Json, Result};
use crate::i18n::{self, Msg};
use crate::visits::store::Outcome;
use crate::visits::{access, prepare, store_one};
use crate::AppState;

pub const MAX_BATCH: usize = 100;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(sync_visits))
        // The handler reads the body under `Config::max_sync_body_bytes` itself.
        .layer(DefaultBodyLimit::disable())
}

/// Stores a batch of visits; the answer says for each whether it was stored now, had been
/// stored before, clashes with another visit, or was refused (and why, with the error's code:
/// e.g. `campaign_closed` for a visit into a campaign closed meanwhile, which the tablet keeps
/// and shows).
///
/// The body may be up to 1 MiB (`Config::max_sync_body_bytes`, default
/// `shared::sync::SYNC_BODY_BYTES`), four times the limit of every other JSON body: the tablet
/// sends at most 50 visits and 512 KiB per request (`shared::sync::CHUNK_BYTES`), and the
/// largest visit the validator accepts is under 224 KiB as JSON (four texts of 5,000
/// characters, 20 follow-ups of 500, 20 concern replies of 200, 30 members, 12 family members; a character written as
/// `\u00XX` at worst). A larger body is refused with 413 (`payload_too_large`); the tablet then
/// sends that request's visits in halves, down to one by one.
#[utoipa::path(post, path = "/api/visits/sync", tag = "visits", request_body = SyncRequest,
    responses((status = 200, body = SyncResponse), (status = 401, body = shared::ApiError),
              (status = 413, body = shared::ApiError, description = "The body is over the sync limit (1 MiB)"),
              (status = 422, body = shared::ApiError)))]
async fn sync_visits(State(state): State<AppState>, user: StaffUser, request: Request) -> Result<Json<SyncResponse>> {
    let Json(body) = Json::<SyncRequest>::with_limit(request, state.config.max_sync_body_bytes).await?;
    if body.visits.len() > MAX_BATCH {
        return Err(Error::field("visits", Msg::new("一次最多同步 100 条", "At most 100 visits per batch")));
    }
    let mut results = Vec::with_capacity(body.visits.len());
    for item in &body.visits {
        results.push(sync_one(&state, &user, item).await?);
    }
    Ok(Json(SyncResponse { results }))
}

async fn sync_one(state: &AppState, user: &StaffUser, item: &NewVisit) -> Result<SyncResult> {
    let client_id = item.client_id.clone();
    let visit = match prepare(state, user, item).await {
        Ok(visit) => visit,
        Err(Error::Internal(e)) => return Err(Error::Internal(e)),
        Err(e) => return Ok(refusal(client_id, &e)),
    };
    let (status, visit_id) = match store_one(state, user, &visit).await? {
        Outcome::Stored(id) => (SyncStatus::Stored, Some(id)),
        Outcome::Duplicate(id) => (SyncStatus::Duplicate, Some(id)),
        Outcome::Conflict(id) => {
            let visible = access::check_visit(state, user, id).await.is_ok();
            (SyncStatus::Conflict, visible.then_some(id))
        }
        Outcome::Closed => return Ok(refusal(client_id, &access::campaign_closed())),
    };
    Ok(SyncResult { client_id, status, visit_id, message: None, code: None })
}

/// A visit refused, with the error's code and its reason for the tablet to show (it keeps the
/// visit).
fn refusal(client_id: String, error: &Error) -> SyncResult {
    SyncResult {
        client_id,
        status: SyncStatus::Rejected,
        visit_id: None,
        message: Some(describe(error)),
        code: Some(error.code().to_string()),
    }
}

/// The refusal in the request's language, with the fields at fault.
fn describe(error: &Error) -> String {
    let lang = i18n::current();
    match error {
        Error::Validation(fields) => {
            fields.iter().map(|(field, msg)| format!("{field}: {}", msg.text(lang))).collect::<Vec<_>>().join("; ")
        }
        Error::Forbidden => lang.pick("无权为该学生记录家访", "You may not log visits for this student").to_string(),
        Error::NotFound => lang.pick("学生或活动不存在", "Unknown student or campaign").to_string(),
        other => other.message().text(lang).to_string(),
    }
}
