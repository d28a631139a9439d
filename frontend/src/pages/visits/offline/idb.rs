//! A small async wrapper over IndexedDB through web-sys: one database, two object stores with
//! keys given on write. Each call opens the database and closes it again: no connection is
//! left open between calls.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbFactory, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode,
};

pub const DB: &str = "jiafang";
/// Cached lists (students, plans, colleagues), each under its user's prefix, and each user's
/// encryption key.
pub const KV: &str = "kv";
/// Visits waiting to be sent.
pub const OUTBOX: &str = "outbox";

fn factory() -> Result<IdbFactory, JsValue> {
    web_sys::window().ok_or("no window")?.indexed_db()?.ok_or_else(|| JsValue::from_str("no IndexedDB"))
}

/// Resolves with the request's result when it succeeds, rejects with its error.
async fn done(request: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok_req = request.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &ok_req.result().unwrap_or(JsValue::UNDEFINED));
        });
        let err_req = request.clone();
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let error = err_req.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await
}

/// Resolves when the transaction has committed: only then is a write on disk.
async fn committed(tx: &IdbTransaction) -> Result<(), JsValue> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let fail = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("transaction failed"));
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onerror(Some(fail.unchecked_ref()));
        tx.set_onabort(Some(fail.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ())
}

async fn open() -> Result<IdbDatabase, JsValue> {
    let request: IdbOpenDbRequest = factory()?.open_with_u32(DB, 1)?;
    let upgrade = Closure::once_into_js(move |event: web_sys::Event| {
        let Some(request) = event.target().and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok()) else { return };
        let Ok(db) = request.result().and_then(|db| db.dyn_into::<IdbDatabase>()) else {
            return;
        };
        for name in [KV, OUTBOX] {
            if !db.object_store_names().contains(name) {
                let _ = db.create_object_store(name);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    Ok(done(&request).await?.unchecked_into())
}

/// Runs one request in a transaction of its own and waits until that transaction has
/// committed (for a write: until it is on disk).
async fn with_store(
    store: &str,
    mode: IdbTransactionMode,
    op: impl FnOnce(&IdbObjectStore) -> Result<IdbRequest, JsValue>,
) -> Result<JsValue, JsValue> {
    let db = open().await?;
    let result = async {
        let tx = db.transaction_with_str_and_mode(store, mode)?;
        let request = op(&tx.object_store(store)?)?;
        let commit = committed(&tx);
        let value = done(&request).await?;
        commit.await?;
        Ok(value)
    }
    .await;
    db.close();
    result
}

pub async fn put(store: &str, key: &str, value: &JsValue) -> Result<(), JsValue> {
    with_store(store, IdbTransactionMode::Readwrite, |s| s.put_with_key(value, &JsValue::from_str(key)))
        .await
        .map(|_| ())
}

/// Writes only if the key is free: an error if it is taken.
pub async fn add(store: &str, key: &str, value: &JsValue) -> Result<(), JsValue> {
    with_store(store, IdbTransactionMode::Readwrite, |s| s.add_with_key(value, &JsValue::from_str(key)))
        .await
        .map(|_| ())
}

/// The value under `key`, if any.
pub async fn get(store: &str, key: &str) -> Result<Option<JsValue>, JsValue> {
    let value = with_store(store, IdbTransactionMode::Readonly, |s| s.get(&JsValue::from_str(key))).await?;
    Ok((!value.is_undefined()).then_some(value))
}

/// Every value of the store.
pub async fn all(store: &str) -> Result<Vec<JsValue>, JsValue> {
    let values = with_store(store, IdbTransactionMode::Readonly, |s| s.get_all()).await?;
    Ok(js_sys::Array::from(&values).iter().collect())
}

/// Every key of the store.
pub async fn keys(store: &str) -> Result<Vec<String>, JsValue> {
    let keys = with_store(store, IdbTransactionMode::Readonly, |s| s.get_all_keys()).await?;
    Ok(js_sys::Array::from(&keys).iter().filter_map(|k| k.as_string()).collect())
}

pub async fn delete(store: &str, key: &str) -> Result<(), JsValue> {
    with_store(store, IdbTransactionMode::Readwrite, |s| s.delete(&JsValue::from_str(key))).await.map(|_| ())
}
