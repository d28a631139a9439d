//! A headless Chromium driven over WebDriver, for tests of what a person sees.
//!
//! chromedriver runs in a process group of its own, so that dropping the `Browser` can end it
//! and every Chromium process it started at once: no browser outlives its test, even when the
//! test panics.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tempfile::TempDir;

const CHROMEDRIVER: &str = "chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
/// WeChat's built-in browser on an Android phone, as it introduces itself (`MicroMessenger`).
pub const WECHAT_USER_AGENT: &str = "Mozilla/5.0 (Linux; Android 13; V2049A Build/TP1A.220624.014; wv) \
     AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 \
     XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 \
     Weixin NetType/WIFI Language/zh_CN ABI/arm64";
/// How long `wait_for_text` and start-up wait.
const PATIENCE: Duration = Duration::from_secs(10);

pub struct Browser {
    client: Option<Client>,
    driver: Child,
    /// The browser's profile and chromedriver's log.
    dir: TempDir,
    /// chromedriver's address, for the commands fantoccini does not speak (`crate::print`).
    pub(crate) webdriver: String,
}

impl Browser {
    /// Whether chromedriver can be started here, so that a test can skip with a note instead.
    pub fn available() -> bool {
        Command::new(CHROMEDRIVER).arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success())
    }

    /// Whether a browser test can run here: a built front end and chromedriver. When not, it
    /// says so, and the test skips (a benchmark stops).
    pub fn ready() -> bool {
        let ready = crate::static_dir().is_some() && Browser::available();
        if !ready {
            eprintln!("note: no built front end (frontend/dist or JIAFANG_TEST_DIST) or no chromedriver: skipped");
        }
        ready
    }

    /// Starts chromedriver and a headless Chromium whose viewport is `width` × `height` CSS pixels.
    pub async fn start(width: u32, height: u32) -> Browser {
        Browser::start_with(width, height, None).await
    }

    /// As `start`, introducing itself as `user_agent` (e.g. `WECHAT_USER_AGENT`).
    pub async fn start_as(width: u32, height: u32, user_agent: &str) -> Browser {
        Browser::start_with(width, height, Some(user_agent)).await
    }

    async fn start_with(width: u32, height: u32, user_agent: Option<&str>) -> Browser {
        let dir = tempfile::Builder::new().prefix("jiafang-browser-").tempdir().expect("a temporary folder");
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", dir.path().join("chromedriver.log").display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("starting chromedriver");
        // From here on, dropping `browser` ends the process group whatever happens.
        let webdriver = format!("http://127.0.0.1:{port}");
        let mut browser = Browser { client: None, driver, dir, webdriver: webdriver.clone() };
        browser.wait_for_driver(&webdriver).await;

        let profile = browser.dir.path().join("profile");
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!("--window-size={width},{height}"), format!("--user-data-dir={}", profile.display())])
        .chain(user_agent.map(|agent| format!("--user-agent={agent}")));
        let mut options = json!({ "args": args.collect::<Vec<_>>() });
        if Path::new(CHROMIUM).exists() {
            options["binary"] = json!(CHROMIUM);
        }
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&webdriver)
            .await
            .unwrap_or_else(|e| panic!("starting a Chromium session: {e}; see {}", browser.log_path().display()));
        browser.client = Some(client);
        browser.set_viewport(width, height).await;
        browser
    }

    async fn wait_for_driver(&mut self, webdriver: &str) {
        let http = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(status)) = self.driver.try_wait() {
                panic!("chromedriver exited at start ({status}); see {}", self.log_path().display());
            }
            if http.get(format!("{webdriver}/status")).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(tokio::time::Instant::now() < deadline, "chromedriver did not answer within {PATIENCE:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Makes `innerWidth` × `innerHeight` exactly the size asked for: the window's size may
    /// include browser chrome, whose size is measured and added.
    async fn set_viewport(&self, width: u32, height: u32) {
        for _ in 0..3 {
            let (inner_w, inner_h) = self.viewport().await;
            if (inner_w, inner_h) == (width, height) {
                return;
            }
            let (outer_w, outer_h) = self.client().get_window_size().await.expect("reading the window size");
            let w = outer_w as i64 + i64::from(width) - i64::from(inner_w);
            let h = outer_h as i64 + i64::from(height) - i64::from(inner_h);
            self.client().set_window_size(w.max(1) as u32, h.max(1) as u32).await.expect("setting the window size");
        }
        let actual = self.viewport().await;
        assert_eq!(actual, (width, height), "could not set the viewport");
    }

    /// `window.innerWidth` and `window.innerHeight`.
    pub async fn viewport(&self) -> (u32, u32) {
        let size = self.eval("return [window.innerWidth, window.innerHeight];").await;
        let dim = |i: usize| size[i].as_u64().expect("a number") as u32;
        (dim(0), dim(1))
    }

    /// The WebDriver session, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        self.client.as_ref().expect("a started browser")
    }

    /// chromedriver's process group, which holds every Chromium process too.
    pub fn process_group(&self) -> i32 {
        self.driver.id() as i32
    }

    /// chromedriver's log, worth reading when a session fails.
    pub fn log_path(&self) -> std::path::PathBuf {
        self.dir.path().join("chromedriver.log")
    }

    pub async fn goto(&self, url: &str) {
        self.client().goto(url).await.unwrap_or_else(|e| panic!("opening {url}: {e}"));
    }

    /// Waits until an element matching `css` contains `text` (any such element, if `text` is
    /// empty); returns that element's whole text.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        let mut seen = Vec::new();
        loop {
            seen.clear();
            for element in self.client().find_all(Locator::Css(css)).await.unwrap_or_default() {
                if let Ok(content) = element.text().await {
                    if content.contains(text) {
                        return content;
                    }
                    seen.push(content);
                }
            }
            if tokio::time::Instant::now() >= deadline {
                panic!("no {css:?} containing {text:?} within {PATIENCE:?}; found {seen:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let element = self.find(css).await;
        element.click().await.unwrap_or_else(|e| panic!("clicking {css:?}: {e}"));
    }

    /// Chooses the option with this value of a `<select>`, as a person would.
    pub async fn choose(&self, css: &str, value: &str) {
        let select = self.find(css).await;
        select.select_by_value(value).await.unwrap_or_else(|e| panic!("choosing {value} in {css}: {e}"));
    }

    /// Replaces the content of an input with `text`, typed key by key as a person would.
    pub async fn fill(&self, css: &str, text: &str) {
        let element = self.find(css).await;
        element.clear().await.unwrap_or_else(|e| panic!("clearing {css:?}: {e}"));
        element.send_keys(text).await.unwrap_or_else(|e| panic!("typing into {css:?}: {e}"));
    }

    /// Writes a PNG of the viewport.
    pub async fn screenshot(&self, path: impl AsRef<Path>) {
        let png = self.client().screenshot().await.expect("taking a screenshot");
        std::fs::write(path.as_ref(), png).unwrap_or_else(|e| panic!("writing {}: {e}", path.as_ref().display()));
    }

    /// A screenshot kept for a person to look at: into `JIAFANG_SCREENSHOTS` if set, else
    /// `target/screenshots/`, from the top of the page. Its path.
    pub async fn keep_screenshot(&self, name: &str) -> std::path::PathBuf {
        let dir = std::env::var_os("JIAFANG_SCREENSHOTS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| crate::workspace_dir().join("target").join("screenshots"));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        self.eval("window.scrollTo(0, 0); return null;").await;
        let path = dir.join(name);
        self.screenshot(&path).await;
        path
    }

    /// Runs a script's body (`return …` gives the result) in the page.
    pub async fn eval(&self, js: &str) -> Value {
        self.client().execute(js, Vec::new()).await.unwrap_or_else(|e| panic!("running {js:?}: {e}"))
    }

    /// The element matching `css`, waiting for it to appear.
    async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client()
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no {css:?} within {PATIENCE:?}: {e}"))
    }

    /// Signs a staff member in through the desk's sign-in page and waits for the app they land in
    /// (the field app for counselors and class advisors) to say who they are. When the page asks
    /// for a two-step code, the test server at `base` provides the current one (every admin the
    /// harness creates has TOTP on).
    pub async fn sign_in(&self, base: &str, username: &str, password: &str) {
        self.sign_in_at(base, "/login", username, password).await;
    }

    /// `sign_in` on the sign-in page at `login` (`/login` in the desk app, `/field/login` in the
    /// field app); the page then lands wherever the person's role works.
    pub async fn sign_in_at(&self, base: &str, login: &str, username: &str, password: &str) {
        self.goto(&format!("{base}{login}")).await;
        self.fill("#username", username).await;
        self.fill("#password", password).await;
        self.click("button[type=submit]").await;
        if self.first_of(&["[data-testid=who]", "#totp-code"]).await == 1 {
            let code = crate::totp::code_at(base, username)
                .await
                .unwrap_or_else(|| panic!("{username} is asked for a code but has no TOTP on at {base}"));
            self.fill("#totp-code", &code).await;
            self.click("button[type=submit]").await;
        }
        self.wait_for_text("[data-testid=who]", "").await;
    }

    /// The path of the page shown (`/field/visits/3`).
    pub async fn path(&self) -> String {
        self.client().current_url().await.expect("the page's address").path().to_string()
    }

    /// Like `wait_for_text`, until the element's text also lacks `absent` (a list read again
    /// after a change); gives the last text read after `PATIENCE` for the caller to assert on.
    pub async fn wait_for_text_without(&self, css: &str, text: &str, absent: &str) -> String {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let read = self.wait_for_text(css, text).await;
            if !read.contains(absent) || tokio::time::Instant::now() > deadline {
                return read;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    /// Signs out with the header's button and waits for the sign-in form: signing in again before
    /// the sign-out has finished would race it (the page would still have a session).
    pub async fn sign_out(&self) {
        self.click("[data-testid=sign-out]").await;
        self.find("#username").await;
    }

    /// Waits until one of the selectors matches an element; returns its index.
    pub async fn first_of(&self, selectors: &[&str]) -> usize {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            for (i, css) in selectors.iter().enumerate() {
                if !self.client().find_all(Locator::Css(css)).await.unwrap_or_default().is_empty() {
                    return i;
                }
            }
            assert!(tokio::time::Instant::now() < deadline, "none of {selectors:?} within {PATIENCE:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Whether the page is wider than the viewport, i.e. a person would have to scroll sideways.
    pub async fn scrolls_sideways(&self) -> bool {
        self.eval("return document.documentElement.scrollWidth > window.innerWidth;").await == Value::Bool(true)
    }

    /// Ends the WebDriver session politely; dropping the browser afterwards ends the processes.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = tokio::time::timeout(Duration::from_secs(5), client.close()).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Closing the session needs the runtime; a multi-threaded one can lend this thread.
        // Otherwise the kill below is enough: the session dies with its browser.
        if let Some(client) = self.client.take() {
            let multi_thread = tokio::runtime::Handle::try_current()
                .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
            if multi_thread && !std::thread::panicking() {
                tokio::task::block_in_place(|| {
                    let handle = tokio::runtime::Handle::current();
                    let _ = handle.block_on(tokio::time::timeout(Duration::from_secs(5), client.close()));
                });
            }
        }
        // The group's id is chromedriver's pid (process_group(0)); Chromium inherits it.
        let pgid = self.driver.id() as libc::pid_t;
        // SAFETY: killpg only sends a signal; the group is ours and has not been reaped yet.
        unsafe {
            libc::killpg(pgid, libc::SIGKILL);
        }
        let _ = self.driver.wait();
    }
}

/// A port nobody listens on right now: the OS picks one, and it is released for chromedriver.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binding a port");
    listener.local_addr().expect("local address").port()
}
