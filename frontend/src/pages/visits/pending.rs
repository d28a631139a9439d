//! The visits on this device that the server does not have yet: waiting, or kept with the
//! reason they could not be sent until their author sends them again or discards them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use super::offline::outbox::{self, Pending, PendingState};
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
                <For each=items key=|p| (p.visit.client_id.clone(), p.state, p.message.clone()) let:item>
                    <PendingRow item />
                </For>
            </ul>
            <button type="button" class="btn" data-testid="sync-now" disabled=move || outbox.syncing.get()
                on:click=move |_| spawn_local(outbox::sync_now(outbox))>
                {t!("立即同步", "Sync now")}
            </button>
        </section>
    }
}

#[component]
fn PendingRow(item: Pending) -> impl IntoView {
    let outbox = outbox::use_outbox();
    let id = item.visit.client_id.clone();
    let state = item.state;
    let status = match state {
        PendingState::Waiting => view! { <span class="badge">{t!("等待同步", "waiting to sync")}</span> }.into_any(),
        PendingState::Conflict => view! {
            <span class="badge badge-warn">{t!("与服务器记录冲突", "conflicts with the server's record")}</span>
            {item.server_id.map(|id| view! { <A href=crate::apps::href(&format!("/visit/{id}"))>{t!("查看服务器版本", "See the server's version")}</A> })}
        }
        .into_any(),
        PendingState::Rejected => view! {
            <span class="badge badge-warn">{t!("无法发送", "cannot be sent")}</span>
            <span class="muted" data-testid="pending-reason">{item.message.clone().unwrap_or_default()}</span>
            {item.code.clone().map(|code| view! { <code data-testid="pending-code">{code}</code> })}
        }
        .into_any(),
    };
    // A row is made again when its state changes (it is part of the row's key).
    let retry = (state == PendingState::Rejected).then(|| {
        let id = id.clone();
        let run = move |_| {
            let id = id.clone();
            spawn_local(async move { outbox::retry(outbox, &id).await })
        };
        view! { <button type="button" class="btn" data-testid="pending-retry" on:click=run>{t!("再次发送", "Send again")}</button> }
    });
    let discard = (state != PendingState::Waiting).then(|| {
        let run = move |_| {
            let id = id.clone();
            spawn_local(async move { outbox::discard(outbox, &id).await })
        };
        view! {
            <button type="button" class="btn" data-testid="pending-discard" on:click=run>
                {t!("不发送，从本机删除", "Discard it from this device")}
            </button>
        }
    });
    view! {
        <li data-testid="pending-visit" class:warn=state != PendingState::Waiting>
            <strong>{item.student_name.clone()}</strong>
            <span>{item.visit.record.date.clone()}</span>
            {(!item.photos.is_empty()).then(|| view! {
                <span class="muted" data-testid="pending-photos">{t!("照片 ", "photos: ")}{item.photos.len()}</span>
            })}
            {status}
            {retry}
            {discard}
        </li>
    }
}
