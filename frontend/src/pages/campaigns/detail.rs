use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::campaigns::{Campaign, CampaignInput, CampaignStatus, StatusChange};
use shared::{Aspect, Role};

use super::form::CampaignForm;
use super::messages::MessagesSection;
use super::retention::RetentionSection;
use super::teams::TeamsSection;
use super::{targets, StatusBadge};
use crate::api;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

/// `/campaigns/:id`: the campaign, its status buttons, the eight aspects, its teams and the
/// messages it sends.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let id = route_id::<shared::CampaignId>();
    let campaign = LocalResource::new(move || async move {
        let id = id().ok_or_else(not_found)?;
        api::campaigns::get_one(id).await
    });
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        campaign.await.map(|c| view! { <CampaignView campaign=c reload=Callback::new(move |_| campaign.refetch()) /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn CampaignView(campaign: Campaign, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let is_admin = move || session.me.get().is_some_and(|me| me.role == Role::Admin);
    let editing = RwSignal::new(false);
    let status_error = RwSignal::new(None::<String>);
    let closed = campaign.status == CampaignStatus::Closed;
    let id = campaign.id;

    let move_to = move |next: CampaignStatus| {
        let question = match next {
            CampaignStatus::Active => lang.get_untracked().pick("确定开始这个活动吗？", "Start this campaign?"),
            _ => lang
                .get_untracked()
                .pick("结束后活动将不能再修改。确定结束吗？", "A closed campaign cannot be changed. Close it?"),
        };
        let confirmed = web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false);
        if !confirmed {
            return;
        }
        spawn_local(async move {
            match api::campaigns::set_status(id, &StatusChange { status: next }).await {
                Ok(_) => reload.run(()),
                Err(e) => status_error.set(Some(e.message)),
            }
        });
    };
    let next = match campaign.status {
        CampaignStatus::Draft => Some((CampaignStatus::Active, "开始活动", "Start campaign")),
        CampaignStatus::Active => Some((CampaignStatus::Closed, "结束活动", "Close campaign")),
        CampaignStatus::Closed => None,
    };
    let initial = CampaignInput {
        name: campaign.name.clone(),
        starts_on: campaign.starts_on.clone(),
        ends_on: campaign.ends_on.clone(),
        target_students: campaign.target_students,
        target_in_person_pct: campaign.target_in_person_pct,
        hardship_in_person: campaign.hardship_in_person,
    };
    let goal = {
        let c = campaign.clone();
        move || targets(&c, lang.get())
    };
    view! {
        <div class="page-head">
            <h1 data-testid="campaign-title">{campaign.name.clone()}</h1>
            <StatusBadge status=campaign.status />
            <a class="btn" href=format!("/campaigns/{}/dashboard", campaign.id) data-testid="dashboard-link">
                {t!("数据看板", "Dashboard")}
            </a>
        </div>
        <Show when=move || is_admin() && !closed && !editing.get()>
            <div class="actions">
                <button class="btn" data-testid="campaign-edit" on:click=move |_| editing.set(true)>{t!("编辑", "Edit")}</button>
                {next.map(|(status, zh, en)| view! {
                    <button class="btn btn-primary" data-testid=format!("campaign-to-{}", status.code())
                        on:click=move |_| move_to(status)>{t!(zh, en)}</button>
                })}
            </div>
        </Show>
        {closed.then(|| view! {
            <p class="note" data-testid="campaign-closed">
                {t!("活动已结束，内容只读。", "This campaign is closed and read-only.")}
            </p>
        })}
        <Show when=move || status_error.get().is_some()>
            <p class="alert" role="alert">{move || status_error.get()}</p>
        </Show>
        <Show when=move || editing.get()>
            <CampaignForm id=Some(id) initial=initial.clone()
                on_saved=Callback::new(move |_| { editing.set(false); reload.run(()); })
                on_cancel=Callback::new(move |_| editing.set(false)) />
        </Show>
        <dl class="facts">
            <dt>{t!("日期", "Dates")}</dt>
            <dd>{format!("{} – {}", campaign.starts_on, campaign.ends_on)}</dd>
            <dt>{t!("目标", "Targets")}</dt>
            <dd>{goal}</dd>
        </dl>
        <h2>{t!("家访的八个方面", "The eight aspects of a visit")}</h2>
        <ol class="aspects" data-testid="aspects">
            {Aspect::ALL.into_iter().map(|a| view! {
                <li>
                    <strong>{move || a.label(lang.get())}</strong>
                    <small class="muted">{move || a.label(if lang.get() == shared::Lang::Zh { shared::Lang::En } else { shared::Lang::Zh })}</small>
                </li>
            }).collect_view()}
        </ol>
        <TeamsSection campaign_id=id closed />
        <MessagesSection campaign_id=id closed />
        <Show when=is_admin><RetentionSection campaign_id=id /></Show>
    }
}
