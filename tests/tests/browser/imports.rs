//! The roster import page at 1280×800: an admin picks the UTF-8 sample, sees the preview's
//! counts and marked rows, confirms and sees the final counts; a counselor finds no way in.

use fantoccini::Locator;
use shared::Role;
use tests::browser::Browser;

/// The number in a count tile, e.g. `new` in the block `preview-counts`.
async fn count(browser: &Browser, block: &str, key: &str) -> String {
    let css = format!("[data-testid={block}] [data-count={key}] dd");
    browser.wait_for_text(&css, "").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_imports_the_sample_roster_through_the_page() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let admin = app.add_account("admin", Role::Admin, None).await;
    let file = app.dir.path().join("sample-roster-utf8.csv");
    std::fs::write(&file, tests::imports::sample("utf8")).unwrap();

    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &admin.username, &admin.password).await;
    browser.click("[data-testid=import-link]").await;
    browser.wait_for_text("[data-testid=dropzone]", "拖到这里").await;
    // The page offers the roster template: an xlsx file (a zip: "PK") from the link.
    let template = browser
        .eval(
            "return (async () => { const a = document.querySelector('[data-testid=roster-template]'); \
             const r = await fetch(a.href); const b = new Uint8Array(await r.arrayBuffer()); \
             return [r.status, r.headers.get('content-type'), String.fromCharCode(b[0], b[1]), b.length > 2000]; })()",
        )
        .await;
    assert_eq!(
        template,
        serde_json::json!([200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK", true]),
        "the template downloads as an xlsx file"
    );
    let input = browser.client().wait().for_element(Locator::Css("[data-testid=roster-file]")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.expect("choosing the file");

    browser.wait_for_text("[data-testid=import-preview]", "sample-roster-utf8.csv").await;
    let preview: Vec<String> = tile_counts(&browser, "preview-counts").await;
    assert_eq!(preview, ["9", "0", "0", "2", "1"], "new, updated, unchanged, rejected, warnings");
    browser.wait_for_text("[data-testid=unknown-columns]", "—").await;
    let marked = browser
        .eval(
            "const n = c => document.querySelectorAll(`[data-testid=import-rows] tr.${c}`).length; \
             return [n('import-rejected'), n('import-conflict'), n('import-warning')];",
        )
        .await;
    assert_eq!(marked, serde_json::json!([1, 1, 1]), "row 11 rejected, row 12 a conflict, row 9 a warning");
    browser.wait_for_text("[data-testid=import-issues] tr.import-rejected", "班级").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 0, "nothing is written before confirming");
    shot(&browser, "roster-import-preview.png").await;

    browser.click("[data-testid=import-confirm]").await;
    browser.wait_for_text("[data-testid=import-result]", "王晓燕").await;
    let result: Vec<String> = tile_counts(&browser, "result-counts").await;
    assert_eq!(result, ["9", "0", "0", "2", "1"]);
    assert_eq!(app.count("SELECT COUNT(*) FROM students").await, 9);
    assert!(!browser.scrolls_sideways().await, "the page scrolls sideways at 1280 px");
    // Each new counselor account gets its one-time activation link from here.
    browser.click("[data-testid=created-counselor] button").await;
    let field = browser.client().wait().for_element(Locator::Css("[data-testid=activation-link]")).await.unwrap();
    let link = field.prop("value").await.unwrap().unwrap_or_default();
    assert!(link.contains("/activate#token="), "{link}");
    shot(&browser, "roster-import-result.png").await;
    browser.close().await;
}

/// A screenshot into `JIAFANG_SCREENSHOTS`, when set, for a person to look at.
async fn shot(browser: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("JIAFANG_SCREENSHOTS") {
        browser.eval("window.scrollTo(0, 0); return null;").await;
        browser.screenshot(std::path::Path::new(&dir).join(name)).await;
    }
}

async fn tile_counts(browser: &Browser, block: &str) -> Vec<String> {
    let mut values = Vec::new();
    for key in ["new", "updated", "unchanged", "rejected", "warnings"] {
        values.push(count(browser, block, key).await);
    }
    values
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_counselor_has_no_way_to_the_import_page() {
    if !Browser::ready() {
        return;
    }
    let app = tests::spawn_app().await;
    let college = app.add_college("理学院").await;
    let counselor = app.add_account("counselor", Role::Counselor, Some(college)).await;
    let browser = Browser::start(1280, 800).await;
    browser.sign_in(&app.address, &counselor.username, &counselor.password).await;
    browser.goto(&app.url("/")).await;
    browser.wait_for_text("[data-testid=greeting]", "counselor").await;
    let links = browser.eval("return document.querySelectorAll('[data-testid=import-link]').length;").await;
    assert_eq!(links, 0);
    browser.goto(&app.url("/imports/roster")).await;
    browser.wait_for_text("[data-testid=import-forbidden]", "管理员").await;
    browser.close().await;
}
