//! `/follow-ups`: the signed-in person's follow-up actions, soonest due first; overdue ones
//! stand out. Also the list on a visit's page.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::visits::{FollowUp, FollowUpStatus, FollowUpUpdate};

use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::t;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let data = LocalResource::new(api::visits::follow_ups);
    view! {
        <StaffOnly>
            <h1>{t!("我的后续事项", "My follow-ups")}</h1>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move { data.await.map(|items| view! { <FollowUpList items /> }) })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
pub fn FollowUpList(items: Vec<FollowUp>) -> impl IntoView {
    view! {
        <ul class="rows" data-testid="follow-ups">
            {items.into_iter().map(|f| view! { <FollowUpRow item=f /> }).collect_view()}
        </ul>
    }
}

#[component]
fn FollowUpRow(item: FollowUp) -> impl IntoView {
    let status = RwSignal::new(item.status);
    let id = item.id;
    let toggle = move |_| {
        let next =
            if status.get_untracked() == FollowUpStatus::Done { FollowUpStatus::Open } else { FollowUpStatus::Done };
        spawn_local(async move {
            if let Ok(updated) = api::visits::update_follow_up(id, &FollowUpUpdate { status: next }).await {
                status.set(updated.status);
            }
        });
    };
    let overdue = item.overdue;
    view! {
        <li data-testid="follow-up" class:overdue=move || overdue && status.get() == FollowUpStatus::Open>
            <strong>{item.what.clone()}</strong>
            <span>{item.owner.name.clone()}</span>
            <span>{t!("截止 ", "due ")}{item.due_on.clone()}</span>
            <Show when=move || overdue && status.get() == FollowUpStatus::Open>
                <span class="badge badge-warn">{t!("已逾期", "overdue")}</span>
            </Show>
            <A href=format!("/visit/{}", item.visit_id)>{item.student_name.clone()}</A>
            <button type="button" class="btn" on:click=toggle>
                {move || if status.get() == FollowUpStatus::Done { "↺" } else { "✓" }}
                {move || if status.get() == FollowUpStatus::Done { t!("重新打开", "Reopen")() } else { t!("完成", "Done")() }}
            </button>
        </li>
    }
}
