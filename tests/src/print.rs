//! Printing in the browser tests: Chromium's print-to-PDF (WebDriver's print endpoint) and the
//! DevTools commands behind chromedriver's `goog/cdp/execute`, to lay a page out as print media.

use fantoccini::wd::{PrintConfiguration, PrintMargins, PrintSize};
use serde_json::{json, Value};

use crate::browser::Browser;

/// A4's printable area with the report's 18 mm margins, in CSS pixels (96 per inch).
pub const A4_CONTENT_WIDTH_PX: f64 = (210.0 - 36.0) / 25.4 * 96.0;
pub const A4_CONTENT_HEIGHT_PX: f64 = (297.0 - 36.0) / 25.4 * 96.0;

impl Browser {
    /// A Chrome DevTools Protocol command, e.g. `Emulation.setEmulatedMedia`.
    pub async fn cdp(&self, cmd: &str, params: Value) -> Value {
        let session = self.client().session_id().await.expect("a session id").expect("a WebDriver session");
        let url = format!("{}/session/{session}/goog/cdp/execute", self.webdriver);
        let response = reqwest::Client::new()
            .post(&url)
            .json(&json!({ "cmd": cmd, "params": params }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        assert!(response.status().is_success(), "{cmd}: {}", response.status());
        response.json::<Value>().await.expect("a JSON answer")["value"].clone()
    }

    /// Lays the page out as it prints (`@media print`), or back as on screen.
    pub async fn emulate_print(&self, print: bool) {
        self.cdp("Emulation.setEmulatedMedia", json!({ "media": if print { "print" } else { "" } })).await;
    }

    /// The page printed by Chromium on A4 with 18 mm margins: the PDF's bytes.
    pub async fn print_a4(&self) -> Vec<u8> {
        let margin = 1.8;
        let config = PrintConfiguration::builder()
            .size(PrintSize::A4)
            .margins(PrintMargins { top: margin, bottom: margin, left: margin, right: margin })
            .shrink_to_fit(false)
            .background(true)
            .build()
            .expect("an A4 print configuration");
        self.client().print(config).await.expect("printing to PDF")
    }
}
