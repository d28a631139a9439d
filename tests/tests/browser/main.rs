//! The browser helper, on a page of its own and on the built front end when there is one.

mod accounts;
mod admin;
mod aid;
mod audit;
mod cases;
mod dashboard;
mod family;
mod feedback;
mod field;
mod follow_ups;
mod imports;
mod meetings;
mod messages;
mod org_edit;
mod privacy;
mod rights;
mod signin;
mod tablet;
mod the_loop;
mod totp;
mod visit_concerns;
mod visits;
mod wechat;

use tests::browser::Browser;
use tests::spawn_app_with;

/// A page whose one inline script the server's Content-Security-Policy allows by its hash.
const PAGE: &str = r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>helper</title>
<script type="module">document.querySelector('#go').addEventListener('click', () => {
  document.querySelector('#out').textContent = 'Hello, ' + document.querySelector('#name').value;
});</script></head>
<body><input id="name"><button id="go">Go</button><p id="out"></p></body></html>"#;

fn skip_without_chromedriver() -> bool {
    let missing = !Browser::available();
    if missing {
        eprintln!("note: chromedriver is not installed: skipped");
    }
    missing
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_helper_drives_a_page_and_leaves_no_process_behind() {
    if skip_without_chromedriver() {
        return;
    }
    let dist = tempfile::tempdir().unwrap();
    std::fs::write(dist.path().join("index.html"), PAGE).unwrap();
    let app = spawn_app_with(|config| config.static_dir = Some(dist.path().to_path_buf())).await;
    let browser = Browser::start(390, 844).await;
    let group = browser.process_group();

    assert_eq!(browser.viewport().await, (390, 844));
    browser.goto(&app.address).await;
    assert_eq!(browser.eval("return document.title;").await, "helper");
    browser.fill("#name", "张老师").await;
    browser.click("#go").await;
    assert_eq!(browser.wait_for_text("#out", "Hello").await, "Hello, 张老师");

    let injected = "const s = document.createElement('script'); s.textContent = 'window.injected = 1'; \
                    document.head.appendChild(s); return window.injected === undefined;";
    assert_eq!(browser.eval(injected).await, true, "the policy blocks scripts it has no hash for");

    let shot = dist.path().join("shot.png");
    browser.screenshot(&shot).await;
    let png = std::fs::read(&shot).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    assert_eq!(width, 390, "the screenshot is the viewport");

    drop(browser);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while !living_members(group).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(living_members(group), Vec::<String>::new(), "processes outlived the Browser");
}

/// The processes of a process group that still run; killed ones linger as zombies until
/// reaped, and those do not count.
fn living_members(group: i32) -> Vec<String> {
    let mut living = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // `pid (command) state ppid pgrp …`; the command may contain spaces and parentheses.
        let Some((head, rest)) = stat.rsplit_once(") ") else { continue };
        let fields: Vec<&str> = rest.split(' ').collect();
        if fields.len() > 2 && fields[2] == group.to_string() && fields[0] != "Z" {
            living.push(head.to_string());
        }
    }
    living
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_end_signs_a_person_in() {
    if tests::static_dir().is_none() {
        eprintln!("note: no built front end (frontend/dist/index.html or JIAFANG_TEST_DIST): skipped");
        return;
    }
    if skip_without_chromedriver() {
        return;
    }
    let app = tests::spawn_app().await;
    let school = app.seed_school().await;
    let browser = Browser::start(1280, 800).await;

    // The admin: password, then the two-step code the page asks for.
    browser.sign_in(&app.address, &school.admin.username, &school.admin.password).await;
    browser.wait_for_text("[data-testid=greeting]", &school.admin.username).await;
    browser.close().await;
}
