//! What keeps visits safe with poor or no signal: the service worker that caches the app,
//! lists cached on the device, the outbox of visits waiting to be sent, and what signing out
//! (or the server ending the session) removes.
//!
//! A tablet may be shared. Unsent visits belong to their author and stay on the device until
//! they are sent or their author discards them, whoever signs in or out meanwhile; cached lists
//! and encryption keys are per user, and a user's lists go when they sign out or the server
//! says their session is over.

pub mod cache;
pub mod crypto;
pub mod idb;
pub mod outbox;
pub mod sign_out;

use shared::UserId;
use std::collections::HashSet;

use shared::auth::Me;

use idb::KV;

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

fn forget_me() {
    if let Some(s) = storage() {
        let _ = s.remove_item(ME_KEY);
    }
}

/// Deletes what the device keeps and nobody needs: every cached list but `lists_of`'s, every
/// encryption key but `key_of`'s and those that sealed a visit still on the device. Unsent
/// visits are never touched.
pub async fn tidy(lists_of: Option<UserId>, key_of: Option<UserId>) {
    let Ok(names) = idb::keys(KV).await else { return };
    let needed: HashSet<String> =
        outbox::on_device().await.into_iter().filter_map(|p| p.sealed.map(|sealed| sealed.key)).collect();
    for name in names {
        let keep = if crypto::is_key(&name) {
            needed.contains(&name) || key_of.is_some_and(|id| name == crypto::key_name(id))
        } else {
            lists_of.is_some_and(|id| name.starts_with(&cache::prefix(id)))
        };
        if !keep {
            let _ = idb::delete(KV, &name).await;
        }
    }
}

/// Someone signed in: the lists of anyone else who used this device go (they must sign in
/// again, online, to work here anyway).
pub async fn signed_in(user: UserId) {
    tidy(Some(user), Some(user)).await;
}

/// The server said the session is over (401): the user's cached lists go, their unsent visits
/// and the key that reads them stay for when they sign in again.
pub async fn session_ended() {
    let user = remembered_me().map(|me| me.id);
    forget_me();
    tidy(None, user).await;
    outbox::refresh(outbox::use_outbox()).await;
}

/// Signing out: the user's waiting visits are sent if the network allows; those still waiting
/// stay on the device (with the key that reads them) for their author; their lists, and keys
/// no visit needs, go.
pub async fn leave() {
    let outbox = outbox::use_outbox();
    outbox::sync_now(outbox).await;
    forget_me();
    tidy(None, None).await;
    outbox::refresh(outbox).await;
}

/// Registers the running app's `sw.js` (`/sw.js` for the desk, `/field/sw.js` for the field
/// app), which caches that app's shell (never the API) for offline use.
pub fn register_service_worker() {
    if let Some(window) = web_sys::window() {
        let container = window.navigator().service_worker();
        let _ = container.register(&crate::apps::service_worker());
    }
}
