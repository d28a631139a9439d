use leptos::prelude::*;
use leptos_router::components::A;

use crate::t;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="card">
            <h1>{t!("找不到这个页面", "Page not found")}</h1>
            <A href=crate::apps::href("/")>{t!("返回首页", "Back to the start")}</A>
        </section>
    }
}
