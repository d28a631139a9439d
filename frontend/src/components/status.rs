//! What a page shows while it waits, and when something went wrong.

use leptos::prelude::*;

use crate::t;

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{t!("加载中…", "Loading…")}</p> }
}

/// Shows the errors an `ErrorBoundary` caught, already in the user's language.
pub fn error_list(errors: ArcRwSignal<leptos::error::Errors>) -> impl IntoView {
    view! {
        <div class="alert" role="alert">
            <ul>
                {move || errors.get().into_iter().map(|(_, e)| view! { <li>{e.to_string()}</li> }).collect_view()}
            </ul>
        </div>
    }
}
