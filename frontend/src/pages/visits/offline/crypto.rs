//! Sensitive notes kept on the device are encrypted with AES-GCM under a key that WebCrypto
//! made non-extractable: the page can use it but nobody can read it out, not even this code.
//! Each user has a key of their own, kept in IndexedDB as a `CryptoKey` object under
//! `key:<user id>`; it stays as long as a visit of theirs waits to be sent (`super::tidy`).

use serde::{Deserialize, Serialize};
use shared::UserId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, CryptoKey, SubtleCrypto};

use super::idb::{self, KV};

/// The one key of the whole device, which sealed the visits kept before keys were per user.
const DEVICE_KEY: &str = "device-key";

/// Cipher text and its nonce, base64, and the name of the key that sealed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub iv: String,
    pub data: String,
    #[serde(default = "device_key_name")]
    pub key: String,
}

fn device_key_name() -> String {
    DEVICE_KEY.to_string()
}

/// The name of a user's key in the `kv` store.
pub fn key_name(user: UserId) -> String {
    format!("key:{user}")
}

/// Whether a name in the `kv` store is an encryption key's.
pub fn is_key(name: &str) -> bool {
    name == DEVICE_KEY || name.starts_with("key:")
}

fn crypto() -> Result<web_sys::Crypto, JsValue> {
    web_sys::window().ok_or("no window")?.crypto()
}

fn subtle() -> Result<SubtleCrypto, JsValue> {
    Ok(crypto()?.subtle())
}

/// The key stored under `name`.
async fn stored_key(name: &str) -> Result<Option<CryptoKey>, JsValue> {
    Ok(idb::get(KV, name).await?.map(|key| key.unchecked_into()))
}

/// The key under `name`, made on first use. `add` never replaces a key another task made first.
async fn key_or_new(name: &str) -> Result<CryptoKey, JsValue> {
    if let Some(key) = stored_key(name).await? {
        return Ok(key);
    }
    let params = AesKeyGenParams::new("AES-GCM", 256);
    let usages = js_sys::Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = JsFuture::from(subtle()?.generate_key_with_object(&params, false, &usages)?).await?;
    let _ = idb::add(KV, name, &key).await;
    stored_key(name).await?.ok_or_else(|| JsValue::from_str("the key was not stored"))
}

fn to_base64(bytes: &[u8]) -> Result<String, JsValue> {
    let binary: String = bytes.iter().map(|b| char::from(*b)).collect();
    web_sys::window().ok_or("no window")?.btoa(&binary)
}

fn from_base64(text: &str) -> Result<Vec<u8>, JsValue> {
    let binary = web_sys::window().ok_or("no window")?.atob(text)?;
    Ok(binary.chars().map(|c| c as u32 as u8).collect())
}

/// Encrypts under `user`'s key.
pub async fn seal(user: UserId, plain: &str) -> Result<Sealed, JsValue> {
    let name = key_name(user);
    let key = key_or_new(&name).await?;
    let mut iv = [0u8; 12];
    crypto()?.get_random_values_with_u8_array(&mut iv)?;
    let params = AesGcmParams::new_with_u8_slice("AES-GCM", &mut iv.clone());
    let data = JsFuture::from(subtle()?.encrypt_with_object_and_u8_array(&params, &key, plain.as_bytes())?).await?;
    let data = js_sys::Uint8Array::new(&data).to_vec();
    Ok(Sealed { iv: to_base64(&iv)?, data: to_base64(&data)?, key: name })
}

pub async fn open(sealed: &Sealed) -> Result<String, JsValue> {
    let key = stored_key(&sealed.key).await?.ok_or_else(|| JsValue::from_str("no key"))?;
    let mut iv = from_base64(&sealed.iv)?;
    let params = AesGcmParams::new_with_u8_slice("AES-GCM", &mut iv);
    let data = from_base64(&sealed.data)?;
    let plain = JsFuture::from(subtle()?.decrypt_with_object_and_u8_array(&params, &key, &data)?).await?;
    String::from_utf8(js_sys::Uint8Array::new(&plain).to_vec()).map_err(|_| JsValue::from_str("not UTF-8"))
}
