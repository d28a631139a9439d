use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::status::Loading;
use crate::session::use_session;

/// Renders its children for a signed-in staff member; sends everyone else to the sign-in page,
/// and an admin who has not turned two-step verification on to the page that does (the server
/// refuses them everything else). `enrolling` marks that page itself.
#[component]
pub fn StaffOnly(children: ChildrenFn, #[prop(optional)] enrolling: bool) -> impl IntoView {
    let session = use_session();
    move || {
        if !session.ready.get() {
            view! { <Loading /> }.into_any()
        } else {
            match session.me.get() {
                None => view! { <Redirect path="/login" /> }.into_any(),
                Some(me) if me.needs_totp() && !enrolling => view! { <Redirect path="/account" /> }.into_any(),
                Some(_) => children().into_any(),
            }
        }
    }
}
