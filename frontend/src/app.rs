use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::pages;
use crate::{i18n, session};

#[component]
pub fn App() -> impl IntoView {
    i18n::provide();
    session::provide();
    pages::visits::offline::outbox::provide();
    view! {
        <Router>
            <Header />
            <main class="page">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/login") view=pages::login::Login />
                    <Route path=path!("/account") view=pages::account::AccountPage />
                    <Route path=path!("/f") view=ToFamilyPage />
                    <Route path=path!("/meetings") view=pages::meetings::MeetingsList />
                    <Route path=path!("/meetings/new") view=pages::meetings::NewMeeting />
                    <Route path=path!("/meetings/:id") view=pages::meetings::detail::MeetingPage />
                    <Route path=path!("/") view=pages::home::Home />
                    <Route path=path!("/imports/roster") view=pages::imports::roster::RosterImportPage />
                    <Route path=path!("/campaigns") view=pages::campaigns::list::CampaignsPage />
                    <Route path=path!("/campaigns/:id") view=pages::campaigns::detail::CampaignPage />
                    <Route path=path!("/dashboard") view=pages::dashboard::DashboardPage />
                    <Route path=path!("/campaigns/:id/dashboard") view=pages::dashboard::DashboardPage />
                    <Route path=path!("/campaigns/:id/report") view=pages::dashboard::report::ReportPage />
                    <Route path=path!("/campaigns/:id/priority") view=pages::dashboard::priority::PriorityPage />
                    <Route path=path!("/users") view=pages::users::UsersPage />
                    <Route path=path!("/audit") view=pages::audit::AuditPage />
                    <Route path=path!("/activate") view=pages::activate::ActivatePage />
                    <Route path=path!("/reset-password") view=pages::activate::ResetPasswordPage />
                    <Route path=path!("/colleges/:id") view=pages::org::college::CollegePage />
                    <Route path=path!("/classes/:id") view=pages::org::class::ClassPage />
                    <Route path=path!("/students") view=pages::org::search::StudentSearch />
                    <Route path=path!("/students/:id") view=pages::org::student::StudentPage />
                    <Route path=path!("/visits") view=pages::visits::index::VisitsHome />
                    <Route path=path!("/visits/:id") view=pages::visits::campaign::CampaignVisits />
                    <Route path=path!("/visits/:id/log") view=pages::visits::log::LogVisitPage />
                    <Route path=path!("/visits/:id/import") view=pages::visits::import::VisitImportPage />
                    <Route path=path!("/visit/:id") view=pages::visits::detail::VisitPage />
                    <Route path=path!("/follow-ups") view=pages::visits::follow_ups::FollowUpsPage />
                    <Route path=path!("/follow-ups/due") view=pages::visits::follow_ups::DueFollowUpsPage />
                    <Route path=path!("/referrals") view=pages::visits::follow_ups::ReferralsPage />
                </Routes>
            </main>
        </Router>
    }
}

/// `/f` is the parent's own slim page (`bin/family.rs`), which the server sends for a full load
/// of that address; should the staff app ever route there itself, it loads that page instead,
/// keeping the link's fragment.
#[component]
fn ToFamilyPage() -> impl IntoView {
    if let Some(window) = web_sys::window() {
        let hash = window.location().hash().unwrap_or_default();
        let _ = window.location().replace(&format!("/f{hash}"));
    }
}
