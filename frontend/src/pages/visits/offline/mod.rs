//! What keeps visits safe with poor or no signal: the service worker that caches the app,
//! lists cached on the device, the outbox of visits waiting to be sent, and wiping it all at
//! sign-out.

pub mod cache;
pub mod crypto;
pub mod idb;
pub mod outbox;

use leptos::prelude::*;
use shared::auth::Me;

const ME_KEY: &str = "jf_me";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Remembers who signed in, so that the app can open without network.
pub fn remember_me(me: &Me) {
    if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(me)) {
        let _ = s.set_item(ME_KEY, &json);
    }
}

/// Who signed in last on this device, when the server cannot be asked.
pub fn remembered_me() -> Option<Me> {
    storage().and_then(|s| s.get_item(ME_KEY).ok().flatten()).and_then(|json| serde_json::from_str(&json).ok())
}

/// Removes every visit, list and key kept on the device. Visits still waiting are sent first
/// if possible; if some still wait, the user is asked before they are deleted. `false` means
/// the user chose to stay signed in.
pub async fn wipe() -> bool {
    let outbox = outbox::use_outbox();
    outbox::sync_now(outbox).await;
    let waiting = outbox.items.get_untracked().len();
    if waiting > 0 {
        let lang = crate::i18n::stored_lang();
        let question = lang.pick(
            "还有家访记录未同步，退出会删除它们。仍要退出吗？",
            "Some visits have not been sent yet and signing out deletes them. Sign out anyway?",
        );
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false);
        if !confirmed {
            return false;
        }
    }
    if let Some(s) = storage() {
        let _ = s.remove_item(ME_KEY);
    }
    let _ = idb::delete_database().await;
    outbox.items.set(Vec::new());
    true
}

/// Registers `/sw.js`, which caches the app shell (never the API) for offline use.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
