//! After confirming: the final counts, and the counselor accounts the roster created, each of
//! which an admin activates with a one-time link.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::imports::{CreatedCounselor, ImportResult};

use super::preview::Counts;
use crate::api;
use crate::t;

#[component]
pub fn ResultView(result: ImportResult) -> impl IntoView {
    let counselors = result.created_counselors.clone();
    let any = !counselors.is_empty();
    view! {
        <section class="card import-result" data-testid="import-result" role="status">
            <h2>{t!("已导入", "Imported")}</h2>
            <Counts counts=result.counts.clone() testid="result-counts" />
            <Show when=move || any>
                <h3>{t!("新建的辅导员账号（待激活）", "New counselor accounts (to activate)")}</h3>
                <p class="muted">
                    {t!(
                        "每个链接只显示一次，7 天内有效。也可以稍后在“用户”页面生成。",
                        "Each link is shown once and works for 7 days. You can also make one later on the Users page."
                    )}
                </p>
                <ul class="rows">
                    {counselors.iter().cloned().map(|c| view! { <CounselorRow counselor=c /> }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

#[component]
fn CounselorRow(counselor: CreatedCounselor) -> impl IntoView {
    let link = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let id = counselor.id;
    let make = move |_| {
        spawn_local(async move {
            match api::users::activation_link(id).await {
                Ok(l) => {
                    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                    link.set(Some(format!("{origin}{}", l.link)));
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <li data-testid="created-counselor">
            <strong>{counselor.display_name.clone()}</strong>
            <span class="muted">{counselor.username.clone()}</span>
            {move || match link.get() {
                Some(l) => view! { <input class="activation-link" readonly value=l data-testid="activation-link" /> }.into_any(),
                None => view! {
                    <button class="btn" on:click=make>{t!("生成激活链接", "Make an activation link")}</button>
                }.into_any(),
            }}
            {move || error.get().map(|e| view! { <span class="field-error">{e}</span> })}
        </li>
    }
}
