use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::components::status::Loading;
use crate::session::use_session;

/// Renders its children for a signed-in staff member; sends everyone else to the sign-in page.
#[component]
pub fn StaffOnly(children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    move || {
        if !session.ready.get() {
            view! { <Loading /> }.into_any()
        } else if session.me.get().is_none() {
            view! { <Redirect path="/login" /> }.into_any()
        } else {
            children().into_any()
        }
    }
}
