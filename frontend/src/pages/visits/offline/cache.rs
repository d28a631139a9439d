//! Lists the counselor needs in a family's home, kept on the device: fetched when online,
//! read from IndexedDB when the network is gone. Each user's lists are kept under a prefix of
//! their own, so that nobody else on the same tablet reads them, and they go when their user
//! signs out or the server ends the session (`super::tidy`).

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::{ApiError, UserId};
use wasm_bindgen::JsValue;

use super::idb::{self, KV};

/// The prefix of a user's lists in the `kv` store.
pub fn prefix(user: UserId) -> String {
    format!("u{user}:")
}

/// Where the signed-in user's list `key` is kept; nowhere when nobody is signed in.
fn stored_as(key: &str) -> Option<String> {
    super::remembered_me().map(|me| format!("{}{key}", prefix(me.id)))
}

/// What `fetch` (one of `crate::api`'s `GET`s) answers, remembered under `key`; without network,
/// the copy remembered last.
pub async fn get<T: DeserializeOwned + Serialize>(
    key: &str,
    fetch: impl Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let name = stored_as(key);
    match fetch.await {
        Ok(value) => {
            // Kept only if the same user is still signed in when the answer comes.
            let still = name.filter(|n| Some(n) == stored_as(key).as_ref());
            if let (Some(name), Ok(json)) = (still, serde_json::to_string(&value)) {
                let _ = idb::put(KV, &name, &JsValue::from_str(&json)).await;
            }
            Ok(value)
        }
        Err(e) if e.code == "network" => {
            let Some(name) = name else { return Err(e) };
            let stored = idb::get(KV, &name).await.ok().flatten().and_then(|v| v.as_string());
            stored.and_then(|json| serde_json::from_str(&json).ok()).ok_or(e)
        }
        Err(e) => Err(e),
    }
}
