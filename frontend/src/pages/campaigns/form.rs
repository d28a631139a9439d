//! Creating or editing a campaign: name, dates, targets and the rule for severe-hardship
//! students, with each field's error under it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::campaigns::{Campaign, CampaignInput};
use shared::CampaignId;

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

/// A whole number from a field: `Ok(None)` when empty, `Err` when not a number.
pub(crate) fn parse_number(text: &str) -> Result<Option<i64>, ()> {
    let text = shared::domain::normalize(text);
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<i64>().map(Some).map_err(|_| ())
}

/// `id: None` creates (`POST /api/campaigns`), `Some(id)` edits (`PUT /api/campaigns/{id}`).
#[component]
pub fn CampaignForm(
    id: Option<CampaignId>,
    initial: CampaignInput,
    on_saved: Callback<Campaign>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let name = RwSignal::new(initial.name);
    let starts_on = RwSignal::new(initial.starts_on);
    let ends_on = RwSignal::new(initial.ends_on);
    let students = RwSignal::new(initial.target_students.map(|n| n.to_string()).unwrap_or_default());
    let pct = RwSignal::new(initial.target_in_person_pct.map(|n| n.to_string()).unwrap_or_default());
    let hardship_in_person = RwSignal::new(initial.hardship_in_person);
    let error = FormError::new();
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let not_a_number = lang.get_untracked().pick("请输入整数", "Enter a whole number");
        let Ok(target_students) = parse_number(&students.get_untracked()) else {
            return error.local("target_students", not_a_number);
        };
        let Ok(target_in_person_pct) = parse_number(&pct.get_untracked()) else {
            return error.local("target_in_person_pct", not_a_number);
        };
        let body = CampaignInput {
            name: name.get_untracked(),
            starts_on: starts_on.get_untracked(),
            ends_on: ends_on.get_untracked(),
            target_students,
            target_in_person_pct,
            hardship_in_person: hardship_in_person.get_untracked(),
        };
        busy.set(true);
        spawn_local(async move {
            let result = match id {
                None => api::campaigns::create(&body).await,
                Some(id) => api::campaigns::update(id, &body).await,
            };
            busy.set(false);
            match result {
                Ok(campaign) => {
                    error.clear();
                    on_saved.run(campaign);
                }
                Err(e) => error.set(e),
            }
        });
    };

    view! {
        <form class="form card wide-form" on:submit=submit novalidate data-testid="campaign-form">
            <div class="form-grid">
                <div class="field field-wide">
                    <label for="campaign-name">{t!("活动名称", "Name")}</label>
                    <input id="campaign-name" data-testid="campaign-name" maxlength="100" bind:value=name
                        placeholder=move || lang.get().pick("例如：2024年寒假家访", "e.g. 2024 Winter Home Visits") />
                    <FieldError error field="name" />
                </div>
                <div class="field">
                    <label for="campaign-starts">{t!("开始日期", "Starts on")}</label>
                    <input id="campaign-starts" type="date" data-testid="campaign-starts" bind:value=starts_on />
                    <FieldError error field="starts_on" />
                </div>
                <div class="field">
                    <label for="campaign-ends">{t!("结束日期", "Ends on")}</label>
                    <input id="campaign-ends" type="date" data-testid="campaign-ends" bind:value=ends_on />
                    <FieldError error field="ends_on" />
                </div>
                <div class="field">
                    <label for="campaign-target">{t!("目标学生数（可选）", "Students to reach (optional)")}</label>
                    <input id="campaign-target" type="number" min="0" inputmode="numeric" bind:value=students />
                    <FieldError error field="target_students" />
                </div>
                <div class="field">
                    <label for="campaign-pct">{t!("上门家访比例 %（可选）", "Share in person, % (optional)")}</label>
                    <input id="campaign-pct" type="number" min="0" max="100" inputmode="numeric" bind:value=pct />
                    <FieldError error field="target_in_person_pct" />
                </div>
                <div class="field field-wide">
                    <label>
                        <input type="checkbox" data-testid="campaign-hardship-rule" bind:checked=hardship_in_person />
                        {t!("要求特别困难学生全部实地走访", "Every student at severe hardship is visited in person")}
                    </label>
                </div>
            </div>
            <FormAlert error />
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="campaign-save" disabled=move || busy.get()>
                    {t!("保存", "Save")}
                </button>
                <button class="btn btn-ghost" type="button" on:click=move |_| on_cancel.run(())>
                    {t!("取消", "Cancel")}
                </button>
            </div>
        </form>
    }
}
