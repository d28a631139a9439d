//! Follow-ups: `/follow-ups` (the signed-in person's, soonest due first; overdue ones stand
//! out), `/follow-ups/due` (due this week or overdue, and for leaders and admins the overdue
//! ones they oversee), the list on a visit's page with closing (with an outcome), reopening and
//! reassigning, adding one to a visit later, and `/referrals`, a service department's list.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::follow_ups::{FollowUpAssignment, FollowUpClose, FollowUpInput, Referral};
use shared::visits::{FollowUp, FollowUpStatus, Person};
use shared::{Department, VisitId};

use super::form::today;
use super::offline::cache;
use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::components::student_link::StudentLink;
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn FollowUpsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.track();
        api::visits::follow_ups()
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <StaffOnly>
            <h1>{t!("我的后续事项", "My follow-ups")}</h1>
            <p><A href=crate::apps::href("/follow-ups/due") attr:data-testid="due-link">{t!("本周到期与逾期", "Due this week and overdue")}</A></p>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move { data.await.map(|items| view! { <FollowUpList items reload /> }) })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

/// `/follow-ups/due`: the reminders the navigation's badge counts, and what a leader oversees.
#[component]
pub fn DueFollowUpsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || {
        version.track();
        api::follow_ups::due()
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <StaffOnly>
            <h1>{t!("本周到期与逾期的后续事项", "Follow-ups due this week or overdue")}</h1>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await.map(|due| {
                            let oversees = !due.overdue.is_empty();
                            view! {
                                <p class="muted">{t!("截至 ", "Up to ")}{due.week_end.clone()}</p>
                                <section data-testid="due-mine">
                                    <h2>{t!("我的", "Mine")}</h2>
                                    {due.mine.is_empty().then(|| view! { <p class="muted">{t!("本周没有到期的事项", "Nothing due this week")}</p> })}
                                    <FollowUpList items=due.mine reload />
                                </section>
                                {oversees.then(|| view! {
                                    <section data-testid="due-overdue">
                                        <h2>{t!("所辖范围内逾期的事项", "Overdue in what I oversee")}</h2>
                                        <FollowUpList items=due.overdue reload />
                                    </section>
                                })}
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
pub fn FollowUpList(items: Vec<FollowUp>, reload: Callback<()>) -> impl IntoView {
    view! {
        <ul class="rows" data-testid="follow-ups">
            {items.into_iter().map(|f| view! { <FollowUpRow item=f reload /> }).collect_view()}
        </ul>
    }
}

/// Which of a row's forms is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Nothing,
    Close,
    Assign,
}

#[component]
fn FollowUpRow(item: FollowUp, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let id = item.id;
    let open = RwSignal::new(Open::Nothing);
    let error = RwSignal::new(None::<String>);
    let outcome = RwSignal::new(String::new());
    let owner = RwSignal::new(Some(item.owner.id));
    let department = RwSignal::new(item.department);
    let due_on = RwSignal::new(item.due_on.clone());
    let colleagues = LocalResource::new(|| cache::get::<Vec<Person>>("colleagues", api::visits::colleagues()));
    let done = item.status == FollowUpStatus::Done;
    let finish = move |result: Result<(), shared::ApiError>| match result {
        Ok(()) => {
            open.set(Open::Nothing);
            reload.run(());
        }
        Err(e) => error.set(Some(e.message)),
    };
    let close = move |_| {
        let body = FollowUpClose { outcome: outcome.get_untracked() };
        spawn_local(async move { finish(api::follow_ups::close(id, &body).await) });
    };
    let reopen = move |_| spawn_local(async move { finish(api::follow_ups::reopen(id).await) });
    let assign = move |_| {
        let Some(owner_id) = owner.get_untracked() else { return };
        let body =
            FollowUpAssignment { owner_id, department: department.get_untracked(), due_on: due_on.get_untracked() };
        spawn_local(async move { finish(api::follow_ups::assign(id, &body).await.map(|_| ())) });
    };
    let owner_options = move || {
        colleagues
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|p| {
                let pid = p.id;
                view! { <option value=pid.to_string() selected=move || owner.get() == Some(pid)>{p.name}</option> }
            })
            .collect_view()
    };
    let dept = item.department;
    let overdue = item.overdue;
    view! {
        <li data-testid="follow-up" class:overdue=move || overdue data-status=if done { "done" } else { "open" }>
            <strong>{item.what.clone()}</strong>
            <span>{item.owner.name.clone()}</span>
            {dept.map(|d| view! { <span class="badge" data-testid="follow-up-department">{move || d.label(lang.get())}</span> })}
            <span>{t!("截止 ", "due ")}{item.due_on.clone()}</span>
            {item.overdue.then(|| view! { <span class="badge badge-warn">{t!("已逾期", "overdue")}</span> })}
            <StudentLink id=item.student_id name=item.student_name.clone() />
            <A href=crate::apps::href(&format!("/visit/{}", item.visit_id))>{t!("家访记录", "The visit")}</A>
            <span class="muted">{item.class_name.clone()}</span>
            {done.then(|| view! {
                <span class="badge badge-closed">{t!("已关闭", "closed")}</span>
                <span data-testid="follow-up-outcome-text">{item.outcome.clone().unwrap_or_default()}</span>
                <span class="muted">{item.done_by.clone().map(|p| p.name).unwrap_or_default()}</span>
            })}
            {if done {
                view! { <button type="button" class="btn" data-testid="follow-up-reopen" on:click=reopen>{t!("重新打开", "Reopen")}</button> }.into_any()
            } else {
                view! { <button type="button" class="btn" data-testid="follow-up-close" on:click=move |_| open.set(Open::Close)>{t!("关闭…", "Close…")}</button> }.into_any()
            }}
            <button type="button" class="btn btn-ghost" data-testid="follow-up-reassign" on:click=move |_| open.set(Open::Assign)>
                {t!("转交…", "Reassign…")}
            </button>
            <Show when=move || open.get() == Open::Close>
                <div class="inline-form">
                    <input data-testid="follow-up-outcome" maxlength="5000" bind:value=outcome
                        placeholder=move || lang.get().pick("处理结果", "What came of it") />
                    <button type="button" class="btn btn-primary" data-testid="follow-up-close-save" on:click=close>{t!("关闭事项", "Close it")}</button>
                </div>
            </Show>
            <Show when=move || open.get() == Open::Assign>
                <div class="inline-form">
                    <select data-testid="follow-up-owner" on:change=move |e| owner.set(event_target_value(&e).parse().ok())>
                        {owner_options}
                    </select>
                    <DepartmentSelect testid="follow-up-department-select" department />
                    <input type="date" data-testid="follow-up-due-on" bind:value=due_on />
                    <button type="button" class="btn btn-primary" data-testid="follow-up-assign-save" on:click=assign>{t!("保存", "Save")}</button>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <p class="alert" role="alert" data-testid="follow-up-error">{e}</p> })}
        </li>
    }
}

/// Referral to a school service, or none.
#[component]
fn DepartmentSelect(testid: &'static str, department: RwSignal<Option<Department>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select data-testid=testid on:change=move |e| department.set(Department::from_code(&event_target_value(&e)))>
            <option value="">{t!("不转介", "No referral")}</option>
            {Department::ALL.into_iter().map(|d| view! {
                <option value=d.code() selected=move || department.get() == Some(d)>{move || d.label(lang.get())}</option>
            }).collect_view()}
        </select>
    }
}

/// Adds a follow-up to a visit logged before: what, who, referred where, by when.
#[component]
pub fn AddFollowUp(visit_id: VisitId, colleagues: Vec<Person>, on_added: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let what = RwSignal::new(String::new());
    let owner = RwSignal::new(None::<i64>);
    let department = RwSignal::new(None::<Department>);
    let due_on = RwSignal::new(today());
    let error = RwSignal::new(None::<String>);
    let save = move |_| {
        let Some(owner_id) = owner.get_untracked() else {
            return error.set(Some(lang.get_untracked().pick("请选择负责人", "Choose who owns it").to_string()));
        };
        let body = FollowUpInput {
            what: what.get_untracked(),
            owner_id: owner_id.into(),
            due_on: due_on.get_untracked(),
            department: department.get_untracked(),
        };
        spawn_local(async move {
            match api::follow_ups::add(visit_id, &body).await {
                Ok(_) => {
                    what.set(String::new());
                    error.set(None);
                    on_added.run(());
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <fieldset class="choices" data-testid="add-follow-up-later">
            <legend>{t!("补充后续事项", "Add a follow-up")}</legend>
            <input data-testid="new-follow-up-what" maxlength="500" bind:value=what
                placeholder=move || lang.get().pick("要做的事", "What is to be done") />
            <select data-testid="new-follow-up-owner" on:change=move |e| owner.set(event_target_value(&e).parse().ok())>
                <option value="">{t!("负责人", "Owner")}</option>
                {colleagues.into_iter().map(|p| view! { <option value=p.id.to_string()>{p.name}</option> }).collect_view()}
            </select>
            <DepartmentSelect testid="new-follow-up-department" department />
            <input type="date" data-testid="new-follow-up-due" bind:value=due_on />
            <button type="button" class="btn" data-testid="new-follow-up-save" on:click=save>{t!("添加", "Add")}</button>
            {move || error.get().map(|e| view! { <p class="alert" role="alert" data-testid="new-follow-up-error">{e}</p> })}
        </fieldset>
    }
}

/// `/referrals` (and the start page of service staff): the follow-ups referred to their
/// department, to close with what came of them; those closed below.
#[component]
pub fn ReferralsPage() -> impl IntoView {
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || async move {
        version.track();
        let open = api::follow_ups::referred(FollowUpStatus::Open).await?;
        let done = api::follow_ups::referred(FollowUpStatus::Done).await?;
        Ok::<_, shared::ApiError>((open, done))
    });
    let reload = Callback::new(move |_| version.update(|v| *v += 1));
    view! {
        <StaffOnly>
            <h1>{t!("转介给本部门的事项", "Referred to my department")}</h1>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await.map(|(open, done)| view! {
                            {open.is_empty().then(|| view! { <p class="muted">{t!("没有待处理的事项", "Nothing to do")}</p> })}
                            <ul class="rows" data-testid="referrals">
                                {open.into_iter().map(|r| view! { <ReferralRow item=r reload /> }).collect_view()}
                            </ul>
                            <h2>{t!("已关闭", "Closed")}</h2>
                            <ul class="rows" data-testid="referrals-done">
                                {done.into_iter().map(|r| view! { <ReferralRow item=r reload /> }).collect_view()}
                            </ul>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn ReferralRow(item: Referral, reload: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let id = item.id.get();
    let outcome = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let done = item.status == FollowUpStatus::Done;
    let finish = move |result: Result<(), shared::ApiError>| match result {
        Ok(()) => reload.run(()),
        Err(e) => error.set(Some(e.message)),
    };
    let close = move |_| {
        let body = FollowUpClose { outcome: outcome.get_untracked() };
        spawn_local(async move { finish(api::follow_ups::close(id, &body).await) });
    };
    let reopen = move |_| spawn_local(async move { finish(api::follow_ups::reopen(id).await) });
    let department = item.department;
    let overdue = item.overdue;
    view! {
        <li data-testid="referral" class:overdue=move || overdue>
            <strong data-testid="referral-student">{item.student_name.clone()}</strong>
            <span class="muted">{item.class_name.clone()}</span>
            <span data-testid="referral-what">{item.what.clone()}</span>
            <span class="badge">{move || department.label(lang.get())}</span>
            <span>{t!("截止 ", "due ")}{item.due_on.clone()}</span>
            {item.overdue.then(|| view! { <span class="badge badge-warn">{t!("已逾期", "overdue")}</span> })}
            <span class="muted">{t!("转介人：", "referred by ")}{item.owner.name.clone()}</span>
            {if done {
                view! {
                    <span data-testid="referral-outcome">{item.outcome.clone().unwrap_or_default()}</span>
                    <button type="button" class="btn" data-testid="referral-reopen" on:click=reopen>{t!("重新打开", "Reopen")}</button>
                }.into_any()
            } else {
                view! {
                    <input data-testid="referral-outcome-input" maxlength="5000" bind:value=outcome
                        placeholder=move || lang.get().pick("处理结果", "What came of it") />
                    <button type="button" class="btn btn-primary" data-testid="referral-close" on:click=close>{t!("关闭事项", "Close it")}</button>
                }.into_any()
            }}
            {move || error.get().map(|e| view! { <p class="alert" role="alert">{e}</p> })}
        </li>
    }
}
