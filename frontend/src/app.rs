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
    view! {
        <Router>
            <Header />
            <main class="page">
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/login") view=pages::login::Login />
                    <Route path=path!("/") view=pages::home::Home />
                    <Route path=path!("/colleges/:id") view=pages::org::college::CollegePage />
                    <Route path=path!("/classes/:id") view=pages::org::class::ClassPage />
                    <Route path=path!("/students") view=pages::org::search::StudentSearch />
                    <Route path=path!("/students/:id") view=pages::org::student::StudentPage />
                </Routes>
            </main>
        </Router>
    }
}
