//! Browser helpers for offline tests: Chromium's network emulation over the DevTools protocol
//! (through chromedriver's `goog/cdp/execute`), and scripts that wait for a promise.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

use crate::browser::Browser;

#[derive(Debug)]
struct Cdp {
    cmd: String,
    params: Value,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(&self, base: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _url: &url::Url) -> (reqwest::Method, Option<String>) {
        (reqwest::Method::POST, Some(json!({ "cmd": self.cmd, "params": self.params }).to_string()))
    }
}

/// Sends a DevTools protocol command to the page.
pub async fn cdp(browser: &Browser, cmd: &str, params: Value) -> Value {
    browser.client().issue_cmd(Cdp { cmd: cmd.to_string(), params }).await.unwrap_or_else(|e| panic!("CDP {cmd}: {e}"))
}

/// Cuts the page off the network (or reconnects it), as a tablet losing signal.
pub async fn set_offline(browser: &Browser, offline: bool) {
    cdp(browser, "Network.enable", json!({})).await;
    let conditions = json!({ "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1 });
    cdp(browser, "Network.emulateNetworkConditions", conditions).await;
}

/// Runs `body`, an async function body whose `return` gives the result, and waits for it.
pub async fn eval_async(browser: &Browser, body: &str) -> Value {
    let script = format!(
        "const done = arguments[arguments.length - 1]; \
         (async () => {{ {body} }})().then(done, (e) => done('error: ' + e));"
    );
    browser.client().execute_async(&script, Vec::new()).await.unwrap_or_else(|e| panic!("running {body:?}: {e}"))
}

/// The names of the page's IndexedDB databases.
pub async fn indexed_dbs(browser: &Browser) -> Vec<String> {
    let names = eval_async(browser, "return (await indexedDB.databases()).map((d) => d.name);").await;
    serde_json::from_value(names).unwrap_or_default()
}

/// Every value of an object store of the app's database, as JSON text.
pub async fn outbox_text(browser: &Browser) -> String {
    let body = "const db = await new Promise((ok, no) => { const r = indexedDB.open('jiafang'); \
                r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }); \
                const all = await new Promise((ok, no) => { const r = db.transaction('outbox').objectStore('outbox').getAll(); \
                r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }); db.close(); \
                return JSON.stringify(all);";
    eval_async(browser, body).await.as_str().unwrap_or_default().to_string()
}

/// Waits until a service worker controls the page (it has cached the app by then).
pub async fn wait_for_service_worker(browser: &Browser) {
    for _ in 0..100 {
        if browser.eval("return !!navigator.serviceWorker.controller;").await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("no service worker took control of the page within 10 s");
}
