//! Visits logged on the device wait here until the server has them. Each is written to
//! IndexedDB before anything is sent (sensitive notes encrypted), keyed by its `client_id`,
//! and removed only once the server answers "stored" or "duplicate" for it, or its author
//! discards it. Its photos (shrunk, with ids made on the device) wait with it and go after it,
//! each taken off the device once the server has it (`send_photos`), and the visit only when none
//! is left: a photo is never lost, and never stored twice. Sending is tried at once, whenever the browser comes back online, and on a
//! timer, in requests cut by size (`shared::sync`); a visit that cannot be sent stays, shown
//! with the reason.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use shared::visits::{NewVisit, SyncResponse, SyncStatus};
use shared::ApiError;
use shared::{sync, UserId, VisitId};
use wasm_bindgen::JsValue;

use super::crypto::{self, Sealed};
use super::idb::{self, OUTBOX};
use crate::api;
use crate::api::visits::Synced;
use crate::pages::visits::photos::{data_url_bytes, QueuedPhoto};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PendingState {
    Waiting,
    /// The server holds other content under this visit's id: shown to the user.
    Conflict,
    /// It cannot be sent: refused by the server, too large, or unreadable on this device.
    /// `message` says why; it stays until its author sends it again or discards it.
    Rejected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// Sensitive notes removed: they are in `sealed`.
    pub visit: NewVisit,
    pub sealed: Option<Sealed>,
    pub student_name: String,
    pub state: PendingState,
    pub message: Option<String>,
    /// The refusal's error code (`campaign_closed`, `validation`, `payload_too_large`, …).
    #[serde(default)]
    pub code: Option<String>,
    pub server_id: Option<VisitId>,
    /// Who logged it: only they see it and send it from this device.
    #[serde(default)]
    pub owner: UserId,
    /// Photos not yet on the server.
    #[serde(default)]
    pub photos: Vec<QueuedPhoto>,
}

#[derive(Clone, Copy)]
pub struct Outbox {
    pub items: RwSignal<Vec<Pending>>,
    pub syncing: RwSignal<bool>,
    /// Visits the server confirmed since the app started.
    pub sent: RwSignal<usize>,
    /// Asked to sync while a round was under way (say, the network came back while a round was
    /// still failing): the round goes once more instead of dropping the request.
    again: RwSignal<bool>,
}

thread_local! {
    /// The app's outbox, also for code that runs outside the component tree (sign-out).
    static OUTBOX_HANDLE: std::cell::Cell<Option<Outbox>> = const { std::cell::Cell::new(None) };
}

pub fn use_outbox() -> Outbox {
    OUTBOX_HANDLE.with(|cell| cell.get()).unwrap_or_else(expect_context::<Outbox>)
}

/// Starts the outbox for the whole app: load, send, and send again when the network returns.
pub fn provide() -> Outbox {
    let outbox = Outbox {
        items: RwSignal::new(Vec::new()),
        syncing: RwSignal::new(false),
        sent: RwSignal::new(0),
        again: RwSignal::new(false),
    };
    provide_context(outbox);
    OUTBOX_HANDLE.with(|cell| cell.set(Some(outbox)));
    super::register_service_worker();
    let session = crate::session::use_session();
    // Whoever signs in (or is found signed in at start) gets their own visits shown and sent;
    // others' lists leave the device.
    Effect::new(move || {
        let me = session.me.get();
        if let Some(me) = &me {
            super::remember_me(me);
        }
        let user = me.map(|me| me.id);
        spawn_local(async move {
            if let Some(user) = user {
                super::signed_in(user).await;
            }
            refresh(outbox).await;
            if user.is_some() {
                sync_now(outbox).await;
            }
        });
    });
    let handle = window_event_listener(leptos::ev::online, move |_| spawn_local(sync_now(outbox)));
    std::mem::forget(handle);
    let _ = set_interval_with_handle(
        move || {
            if outbox.items.with_untracked(|items| items.iter().any(|p| p.state == PendingState::Waiting)) {
                spawn_local(sync_now(outbox));
            }
        },
        Duration::from_secs(15),
    );
    outbox
}

/// Every visit on the device, whoever logged it.
pub async fn on_device() -> Vec<Pending> {
    let values = idb::all(OUTBOX).await.unwrap_or_default();
    values.iter().filter_map(|v| v.as_string()).filter_map(|json| serde_json::from_str::<Pending>(&json).ok()).collect()
}

/// Reads the signed-in user's waiting visits from the device.
pub async fn refresh(outbox: Outbox) {
    let me = super::remembered_me().map(|me| me.id);
    let mut items: Vec<Pending> = on_device().await.into_iter().filter(|p| Some(p.owner) == me).collect();
    items.sort_by(|a, b| a.visit.record.date.cmp(&b.visit.record.date).then(a.student_name.cmp(&b.student_name)));
    outbox.items.set(items);
}

async fn store(item: &Pending) -> Result<(), JsValue> {
    let json = serde_json::to_string(item).map_err(|e| JsValue::from_str(&e.to_string()))?;
    idb::put(OUTBOX, &item.visit.client_id, &JsValue::from_str(&json)).await
}

/// Keeps a visit on the device (its sensitive notes encrypted under its author's key), then
/// tries to send it.
pub async fn save(
    outbox: Outbox,
    mut visit: NewVisit,
    student_name: String,
    photos: Vec<QueuedPhoto>,
) -> Result<(), String> {
    let owner = super::remembered_me().map(|me| me.id).ok_or("not signed in")?;
    let notes = visit.record.sensitive_notes.take().unwrap_or_default();
    let sealed =
        if notes.is_empty() { None } else { Some(crypto::seal(owner, &notes).await.map_err(|e| format!("{e:?}"))?) };
    let item = Pending {
        visit,
        sealed,
        student_name,
        state: PendingState::Waiting,
        message: None,
        code: None,
        server_id: None,
        owner,
        photos,
    };
    store(&item).await.map_err(|e| format!("{e:?}"))?;
    refresh(outbox).await;
    spawn_local(sync_now(outbox));
    Ok(())
}

/// Removes a visit from the device without sending it: only ever at its author's request.
pub async fn discard(outbox: Outbox, client_id: &str) {
    let _ = idb::delete(OUTBOX, client_id).await;
    refresh(outbox).await;
}

/// Puts a visit that could not be sent back in line, at its author's request.
pub async fn retry(outbox: Outbox, client_id: &str) {
    if let Some(item) = outbox.items.get_untracked().into_iter().find(|p| p.visit.client_id == client_id) {
        let _ = store(&Pending { state: PendingState::Waiting, message: None, code: None, ..item }).await;
    }
    sync_now(outbox).await;
}

/// Sends every waiting visit; each answer decides its fate on the device. Visits saved, or the
/// network coming back, while a round is under way start another round straight after.
pub async fn sync_now(outbox: Outbox) {
    if outbox.syncing.get_untracked() {
        outbox.again.set(true);
        return;
    }
    outbox.syncing.set(true);
    let mut tried = std::collections::HashSet::new();
    loop {
        refresh(outbox).await;
        let waiting: Vec<Pending> = outbox
            .items
            .get_untracked()
            .into_iter()
            .filter(|p| p.state == PendingState::Waiting && !tried.contains(&p.visit.client_id))
            .collect();
        let reached = !waiting.is_empty() && {
            tried.extend(waiting.iter().map(|p| p.visit.client_id.clone()));
            send(outbox, &waiting).await
        };
        if !reached {
            // Nothing left, or the server out of reach: stop, unless asked again meanwhile.
            if !outbox.again.get_untracked() {
                break;
            }
            outbox.again.set(false);
            tried.clear();
        }
    }
    refresh(outbox).await;
    outbox.syncing.set(false);
}

async fn mark(item: &Pending, state: PendingState, why: Option<(String, Option<String>)>, server_id: Option<VisitId>) {
    let (message, code) = why.map_or((None, None), |(message, code)| (Some(message), code));
    let item = Pending { state, message, code, server_id, ..item.clone() };
    let _ = store(&item).await;
}

/// A visit as it is sent, its sensitive notes decrypted; `None` if that cannot be done here
/// (it is marked so, and kept).
async fn opened(item: &Pending) -> Option<String> {
    let mut visit = item.visit.clone();
    if let Some(sealed) = &item.sealed {
        match crypto::open(sealed).await {
            Ok(notes) => visit.record.sensitive_notes = Some(notes),
            Err(_) => {
                let lang = crate::i18n::stored_lang();
                let why = lang.pick("本机无法解密敏感信息", "The sensitive notes cannot be decrypted on this device");
                mark(item, PendingState::Rejected, Some((why.to_string(), None)), None).await;
                return None;
            }
        }
    }
    serde_json::to_string(&visit).ok()
}

/// What became of one request.
enum Sent {
    Answered(SyncResponse),
    /// 413: the request is larger than the server (or a proxy before it) takes.
    TooLarge,
    /// Refused as a whole for another reason that sending it again will not change.
    Refused(ApiError),
    /// No answer, or one that says to try later (no session, busy, server error).
    Later,
}

async fn post(body: String) -> Sent {
    match api::visits::sync(body).await {
        Synced::Nothing => Sent::Later,
        Synced::TooLarge => Sent::TooLarge,
        Synced::Answer(_, Ok(answer)) => Sent::Answered(answer),
        Synced::Answer(status, Err(e)) if (400..500).contains(&status) && ![401, 408, 429].contains(&status) => {
            Sent::Refused(e)
        }
        Synced::Answer(..) => Sent::Later,
    }
}

/// One round: the visits in chunks of at most `CHUNK_VISITS` and `CHUNK_BYTES`; a chunk
/// refused for its size (or refused whole) is halved and sent again, down to single visits; a
/// single visit still refused is kept and shown with the reason. `false` when the server could
/// not be reached.
async fn send(outbox: Outbox, waiting: &[Pending]) -> bool {
    let mut ready: Vec<(&Pending, String)> = Vec::new();
    for item in waiting {
        if let Some(json) = opened(item).await {
            ready.push((item, json));
        }
    }
    let sizes: Vec<usize> = ready.iter().map(|(_, json)| json.len()).collect();
    let mut work = sync::chunks(&sizes, sync::CHUNK_BYTES, sync::CHUNK_VISITS);
    work.reverse();
    while let Some(chunk) = work.pop() {
        let part = &ready[chunk.clone()];
        let body = sync::request_body(&part.iter().map(|(_, json)| json.as_str()).collect::<Vec<_>>());
        let bytes = body.len();
        let refusal = match post(body).await {
            Sent::Answered(answer) => {
                settle(outbox, part, answer).await;
                continue;
            }
            Sent::Later => return false,
            Sent::TooLarge => too_large(bytes),
            Sent::Refused(e) => (e.message, Some(e.code)),
        };
        match sync::halves(chunk) {
            Some((first, second)) => work.extend([second, first]),
            None => mark(part[0].0, PendingState::Rejected, Some((refusal.0, refusal.1)), None).await,
        }
    }
    true
}

/// Why a visit alone was refused for its size.
fn too_large(bytes: usize) -> (String, Option<String>) {
    let lang = crate::i18n::stored_lang();
    let kb = bytes.div_ceil(1024);
    let (zh, en) = (format!("记录太大（{kb} KB），服务器拒收"), format!("Too large for the server to take ({kb} KB)"));
    (lang.pick(&zh, &en).to_string(), Some("payload_too_large".to_string()))
}

/// The server's answer for each visit of a chunk decides its fate on the device.
async fn settle(outbox: Outbox, part: &[(&Pending, String)], answer: SyncResponse) {
    for result in answer.results {
        let Some((item, _)) = part.iter().find(|(p, _)| p.visit.client_id == result.client_id) else { continue };
        match result.status {
            SyncStatus::Stored | SyncStatus::Duplicate => send_photos(outbox, item, result.visit_id).await,
            SyncStatus::Conflict => {
                mark(item, PendingState::Conflict, result.message.map(|m| (m, result.code)), result.visit_id).await
            }
            SyncStatus::Rejected => {
                let why = result.message.unwrap_or_default();
                mark(item, PendingState::Rejected, Some((why, result.code)), result.visit_id).await
            }
        }
    }
}

/// The visit is on the server (`visit_id`): its photos follow one by one, each removed from the
/// device once the server has it, then the visit itself. Without network (or a session) the rest
/// wait for the next round, which sends the visit again (the server knows it: `duplicate`) and
/// then the photos left; a photo the server refuses leaves the visit marked with the reason.
async fn send_photos(outbox: Outbox, item: &Pending, visit_id: Option<VisitId>) {
    let mut item = Pending { server_id: visit_id.or(item.server_id), ..item.clone() };
    while let (Some(photo), Some(visit_id)) = (item.photos.first().cloned(), visit_id) {
        let lang = crate::i18n::stored_lang();
        let refused = match data_url_bytes(&photo.data_url) {
            None => Some((lang.pick("本机照片无法读取", "A photo on this device cannot be read").to_string(), None)),
            Some((content_type, bytes)) => {
                match api::cases::upload_photo(visit_id, &photo.id, &content_type, &bytes).await {
                    Ok(_) => None,
                    Err(e) if LATER.contains(&e.code.as_str()) => return,
                    Err(e) => Some((
                        format!("{}{}", lang.pick("照片未能上传：", "A photo was refused: "), e.message),
                        Some(e.code),
                    )),
                }
            }
        };
        if let Some(why) = refused {
            return mark(&item, PendingState::Rejected, Some(why), Some(visit_id)).await;
        }
        item.photos.remove(0);
        let _ = store(&item).await;
    }
    if item.photos.is_empty() && idb::delete(OUTBOX, &item.visit.client_id).await.is_ok() {
        outbox.sent.update(|n| *n += 1);
    }
}

/// Errors after which a photo is simply sent again later.
const LATER: [&str; 6] = ["network", "unauthorized", "too_many_requests", "busy", "internal", "http"];
