use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::status::Loading;
use crate::session::use_session;

/// What `StaffOnly` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gate {
    Loading,
    SignIn,
    TurnOnTotp,
    Page,
}

/// Renders its children for a signed-in staff member; sends everyone else to the sign-in page,
/// and an admin who has not turned two-step verification on to the page that does (the server
/// refuses them everything else). `enrolling` marks that page itself.
#[component]
pub fn StaffOnly(children: ChildrenFn, #[prop(optional)] enrolling: bool) -> impl IntoView {
    let session = use_session();
    // A memo, so that a change to who is signed in (e.g. TOTP turned on) that keeps the page
    // does not rebuild it and lose what it shows.
    let gate = Memo::new(move |_| {
        if !session.ready.get() {
            return Gate::Loading;
        }
        match session.me.get() {
            None => Gate::SignIn,
            Some(me) if me.needs_totp() && !enrolling => Gate::TurnOnTotp,
            Some(_) => Gate::Page,
        }
    });
    move || match gate.get() {
        Gate::Loading => view! { <Loading /> }.into_any(),
        Gate::SignIn => view! { <Redirect path="/login" /> }.into_any(),
        Gate::TurnOnTotp => view! { <Redirect path="/account" /> }.into_any(),
        Gate::Page => children().into_any(),
    }
}
