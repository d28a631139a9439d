//! Signing out without network. The session cannot be ended on the server then, and its
//! cookie (HttpOnly: out of the app's reach) stays in the browser. So the sign-out is recorded
//! on the device first: from then on the app never uses that session again — it does not ask
//! the server who is signed in, and a reload shows the sign-in page — and it ends the session
//! on the server as soon as the network returns (the `online` event, the next start, or before
//! the next sign-in, whichever comes first).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;

/// Set while a sign-out has not reached the server.
const PENDING: &str = "jf_sign_out_pending";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// Whether a sign-out still has to reach the server.
pub fn pending() -> bool {
    storage().and_then(|s| s.get_item(PENDING).ok().flatten()).is_some()
}

fn set_pending(on: bool) {
    if let Some(s) = storage() {
        let _ = if on { s.set_item(PENDING, "1") } else { s.remove_item(PENDING) };
    }
}

/// Ends the session: on the server if it answers, else on the device now and on the server
/// once the network is back.
pub async fn end_session() {
    set_pending(true);
    finish().await;
}

/// Sends a sign-out that has not reached the server yet; `true` once none is pending.
pub async fn finish() -> bool {
    if !pending() {
        return true;
    }
    let done = api::auth::logout().await.is_ok();
    if done {
        set_pending(false);
    }
    done
}

/// A new sign-in replaced the cookie (the sign-in page sends a pending sign-out first): the old
/// session can no longer be reached from this device.
pub fn signed_in() {
    set_pending(false);
}

/// Sends a pending sign-out whenever the browser comes back online.
pub fn watch() {
    let handle = window_event_listener(leptos::ev::online, move |_| {
        spawn_local(async {
            finish().await;
        })
    });
    std::mem::forget(handle);
}
