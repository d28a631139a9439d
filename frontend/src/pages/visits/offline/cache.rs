//! Lists the counselor needs in a family's home, kept on the device: fetched when online,
//! read from IndexedDB when the network is gone.

use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::ApiError;
use wasm_bindgen::JsValue;

use super::idb::{self, KV};
use crate::api;

/// `GET path`, remembered under `key`; without network, the copy remembered last.
pub async fn get<T: DeserializeOwned + Serialize>(key: &str, path: String) -> Result<T, ApiError> {
    match api::get::<T>(path).await {
        Ok(value) => {
            if let Ok(json) = serde_json::to_string(&value) {
                let _ = idb::put(KV, key, &JsValue::from_str(&json)).await;
            }
            Ok(value)
        }
        Err(e) if e.code == "network" => {
            let stored = idb::get(KV, key).await.ok().flatten().and_then(|v| v.as_string());
            stored.and_then(|json| serde_json::from_str(&json).ok()).ok_or(e)
        }
        Err(e) => Err(e),
    }
}
