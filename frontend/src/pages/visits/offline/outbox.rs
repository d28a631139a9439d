//! Visits logged on the device wait here until the server has them. Each is written to
//! IndexedDB before anything is sent (sensitive notes encrypted), keyed by its `client_id`,
//! and removed only once the server answers "stored" or "duplicate" for it. Sending is tried at
//! once, whenever the browser comes back online, and on a timer.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use shared::visits::{NewVisit, SyncRequest, SyncResponse, SyncStatus};
use wasm_bindgen::JsValue;

use super::crypto::{self, Sealed};
use super::idb::{self, OUTBOX};
use crate::api;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PendingState {
    Waiting,
    /// The server holds other content under this visit's id: shown to the user.
    Conflict,
    /// The server refused it; `message` says why.
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
    pub server_id: Option<i64>,
    /// Who logged it: only they see it and send it from this device.
    #[serde(default)]
    pub owner: i64,
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
    Effect::new(move || {
        if let Some(me) = session.me.get() {
            super::remember_me(&me);
        }
    });
    spawn_local(async move {
        refresh(outbox).await;
        sync_now(outbox).await;
    });
    let handle = window_event_listener(leptos::ev::online, move |_| spawn_local(sync_now(outbox)));
    std::mem::forget(handle);
    let _ = set_interval_with_handle(
        move || {
            if !outbox.items.get_untracked().is_empty() {
                spawn_local(sync_now(outbox));
            }
        },
        Duration::from_secs(15),
    );
    outbox
}

/// Reads the waiting visits from the device.
pub async fn refresh(outbox: Outbox) {
    let values = idb::all(OUTBOX).await.unwrap_or_default();
    let me = super::remembered_me().map(|me| me.id).unwrap_or_default();
    let mut items: Vec<Pending> = values
        .iter()
        .filter_map(|v| v.as_string())
        .filter_map(|json| serde_json::from_str::<Pending>(&json).ok())
        .filter(|p| p.owner == me)
        .collect();
    items.sort_by(|a, b| a.visit.record.date.cmp(&b.visit.record.date).then(a.student_name.cmp(&b.student_name)));
    outbox.items.set(items);
}

async fn store(item: &Pending) -> Result<(), JsValue> {
    let json = serde_json::to_string(item).map_err(|e| JsValue::from_str(&e.to_string()))?;
    idb::put(OUTBOX, &item.visit.client_id, &JsValue::from_str(&json)).await
}

/// Keeps a visit on the device (its sensitive notes encrypted), then tries to send it.
pub async fn save(outbox: Outbox, mut visit: NewVisit, student_name: String) -> Result<(), String> {
    let notes = visit.record.sensitive_notes.take().unwrap_or_default();
    let sealed = if notes.is_empty() { None } else { Some(crypto::seal(&notes).await.map_err(|e| format!("{e:?}"))?) };
    let owner = super::remembered_me().map(|me| me.id).unwrap_or_default();
    let item =
        Pending { visit, sealed, student_name, state: PendingState::Waiting, message: None, server_id: None, owner };
    store(&item).await.map_err(|e| format!("{e:?}"))?;
    refresh(outbox).await;
    spawn_local(sync_now(outbox));
    Ok(())
}

/// Removes a visit from the device without sending it (after a conflict the user resolved).
pub async fn discard(outbox: Outbox, client_id: &str) {
    let _ = idb::delete(OUTBOX, client_id).await;
    refresh(outbox).await;
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

async fn mark(item: &Pending, state: PendingState, message: Option<String>, server_id: Option<i64>) {
    let item = Pending { state, message, server_id, ..item.clone() };
    let _ = store(&item).await;
}

/// One round; `false` when the server could not be reached.
async fn send(outbox: Outbox, waiting: &[Pending]) -> bool {
    for chunk in waiting.chunks(50) {
        let mut visits = Vec::new();
        for item in chunk {
            let mut visit = item.visit.clone();
            if let Some(sealed) = &item.sealed {
                match crypto::open(sealed).await {
                    Ok(notes) => visit.record.sensitive_notes = Some(notes),
                    Err(_) => {
                        let lang = crate::i18n::stored_lang();
                        let why =
                            lang.pick("本机无法解密敏感信息", "The sensitive notes cannot be decrypted on this device");
                        mark(item, PendingState::Rejected, Some(why.to_string()), None).await;
                        continue;
                    }
                }
            }
            visits.push(visit);
        }
        let Ok(answer) = api::post::<_, SyncResponse>("/api/visits/sync", &SyncRequest { visits }).await else {
            return false;
        };
        for result in answer.results {
            let Some(item) = chunk.iter().find(|p| p.visit.client_id == result.client_id) else { continue };
            match result.status {
                SyncStatus::Stored | SyncStatus::Duplicate => {
                    if idb::delete(OUTBOX, &result.client_id).await.is_ok() {
                        outbox.sent.update(|n| *n += 1);
                    }
                }
                SyncStatus::Conflict => mark(item, PendingState::Conflict, result.message, result.visit_id).await,
                SyncStatus::Rejected => mark(item, PendingState::Rejected, result.message, result.visit_id).await,
            }
        }
    }
    true
}
