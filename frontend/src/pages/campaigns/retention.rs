//! The campaign's retention (issue 19 item 3), for admins: how many days after the campaign
//! closes each kind of personal data is kept, when it expires, and the dry run — how many rows
//! the next daily run would remove.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::retention::{CampaignRetention, Kept, RetentionPeriods};
use shared::CampaignId;

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

fn field(kind: Kept) -> &'static str {
    match kind {
        Kept::VisitNotes => "visit_notes_days",
        Kept::SensitiveNotes => "sensitive_notes_days",
        Kept::Concerns => "concerns_days",
        Kept::Photos => "photos_days",
        Kept::FamilyLinks => "family_links_days",
    }
}

#[component]
pub fn RetentionSection(campaign_id: CampaignId) -> impl IntoView {
    let plan = LocalResource::new(move || api::privacy::retention(campaign_id));
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                plan.await.ok().map(|p| view! { <RetentionForm plan=p on_saved=Callback::new(move |_| plan.refetch()) /> })
            })}
        </Transition>
    }
}

#[component]
fn RetentionForm(plan: CampaignRetention, on_saved: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let days: Vec<(Kept, RwSignal<String>)> =
        Kept::ALL.iter().map(|k| (*k, RwSignal::new(k.days(&plan.periods).to_string()))).collect();
    let error = FormError::new();
    let id = plan.campaign_id;
    let read = days.clone();
    let save = move |_| {
        let value = |kind: Kept| {
            let text = read.iter().find(|(k, _)| *k == kind).map(|(_, s)| s.get_untracked()).unwrap_or_default();
            text.trim().parse::<i64>().unwrap_or(-1)
        };
        let body = RetentionPeriods {
            visit_notes_days: value(Kept::VisitNotes),
            sensitive_notes_days: value(Kept::SensitiveNotes),
            concerns_days: value(Kept::Concerns),
            photos_days: value(Kept::Photos),
            family_links_days: value(Kept::FamilyLinks),
        };
        spawn_local(async move {
            match api::privacy::save_retention(id, &body).await {
                Ok(_) => on_saved.run(()),
                Err(e) => error.set(e),
            }
        });
    };
    let would_go = plan.would_go();
    let counted_from = plan.counted_from.clone();
    view! {
        <section class="retention" data-testid="retention">
            <h2>{t!("个人信息保存期限", "How long personal data is kept")}</h2>
            <p class="muted">
                {move || match &counted_from {
                    Some(day) => format!("{}{day}", lang.get().pick("活动结束后起算，起算日：", "Counted from the campaign's close: ")),
                    None => lang.get().pick("活动结束后开始计算；到期后每日自动删除或匿名化，统计数字不变。",
                        "Counted once the campaign closes; then removed or anonymised daily, the figures unchanged.").to_string(),
                }}
            </p>
            <table class="list">
                <thead><tr>
                    <th>{t!("内容", "Data")}</th><th>{t!("保存天数", "Days kept")}</th>
                    <th>{t!("到期日", "Expires on")}</th><th>{t!("现存条数", "Rows held")}</th><th></th>
                </tr></thead>
                <tbody>
                    {plan.items.iter().map(|item| {
                        let signal = days.iter().find(|(k, _)| *k == item.kind).map(|(_, s)| *s).expect("a field");
                        let kind = item.kind;
                        let going = item.expired && item.held > 0;
                        view! {
                            <tr data-testid=format!("retention-{}", kind.code())>
                                <td>{move || kind.label(lang.get())}</td>
                                <td>
                                    <input type="number" min="0" max="3650" class="days" bind:value=signal
                                        data-testid=format!("retention-days-{}", kind.code())
                                        aria-label=move || kind.label(lang.get()) />
                                    <FieldError error field=field(kind) />
                                </td>
                                <td>{item.expires_on.clone().unwrap_or_else(|| "—".into())}</td>
                                <td data-testid=format!("retention-held-{}", kind.code())>{item.held}</td>
                                <td>{going.then(|| view! { <strong class="sensitive">{t!("下次将删除", "Goes in the next run")}</strong> })}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <p data-testid="retention-would-go">
                {move || lang.get().pick("下次运行将删除或匿名化：", "The next run removes or anonymises: ")}{would_go}
                {move || lang.get().pick(" 条", " rows")}
            </p>
            <button class="btn" data-testid="retention-save" on:click=save>{t!("保存期限", "Save periods")}</button>
            <FormAlert error />
        </section>
    }
}
