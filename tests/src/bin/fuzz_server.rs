//! `cargo xtask fuzz-api` starts this: the real server on a free loopback port over a fresh
//! database (SQLite, or PostgreSQL if `JIAFANG_TEST_DATABASE` names one) seeded with the test
//! school, a meeting with links and a campaign. It prints, one per line,
//!
//! ```text
//! address http://127.0.0.1:PORT
//! cookie <role> <name=value>      (the anonymous role has an empty cookie)
//! ready
//! ```
//!
//! then serves until its standard input closes, so that the server stops with the xtask that
//! started it, and the temporary database with it.

use std::io::Write;

use anyhow::{Context, Result};
use tests::meetings::{family_cookie, meeting_input};
use tests::{spawn_app_with, staff_cookie};
use tokio::io::AsyncReadExt;

#[tokio::main]
async fn main() -> Result<()> {
    // On standard error, which the xtask keeps in a file: the cause of any 500 is there.
    backend::logging::init(false);
    // Fuzzing signs in with made-up passwords all the time: without the growing delay the run
    // stays short, while the limits themselves (and their 429) stay as in production.
    let app = spawn_app_with(|config| config.login_backoff_ms = 0).await;
    let school = app.seed_school().await;
    let college = &school.colleges[0];
    let class = &college.classes[0];

    let counselor = app.signed_in(&class.counselor).await;
    let meeting = app.create_meeting(&counselor, &meeting_input(class.id, 40, 2)).await;
    let links = app.issue_links(&counselor, meeting.id).await;
    let family_url = links.families[0].url.as_deref().context("a family link")?;
    app.add_campaign("2024年寒假家访").await;

    let roles = [
        // First: after the anonymous run the family routes answered this session 401 (not yet
        // understood; the matrix test shows family sessions otherwise last).
        ("family", family_cookie(&app, family_url).await),
        ("anonymous", String::new()),
        ("class-advisor", staff_cookie(&app, &college.advisor.username).await),
        ("counselor", staff_cookie(&app, &class.counselor.username).await),
        ("college-leader", staff_cookie(&app, &college.leader.username).await),
        ("admin", staff_cookie(&app, &school.admin.username).await),
        ("service-staff", {
            let staff = app.add_service_staff("xinli", shared::Department::Counselling).await;
            staff_cookie(&app, &staff.username).await
        }),
    ];
    let mut out = std::io::stdout().lock();
    writeln!(out, "address {}", app.address)?;
    for (role, cookie) in &roles {
        writeln!(out, "cookie {role} {cookie}")?;
    }
    writeln!(out, "ready")?;
    out.flush()?;
    drop(out);

    // Anything on standard input, or its end, means stop.
    let mut buffer = [0u8; 64];
    let _ = tokio::io::stdin().read(&mut buffer).await;
    app.stop().await;
    Ok(())
}
