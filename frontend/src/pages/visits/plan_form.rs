//! Planning visits for the students picked above: mode, date and time, team, a meeting link
//! for cloud visits, a trip name for in-person visits in one district.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::visits::{NewPlans, Person};
use shared::{CampaignId, StudentId, UserId, VisitMode};

use super::form::today;
use super::offline::cache;
use crate::api;
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn PlanForm(
    campaign: CampaignId,
    selected: RwSignal<Vec<StudentId>>,
    on_planned: impl Fn() + Copy + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let mode = RwSignal::new(VisitMode::InPerson);
    let date = RwSignal::new(today());
    let time = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let trip = RwSignal::new(String::new());
    let members = RwSignal::new(Vec::<UserId>::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let colleagues = LocalResource::new(|| cache::get::<Vec<Person>>("colleagues", api::visits::colleagues()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        if selected.get_untracked().is_empty() {
            message.set(Some(lang.pick("请先勾选学生", "Pick students first").to_string()));
            return;
        }
        let opt = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let body = NewPlans {
            campaign_id: campaign,
            student_ids: selected.get_untracked(),
            mode: mode.get_untracked(),
            date: date.get_untracked(),
            time: opt(time),
            member_ids: members.get_untracked(),
            meeting_link: opt(link).filter(|_| mode.get_untracked() == VisitMode::Cloud),
            trip_name: opt(trip).filter(|_| mode.get_untracked() == VisitMode::InPerson),
        };
        busy.set(true);
        spawn_local(async move {
            match api::visits::create_plans(&body).await {
                Ok(plans) => {
                    selected.set(Vec::new());
                    message.set(Some(format!("{} {}", lang.pick("已安排", "Planned:"), plans.len())));
                    on_planned();
                }
                Err(e) => {
                    let fields: Vec<String> = e.fields.values().cloned().collect();
                    message.set(Some(if fields.is_empty() { e.message } else { fields.join("；") }));
                }
            }
            busy.set(false);
        });
    };
    let member_buttons = move || {
        colleagues.get().and_then(Result::ok).unwrap_or_default().into_iter().map(|p| {
            let id = p.id;
            let on = move || members.get().contains(&id);
            view! {
                <button type="button" class="choice" class:on=on aria-pressed=move || on().to_string()
                    on:click=move |_| members.update(|l| if let Some(i) = l.iter().position(|x| *x == id) { l.remove(i); } else { l.push(id); })>
                    {p.name}
                </button>
            }
        }).collect_view()
    };
    view! {
        <form class="card form plan-form" on:submit=submit data-testid="plan-form" novalidate>
            <h2>{t!("安排家访", "Plan visits")} " (" {move || selected.get().len()} ")"</h2>
            <fieldset class="choices"><legend>{t!("方式", "Mode")}</legend>
                {VisitMode::ALL.iter().copied().map(|m| view! {
                    <button type="button" class="choice" class:on=move || mode.get() == m
                        data-testid=format!("plan-mode-{}", m.code()) on:click=move |_| mode.set(m)>{move || m.label(lang.get())}</button>
                }).collect_view()}
            </fieldset>
            <div class="visit-grid">
                <label>{t!("日期", "Date")}<input type="date" bind:value=date data-testid="plan-date" /></label>
                <label>{t!("时间", "Time")}<input type="time" bind:value=time data-testid="plan-time" /></label>
            </div>
            <Show when=move || mode.get() == VisitMode::Cloud>
                <label>{t!("会议链接", "Meeting link")}<input type="url" bind:value=link data-testid="plan-link" placeholder="https://" /></label>
            </Show>
            <Show when=move || mode.get() == VisitMode::InPerson>
                <label>{t!("行程名称（同一区县可编为一个行程）", "Trip name (plans in one district can form one trip)")}
                    <input bind:value=trip data-testid="plan-trip" /></label>
            </Show>
            <fieldset class="choices"><legend>{t!("家访小组成员", "Team members")}</legend>{member_buttons}</fieldset>
            <Show when=move || message.get().is_some()>
                <p class="alert" role="status" data-testid="plan-message">{move || message.get()}</p>
            </Show>
            <button type="submit" class="btn btn-primary btn-big" data-testid="plan-submit" disabled=move || busy.get()>
                {t!("安排", "Plan")}
            </button>
        </form>
    }
}
