//! Browser helpers for offline tests: Chromium's network emulation over the DevTools protocol
//! (through chromedriver's `goog/cdp/execute`), and scripts that wait for a promise.

use fantoccini::wd::WebDriverCompatibleCommand;
use serde_json::{json, Value};

use crate::browser::Browser;
use crate::StudentFixture;

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

/// Every value (`getAll`) or key (`getAllKeys`) of an object store of the app's database, as
/// JSON text: `[]` when there is none.
async fn store_json(browser: &Browser, store: &str, read: &str) -> String {
    let body = format!(
        "const db = await new Promise((ok, no) => {{ const r = indexedDB.open('jiafang'); \
         r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }}); \
         if (!db.objectStoreNames.contains('{store}')) {{ db.close(); return '[]'; }} \
         const all = await new Promise((ok, no) => {{ const r = db.transaction('{store}').objectStore('{store}').{read}(); \
         r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); }}); db.close(); \
         return JSON.stringify(all);"
    );
    eval_async(browser, &body).await.as_str().unwrap_or_default().to_string()
}

/// The visits waiting on the device (every user's), as JSON text.
pub async fn outbox_text(browser: &Browser) -> String {
    store_json(browser, "outbox", "getAll").await
}

/// The names in the device's store of cached lists and encryption keys.
pub async fn kv_keys(browser: &Browser) -> Vec<String> {
    serde_json::from_str(&store_json(browser, "kv", "getAllKeys").await).unwrap_or_default()
}

/// Makes every request whose URL matches one of `patterns` (`*` as a wildcard) fail as if the
/// network were down there, while the rest of the site answers; an empty list lets all through.
pub async fn block_urls(browser: &Browser, patterns: &[&str]) {
    cdp(browser, "Network.enable", json!({})).await;
    cdp(browser, "Network.setBlockedURLs", json!({ "urls": patterns })).await;
}

/// Makes every request to `/api/visits/sync` fail (or lets them through again).
pub async fn block_sync(browser: &Browser, blocked: bool) {
    block_urls(browser, if blocked { &["*/api/visits/sync"] } else { &[] }).await;
}

/// The staff session cookie the browser holds, as `name=value` for a request of the test's own.
pub async fn session_cookie(browser: &Browser) -> String {
    let cookie = browser.client().get_named_cookie("jf_session").await.expect("the session cookie");
    format!("{}={}", cookie.name(), cookie.value())
}

/// Logs a visit through the campaign page's form, as a counselor would, and waits until the
/// device shows `waiting` visits of theirs. The texts are put in at once rather than typed key
/// by key (thousands of characters): concerns, answers and notes get `notes`.
pub async fn log_visit(browser: &Browser, student: &StudentFixture, notes: &str, sensitive: &str, waiting: usize) {
    browser.click("[data-testid=log-visit]").await;
    browser.wait_for_text("[data-testid=visit-student]", &student.name).await;
    browser.choose("[data-testid=visit-student]", &student.id.to_string()).await;
    browser.click("[data-testid=aspect-career]").await;
    let fields = [("concerns", notes), ("answers", notes), ("notes", notes), ("sensitive", sensitive)];
    for (field, text) in fields {
        let script = "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
                      el.dispatchEvent(new Event('input', { bubbles: true }));";
        let css = format!("[data-testid=visit-{field}]");
        browser.client().execute(script, vec![json!(css), json!(text)]).await.expect("putting the text in");
    }
    browser.click("[data-testid=save-visit]").await;
    browser.wait_for_text("[data-testid=pending-count]", &waiting.to_string()).await;
}

/// Waits up to `secs` seconds for `check` to hold.
pub async fn eventually<F: std::future::Future<Output = bool>>(what: &str, secs: u64, mut check: impl FnMut() -> F) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(secs);
    while !check().await {
        assert!(tokio::time::Instant::now() < deadline, "{what}: not within {secs} s");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

/// Waits until the page's own app's service worker controls it (it has cached the app by then):
/// `/field/sw.js` in the field app, `/sw.js` in the desk app.
///
/// A field page opened right after the desk's sign-in page is controlled by the desk's worker at
/// first; the field app's worker takes it over with `clients.claim()` when it activates. Should
/// that not have happened within 30 s although the worker is active, the page is loaded again —
/// what a counselor's next visit does — and that load is the worker's for certain.
pub async fn wait_for_service_worker(browser: &Browser) {
    let controlled = "const c = navigator.serviceWorker.controller; \
                      const own = location.pathname.startsWith('/field/') ? '/field/sw.js' : '/sw.js'; \
                      return !!c && new URL(c.scriptURL).pathname === own;";
    let active = "const own = location.pathname.startsWith('/field/') ? '/field/' : '/'; \
                  const r = await navigator.serviceWorker.getRegistration(own); \
                  return !!r && new URL(r.scope).pathname === own && !!r.active && r.active.state === 'activated';";
    // It downloads the whole program first, on a machine that may be running other tests.
    for _ in 0..300 {
        if browser.eval(controlled).await == Value::Bool(true) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        eval_async(browser, active).await,
        Value::Bool(true),
        "the app's own service worker is not active after 30 s"
    );
    eprintln!("the app's own service worker was active but had not claimed the page after 30 s: loading it again");
    browser.client().refresh().await.expect("loading the page again");
    eventually("the app's own service worker controls the page loaded again", 20, || async {
        browser.eval(controlled).await == Value::Bool(true)
    })
    .await;
    eventually("the page loaded again shows its content", 20, || async {
        browser
            .eval("return document.readyState === 'complete' && !!document.querySelector('main [data-testid]');")
            .await
            == Value::Bool(true)
    })
    .await;
}
