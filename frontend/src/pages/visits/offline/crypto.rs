//! Sensitive notes kept on the device are encrypted with AES-GCM under a key that WebCrypto
//! made non-extractable: the page can use it but nobody can read it out, not even this code.
//! The key lives in IndexedDB as a `CryptoKey` object and dies with the database at sign-out.

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesGcmParams, AesKeyGenParams, CryptoKey, SubtleCrypto};

use super::idb::{self, KV};

const KEY_NAME: &str = "device-key";

/// Cipher text and its nonce, base64.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    pub iv: String,
    pub data: String,
}

fn crypto() -> Result<web_sys::Crypto, JsValue> {
    web_sys::window().ok_or("no window")?.crypto()
}

fn subtle() -> Result<SubtleCrypto, JsValue> {
    Ok(crypto()?.subtle())
}

/// The device's key, made on first use. `add` never replaces a key another task made first.
async fn device_key() -> Result<CryptoKey, JsValue> {
    if let Some(key) = idb::get(KV, KEY_NAME).await? {
        return Ok(key.unchecked_into());
    }
    let params = AesKeyGenParams::new("AES-GCM", 256);
    let usages = js_sys::Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = JsFuture::from(subtle()?.generate_key_with_object(&params, false, &usages)?).await?;
    let _ = idb::add(KV, KEY_NAME, &key).await;
    let stored = idb::get(KV, KEY_NAME).await?.ok_or("the device key was not stored")?;
    Ok(stored.unchecked_into())
}

fn to_base64(bytes: &[u8]) -> Result<String, JsValue> {
    let binary: String = bytes.iter().map(|b| char::from(*b)).collect();
    web_sys::window().ok_or("no window")?.btoa(&binary)
}

fn from_base64(text: &str) -> Result<Vec<u8>, JsValue> {
    let binary = web_sys::window().ok_or("no window")?.atob(text)?;
    Ok(binary.chars().map(|c| c as u32 as u8).collect())
}

pub async fn seal(plain: &str) -> Result<Sealed, JsValue> {
    let key = device_key().await?;
    let mut iv = [0u8; 12];
    crypto()?.get_random_values_with_u8_array(&mut iv)?;
    let params = AesGcmParams::new_with_u8_slice("AES-GCM", &mut iv.clone());
    let data = JsFuture::from(subtle()?.encrypt_with_object_and_u8_array(&params, &key, plain.as_bytes())?).await?;
    let data = js_sys::Uint8Array::new(&data).to_vec();
    Ok(Sealed { iv: to_base64(&iv)?, data: to_base64(&data)? })
}

pub async fn open(sealed: &Sealed) -> Result<String, JsValue> {
    let key = device_key().await?;
    let mut iv = from_base64(&sealed.iv)?;
    let params = AesGcmParams::new_with_u8_slice("AES-GCM", &mut iv);
    let data = from_base64(&sealed.data)?;
    let plain = JsFuture::from(subtle()?.decrypt_with_object_and_u8_array(&params, &key, &data)?).await?;
    String::from_utf8(js_sys::Uint8Array::new(&plain).to_vec()).map_err(|_| JsValue::from_str("not UTF-8"))
}
