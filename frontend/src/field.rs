//! The field app (`bin/field.rs`, served at `/field/`): the routes a counselor uses on a tablet,
//! each the same page component as in the desk app (`app.rs`). Anything else — a student's record,
//! a new meeting, imports, dashboards — is the desk's: the fallback loads it there.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::apps;
use crate::components::header::Header;
use crate::pages;
use crate::{i18n, session};

#[component]
pub fn FieldApp() -> impl IntoView {
    i18n::provide();
    session::provide();
    pages::visits::offline::outbox::provide();
    view! {
        <Router base=apps::FIELD>
            <Header />
            <main class="page">
                <Routes fallback=ToDesk>
                    <Route path=path!("/") view=pages::visits::index::VisitsHome />
                    <Route path=path!("/login") view=pages::login::Login />
                    <Route path=path!("/visits") view=pages::visits::index::VisitsHome />
                    <Route path=path!("/visits/:id") view=pages::visits::campaign::CampaignVisits />
                    <Route path=path!("/visits/:id/log") view=pages::visits::log::LogVisitPage />
                    <Route path=path!("/visit/:id") view=pages::visits::detail::VisitPage />
                    <Route path=path!("/follow-ups") view=pages::visits::follow_ups::FollowUpsPage />
                    <Route path=path!("/follow-ups/due") view=pages::visits::follow_ups::DueFollowUpsPage />
                    <Route path=path!("/meetings") view=pages::meetings::MeetingsList />
                    <Route path=path!("/meetings/:id") view=pages::meetings::detail::MeetingPage />
                </Routes>
            </main>
        </Router>
    }
}

/// A path the field app has no page for (`/field/students/7`): the desk app's page of that path
/// (`/students/7`), loaded in full, keeping the query and fragment. Read from the router, which
/// renders this before the address bar shows a link's new path.
#[component]
fn ToDesk() {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let path = path.strip_prefix(apps::FIELD).filter(|p| !p.is_empty()).unwrap_or("/").to_string();
    let search = location.search.get_untracked();
    let query = if search.is_empty() { String::new() } else { format!("?{search}") };
    let hash = location.hash.get_untracked();
    let hash = if hash.is_empty() || hash.starts_with('#') { hash } else { format!("#{hash}") };
    if let Some(window) = web_sys::window() {
        let _ = window.location().replace(&format!("{path}{query}{hash}"));
    }
}
