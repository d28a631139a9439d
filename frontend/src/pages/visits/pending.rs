//! The visits on this device that the server does not have yet.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::offline::outbox::{self, PendingState};
use crate::t;

#[component]
pub fn PendingVisits() -> impl IntoView {
    let outbox = outbox::use_outbox();
    let items = move || outbox.items.get();
    view! {
        <section class="card pending" data-testid="outbox">
            <h2>{t!("待同步", "Waiting to sync")} " (" <span data-testid="pending-count">{move || items().len()}</span> ")"</h2>
            <Show when=move || items().is_empty()>
                <p class="muted" data-testid="all-synced">{t!("本机记录均已同步", "Everything on this device has been sent")}</p>
            </Show>
            <ul class="rows">
                <For each=items key=|p| (p.visit.client_id.clone(), p.state) let:item>
                    <li data-testid="pending-visit" class:warn=item.state != PendingState::Waiting>
                        <strong>{item.student_name.clone()}</strong>
                        <span>{item.visit.record.date.clone()}</span>
                        {match item.state {
                            PendingState::Waiting => view! { <span class="badge">{t!("等待同步", "waiting to sync")}</span> }.into_any(),
                            PendingState::Conflict => view! {
                                <span class="badge badge-warn">{t!("与服务器记录冲突", "conflicts with the server's record")}</span>
                                {item.server_id.map(|id| view! { <A href=format!("/visit/{id}")>{t!("查看服务器版本", "See the server's version")}</A> })}
                            }.into_any(),
                            PendingState::Rejected => view! {
                                <span class="badge badge-warn">{t!("被拒绝", "refused")}</span>
                                <span class="muted">{item.message.clone().unwrap_or_default()}</span>
                            }.into_any(),
                        }}
                        <Show when=move || item.state != PendingState::Waiting>
                            {
                                let id = item.visit.client_id.clone();
                                view! {
                                    <button type="button" class="btn" on:click=move |_| {
                                        let id = id.clone();
                                        spawn_local(async move { outbox::discard(outbox, &id).await });
                                    }>{t!("从本机删除", "Remove from this device")}</button>
                                }
                            }
                        </Show>
                    </li>
                </For>
            </ul>
            <button type="button" class="btn" data-testid="sync-now" disabled=move || outbox.syncing.get()
                on:click=move |_| spawn_local(outbox::sync_now(outbox))>
                {t!("立即同步", "Sync now")}
            </button>
        </section>
    }
}
