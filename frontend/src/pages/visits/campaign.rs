//! `/visits/:id`: a campaign's visits for the signed-in counselor — what waits to sync, the
//! students with filters and the plan form, the plans and the visits logged.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::concerns::OpenConcern;
use shared::visits::{Plan, PlanStudent, VisitSummary};
use shared::{CampaignId, ClassId, Hardship, StudentId};

use super::concerns::{of, StudentConcerns};
use super::offline::cache;
use super::pending::PendingVisits;
use super::plan_form::PlanForm;
use crate::api;
use crate::components::route::route_id;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::components::student_link::StudentLink;
use crate::i18n::use_lang;
use crate::t;

#[derive(Clone, Copy)]
struct Filters {
    class_id: RwSignal<String>,
    city: RwSignal<String>,
    district: RwSignal<String>,
    hardship: RwSignal<String>,
    not_visited: RwSignal<bool>,
    has_concerns: RwSignal<bool>,
}

impl Filters {
    fn query(&self) -> String {
        let mut q = String::new();
        for (name, value) in [
            ("class_id", self.class_id.get()),
            ("city", self.city.get()),
            ("district", self.district.get()),
            ("hardship", self.hardship.get()),
        ] {
            if !value.trim().is_empty() {
                q.push_str(&format!("&{name}={}", api::encode(value.trim())));
            }
        }
        if self.not_visited.get() {
            q.push_str("&not_visited=true");
        }
        if self.has_concerns.get() {
            q.push_str("&has_concerns=true");
        }
        q
    }
}

#[component]
pub fn CampaignVisits() -> impl IntoView {
    let campaign = route_id::<shared::CampaignId>();
    let lang = use_lang();
    let filters = Filters {
        class_id: RwSignal::new(String::new()),
        city: RwSignal::new(String::new()),
        district: RwSignal::new(String::new()),
        hardship: RwSignal::new(String::new()),
        not_visited: RwSignal::new(false),
        has_concerns: RwSignal::new(false),
    };
    // Bumped after planning, to read the plans again.
    let version = RwSignal::new(0u32);
    let selected = RwSignal::new(Vec::<StudentId>::new());
    let students = LocalResource::new(move || async move {
        let c = campaign().unwrap_or_default();
        let q = filters.query();
        let key = format!("students:{c}");
        // Only the unfiltered list is kept on the device.
        if q.is_empty() {
            cache::get::<Vec<PlanStudent>>(&key, api::visits::students(c, "")).await
        } else {
            api::visits::students(c, &q).await
        }
    });
    // The classes to filter by, from the unfiltered list kept on the device.
    let classes = LocalResource::new(move || async move {
        let c = campaign().unwrap_or_default();
        let list = cache::get::<Vec<PlanStudent>>(&format!("students:{c}"), api::visits::students(c, ""))
            .await
            .unwrap_or_default();
        let mut classes: Vec<(ClassId, String)> = Vec::new();
        for s in list {
            if !classes.iter().any(|(id, _)| *id == s.class_id) {
                classes.push((s.class_id, s.class_name));
            }
        }
        classes
    });
    let plans = LocalResource::new(move || async move {
        version.track();
        let c = campaign().unwrap_or_default();
        cache::get::<Vec<Plan>>(&format!("plans:{c}"), api::visits::plans(c)).await
    });
    // Open concerns from the campaign's parents' meetings, under each student and plan.
    let concerns = LocalResource::new(move || async move {
        version.track();
        super::concerns::load(campaign().unwrap_or_default()).await
    });
    let visits = LocalResource::new(move || async move {
        version.track();
        let c = campaign().unwrap_or_default();
        cache::get::<Vec<VisitSummary>>(&format!("visits:{c}"), api::visits::list(c)).await
    });
    let outbox = super::offline::outbox::use_outbox();
    Effect::new(move || {
        outbox.sent.track();
        version.update(|v| *v += 1);
    });
    let title = LocalResource::new(move || async move {
        let c = campaign().unwrap_or_default();
        super::index::campaigns().await.ok().and_then(|l| l.into_iter().find(|x| x.id == c)).map(|x| x.name)
    });
    let c = move || campaign().unwrap_or_default();
    view! {
        <StaffOnly>
            <h1 data-testid="campaign-title">{move || title.get().flatten().unwrap_or_default()}</h1>
            <p class="toolbar">
                <A href=move || crate::apps::href(&format!("/visits/{}/log", c())) attr:class="btn btn-primary btn-big" attr:data-testid="log-visit">
                    {t!("记录家访", "Log a visit")}
                </A>
                <A href=crate::apps::href("/follow-ups") attr:class="btn">{t!("我的后续事项", "My follow-ups")}</A>
                <A href=move || crate::apps::href(&format!("/visits/{}/import", c())) attr:class="btn" attr:data-testid="import-visits">
                    {t!("导入纸质记录", "Import paper records")}
                </A>
            </p>
            <PendingVisits />
            <h2>{t!("学生", "Students")}</h2>
            <div class="filters">
                <select bind:value=filters.class_id data-testid="filter-class">
                    <option value="">{t!("班级：不限", "Class: any")}</option>
                    {move || classes.get().unwrap_or_default().into_iter().map(|(id, name)| {
                        view! { <option value=id.to_string()>{name}</option> }
                    }).collect_view()}
                </select>
                <input placeholder=move || lang.get().pick("城市", "City") bind:value=filters.city data-testid="filter-city" />
                <input placeholder=move || lang.get().pick("区县", "District") bind:value=filters.district data-testid="filter-district" />
                <select bind:value=filters.hardship data-testid="filter-hardship">
                    <option value="">{t!("经济困难：不限", "Hardship: any")}</option>
                    {Hardship::ALL.iter().map(|h| view! { <option value=h.code()>{move || h.label(lang.get())}</option> }).collect_view()}
                </select>
                <label class="check"><input type="checkbox" bind:checked=filters.not_visited data-testid="filter-not-visited" />{t!("尚未家访", "Not yet visited")}</label>
                <label class="check"><input type="checkbox" bind:checked=filters.has_concerns data-testid="filter-concerns" />{t!("家长会上有关切", "Concerns at the parents' meeting")}</label>
            </div>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        let concerns = concerns.await;
                        students.await.map(|list| view! { <StudentPicker list selected campaign=c() concerns /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <PlanForm campaign=c() selected on_planned=move || version.update(|v| *v += 1) />
            <h2>{t!("家访计划", "Plans")}</h2>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        let concerns = concerns.await;
                        plans.await.map(|list| view! { <PlanList list campaign=c() concerns /> })
                    })}
                </ErrorBoundary>
            </Transition>
            <h2>{t!("已记录的家访", "Visits logged")}</h2>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        visits.await.map(|list| view! {
                            <ul class="rows" data-testid="visits">
                                {list.into_iter().map(|v| view! {
                                    <li data-testid="visit-row"><A href=crate::apps::href(&format!("/visit/{}", v.id))>{v.date}</A>
                                        <StudentLink id=v.student_id name=v.student_name /><span class="muted">{move || v.mode.label(lang.get())}</span></li>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn StudentPicker(
    list: Vec<PlanStudent>,
    selected: RwSignal<Vec<StudentId>>,
    campaign: CampaignId,
    concerns: Vec<OpenConcern>,
) -> impl IntoView {
    view! {
        <ul class="rows" data-testid="students">
            {list.into_iter().map(|s| {
                let id = s.id;
                let on = move || selected.get().contains(&id);
                view! {
                    <li data-testid="student-row">
                        <label class="check">
                            <input type="checkbox" data-testid=format!("pick-{id}") prop:checked=on aria-label=s.name.clone()
                                on:change=move |_| selected.update(|l| if let Some(i) = l.iter().position(|x| *x == id) { l.remove(i); } else { l.push(id); }) />
                        </label>
                        <strong><StudentLink id name=s.name.clone() /></strong>
                        <span class="muted">{format!("{} · {} · {}", s.class_name, s.city.clone().unwrap_or_default(), s.district.clone().unwrap_or_default())}</span>
                        {(s.visits > 0).then(|| view! { <span class="badge">{t!("已家访", "visited")}</span> })}
                        <A href=crate::apps::href(&format!("/visits/{campaign}/log?student={id}"))>{t!("记录", "Log")}</A>
                        <StudentConcerns concerns=of(&concerns, id) />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn PlanList(list: Vec<Plan>, campaign: CampaignId, concerns: Vec<OpenConcern>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <ul class="rows" data-testid="plans">
            {list.into_iter().map(|p| {
                let members = p.members.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("、");
                view! {
                    <li data-testid="plan-row">
                        <strong><StudentLink id=p.student_id name=p.student_name.clone() /></strong>
                        <span>{format!("{} {}", p.date, p.time.clone().unwrap_or_default())}</span>
                        <span>{move || p.mode.label(lang.get())}</span>
                        {p.trip_name.clone().map(|t| view! { <span class="badge">{t}</span> })}
                        <span class="muted">{members}</span>
                        {p.meeting_link.clone().map(|l| view! { <a href=l.clone() rel="noopener noreferrer" target="_blank">{t!("会议链接", "Meeting link")}</a> })}
                        {if p.visited {
                            view! { <span class="badge">{t!("已家访", "visited")}</span> }.into_any()
                        } else {
                            view! { <A href=crate::apps::href(&format!("/visits/{campaign}/log?student={}&plan={}", p.student_id, p.id)) attr:class="btn" attr:data-testid="plan-log">{t!("记录家访", "Log visit")}</A> }.into_any()
                        }}
                        <StudentConcerns concerns=of(&concerns, p.student_id) />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}
