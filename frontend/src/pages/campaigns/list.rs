use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::campaigns::{Campaign, CampaignInput};
use shared::Role;

use super::form::CampaignForm;
use super::{targets, StatusBadge};
use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

/// `/campaigns`: every campaign; admins also create them here.
#[component]
pub fn CampaignsPage() -> impl IntoView {
    view! { <StaffOnly><CampaignsInner /></StaffOnly> }
}

#[component]
fn CampaignsInner() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let navigate = use_navigate();
    let is_admin = move || session.me.get().is_some_and(|me| me.role == Role::Admin);
    let creating = RwSignal::new(false);
    let campaigns = LocalResource::new(api::campaigns::list);
    let on_saved = Callback::new(move |c: Campaign| navigate(&format!("/campaigns/{}", c.id), Default::default()));
    view! {
        <div class="page-head">
            <h1>{t!("家访活动", "Campaigns")}</h1>
            <Show when=move || is_admin() && !creating.get()>
                <button class="btn btn-primary" data-testid="campaign-new" on:click=move |_| creating.set(true)>
                    {t!("新建活动", "New campaign")}
                </button>
            </Show>
        </div>
        <Show when=move || creating.get()>
            <CampaignForm id=None initial=CampaignInput::default() on_saved
                on_cancel=Callback::new(move |_| creating.set(false)) />
        </Show>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    campaigns.await.map(|list| {
                        if list.is_empty() {
                            return view! { <p class="muted">{t!("还没有活动。", "No campaigns yet.")}</p> }.into_any();
                        }
                        view! {
                            <table class="list" data-testid="campaigns">
                                <thead>
                                    <tr>
                                        <th>{t!("名称", "Name")}</th>
                                        <th>{t!("日期", "Dates")}</th>
                                        <th>{t!("状态", "Status")}</th>
                                        <th>{t!("目标", "Targets")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {list.into_iter().map(|c| {
                                        let copy = c.clone();
                                        let goal = move || targets(&copy, lang.get());
                                        view! {
                                            <tr>
                                                <td><A href=format!("/campaigns/{}", c.id)>{c.name.clone()}</A></td>
                                                <td>{format!("{} – {}", c.starts_on, c.ends_on)}</td>
                                                <td><StatusBadge status=c.status /></td>
                                                <td>{goal}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
