//! Guardians' replies to texts, forwarded by the school's SMS platform: "TD" opts out (not a
//! session route: the platform authenticates with the bearer token Jiafang calls it with); and
//! the kinds of message switched off per campaign (staff read them, admins change them).

use axum::extract::State;
use axum::http::HeaderMap;
use shared::meetings::{SmsReply, SmsReplyAnswer};
use shared::messages::CampaignMessages;
use shared::{CampaignId, Role};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::StaffUser;
use crate::error::{Error, Json, Path, Result};
use crate::notify::{opt_out, switches};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(sms_reply)).routes(routes!(campaign_messages, set_campaign_messages))
}

/// A guardian's reply; "TD" or "退订" opts the phone's guardians out of all messages. 404 when
/// no SMS platform that forwards replies is configured, 401 without its token.
#[utoipa::path(post, path = "/api/sms/replies", tag = "meetings", request_body = SmsReply,
    responses((status = 200, body = SmsReplyAnswer), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn sms_reply(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(reply): Json<SmsReply>,
) -> Result<Json<SmsReplyAnswer>> {
    let token = state.channels.sms.as_ref().and_then(|g| g.reply_token()).ok_or(Error::NotFound)?;
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !crate::auth::totp::constant_time_eq(given.as_bytes(), token.as_bytes()) {
        return Err(Error::Unauthorized);
    }
    let opted_out =
        if opt_out::is_opt_out(&reply.text) { opt_out::opt_out_phone(&state.db, &reply.phone).await? } else { 0 };
    if opted_out > 0 {
        tracing::info!(guardians = opted_out, "guardians opted out of messages by SMS reply");
    }
    Ok(Json(SmsReplyAnswer { opted_out: opted_out as i64 }))
}

/// The kinds of message switched off for the campaign (every other kind is sent).
#[utoipa::path(get, path = "/api/campaigns/{id}/messages", tag = "campaigns",
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignMessages), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn campaign_messages(
    State(state): State<AppState>,
    _user: StaffUser,
    Path(id): Path<CampaignId>,
) -> Result<Json<CampaignMessages>> {
    let mut conn = state.db.read.acquire().await?;
    Ok(Json(switches::of_campaign(&mut conn, id).await?))
}

/// Switches kinds of message off (listed) or on (not listed) for the campaign (admins); 409 once
/// it is closed. Messages already queued stay.
#[utoipa::path(put, path = "/api/campaigns/{id}/messages", tag = "campaigns", request_body = CampaignMessages,
    params(("id" = i64, Path, description = "Campaign id")),
    responses((status = 200, body = CampaignMessages), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn set_campaign_messages(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<CampaignId>,
    Json(wanted): Json<CampaignMessages>,
) -> Result<Json<CampaignMessages>> {
    user.require(&[Role::Admin])?;
    Ok(Json(switches::set(&state.db, id, &wanted).await?))
}
