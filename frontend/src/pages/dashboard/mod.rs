//! `/campaigns/:id/dashboard`: the campaign's figures live, beside the previous campaign's —
//! cards, SVG charts and the tables by college and by counselor, with filters.

mod aid;
pub mod charts;
mod feedback;
pub mod priority;
pub mod report;
mod tables;

use leptos::prelude::*;
use leptos_router::components::A;
use shared::campaigns::CampaignStatus;
use shared::dashboard::{CampaignSummary, Figures};
use shared::{Aspect, CampaignId};

use crate::api;
use crate::components::route::route_id;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::t;
use charts::{city_bars, Bar, DayChart, HBars};

#[derive(Clone, Copy)]
pub struct Filters {
    pub college_id: RwSignal<String>,
    pub class_id: RwSignal<String>,
    pub counselor_id: RwSignal<String>,
    pub mode: RwSignal<String>,
    pub from: RwSignal<String>,
    pub to: RwSignal<String>,
}

impl Filters {
    pub(crate) fn new() -> Filters {
        Filters {
            college_id: RwSignal::new(String::new()),
            class_id: RwSignal::new(String::new()),
            counselor_id: RwSignal::new(String::new()),
            mode: RwSignal::new(String::new()),
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
        }
    }

    pub fn query(&self) -> String {
        let mut q = String::new();
        for (name, value) in [
            ("college_id", self.college_id.get()),
            ("class_id", self.class_id.get()),
            ("counselor_id", self.counselor_id.get()),
            ("mode", self.mode.get()),
            ("from", self.from.get()),
            ("to", self.to.get()),
        ] {
            if !value.trim().is_empty() {
                q.push(if q.is_empty() { '?' } else { '&' });
                q.push_str(&format!("{name}={}", api::encode(value.trim())));
            }
        }
        q
    }
}

/// How often the dashboard asks whether its figures changed (a 304 when not).
const LIVE_POLL_MS: u64 = 3000;

/// The live dashboard's state: what the poll asks for, the tag of what is shown, a newer
/// summary than the one first loaded, and when the server last answered.
#[derive(Clone, Copy)]
struct Live {
    /// The campaign and the filters' query of the summary shown.
    key: StoredValue<Option<(CampaignId, String)>>,
    tag: StoredValue<Option<String>>,
    busy: StoredValue<bool>,
    fresh: RwSignal<Option<CampaignSummary>>,
    /// `HH:MM:SS` of the last answer.
    checked: RwSignal<String>,
    ok: RwSignal<bool>,
}

fn clock() -> String {
    let now = js_sys::Date::new_0();
    format!("{:02}:{:02}:{:02}", now.get_hours(), now.get_minutes(), now.get_seconds())
}

impl Live {
    fn new() -> Live {
        Live {
            key: StoredValue::new(None),
            tag: StoredValue::new(None),
            busy: StoredValue::new(false),
            fresh: RwSignal::new(None),
            checked: RwSignal::new(String::new()),
            ok: RwSignal::new(true),
        }
    }

    /// A summary was loaded for `key` with `tag`.
    fn loaded(self, key: (CampaignId, String), tag: Option<String>) {
        self.key.set_value(Some(key));
        self.tag.set_value(tag);
        self.fresh.set(None);
        self.checked.set(clock());
        self.ok.set(true);
    }

    /// Asks whether the figures changed; shows the new ones when they did. Skipped while the
    /// tab is hidden or the previous question is unanswered.
    async fn poll(self) {
        let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
        let Some(Some((id, query))) = self.key.try_get_value() else { return };
        if hidden || self.busy.try_get_value() != Some(false) {
            return;
        }
        self.busy.set_value(true);
        let tag = self.tag.get_value();
        let answer = api::campaigns::summary_if_changed(id, &query, tag.as_deref()).await;
        // The page may be gone, or show other filters now: then this answer is not for it.
        if self.busy.try_update_value(|b| *b = false).is_none() || self.key.try_get_value() != Some(Some((id, query))) {
            return;
        }
        match answer {
            Ok(changed) => {
                if let Some((summary, tag)) = changed {
                    self.tag.set_value(tag);
                    self.fresh.set(Some(summary));
                }
                self.checked.set(clock());
                self.ok.set(true);
            }
            Err(_) => self.ok.set(false),
        }
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let id = route_id::<shared::CampaignId>();
    let filters = Filters::new();
    let lang = use_lang();
    let live = Live::new();
    let summary = LocalResource::new(move || {
        let q = filters.query();
        let id = id();
        async move {
            // `/dashboard` shows the campaign under way, else the latest.
            let id = match id {
                Some(id) => id,
                None => latest_campaign().await?,
            };
            let answer = api::campaigns::summary_if_changed(id, &q, None).await?;
            let (summary, tag) = answer.ok_or_else(|| shared::ApiError::new("http", "304"))?;
            live.loaded((id, q), tag);
            Ok::<_, shared::ApiError>(summary)
        }
    });
    let poll = move || leptos::task::spawn_local(live.poll());
    if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_millis(LIVE_POLL_MS)) {
        on_cleanup(move || handle.clear());
    }
    let colleges = LocalResource::new(api::org::colleges);
    // The class and counselor pickers follow the chosen college; a new college clears them.
    Effect::new(move |_| {
        filters.college_id.track();
        filters.class_id.set(String::new());
        filters.counselor_id.set(String::new());
    });
    let classes = LocalResource::new(move || {
        let college = filters.college_id.get();
        async move {
            match college.parse::<i64>() {
                Ok(id) => api::org::classes(id).await.unwrap_or_default(),
                Err(_) => Vec::new(),
            }
        }
    });
    // Only admins and college leaders may list staff; everyone else sees just "all counselors".
    let counselors = LocalResource::new(move || {
        let college = filters.college_id.get();
        async move { api::org::staff(Some("counselor"), college.parse().ok()).await.unwrap_or_default() }
    });
    view! {
        <StaffOnly>
            <div class="dashboard">
                <form class="filters" data-testid="dash-filters" on:submit=|e| e.prevent_default()>
                    <select bind:value=filters.college_id data-testid="filter-college"
                        aria-label=move || lang.get().pick("学院", "College")>
                        <option value="">{t!("全部学院", "All colleges")}</option>
                        <Transition>
                            {move || Suspend::new(async move {
                                colleges.await.map(|list| list.into_iter().map(|c| view! {
                                    <option value=c.id.to_string()>{c.name}</option>
                                }).collect_view())
                            })}
                        </Transition>
                    </select>
                    <select bind:value=filters.mode data-testid="filter-mode" aria-label=move || lang.get().pick("方式", "Mode")>
                        <option value="">{t!("全部方式", "All modes")}</option>
                        {charts::MODES.into_iter().map(|(code, zh, en)| view! {
                            <option value=code>{t!(zh, en)}</option>
                        }).collect_view()}
                    </select>
                    <label>{t!("从", "From")}<input type="date" bind:value=filters.from data-testid="filter-from" /></label>
                    <label>{t!("到", "To")}<input type="date" bind:value=filters.to data-testid="filter-to" /></label>
                    <select bind:value=filters.class_id data-testid="filter-class"
                        aria-label=move || lang.get().pick("班级", "Class")>
                        <option value="">{t!("全部班级", "All classes")}</option>
                        <Transition>
                            {move || Suspend::new(async move {
                                classes.await.into_iter().map(|c| view! {
                                    <option value=c.id.to_string()>{c.name}</option>
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                    <select bind:value=filters.counselor_id data-testid="filter-counselor"
                        aria-label=move || lang.get().pick("辅导员", "Counselor")>
                        <option value="">{t!("全部辅导员", "All counselors")}</option>
                        <Transition>
                            {move || Suspend::new(async move {
                                counselors.await.into_iter().map(|c| view! {
                                    <option value=c.id.to_string()>{c.display_name}</option>
                                }).collect_view()
                            })}
                        </Transition>
                    </select>
                </form>
                <p class="live" class:stale=move || !live.ok.get() data-testid="live-indicator">
                    {move || if live.ok.get() { lang.get().pick("实时", "Live") } else { lang.get().pick("连接中断", "Offline") }}
                    " · " {move || lang.get().pick("更新于 ", "updated ")}
                    <time data-testid="live-updated">{move || live.checked.get()}</time>
                </p>
                <Transition fallback=Loading>
                    <ErrorBoundary fallback=error_list>
                        {move || Suspend::new(async move {
                            summary.await.map(|first| {
                                let fresh = live.fresh;
                                move || {
                                    let s = fresh.get().unwrap_or_else(|| first.clone());
                                    view! { <Dashboard s /> }
                                }
                            })
                        })}
                    </ErrorBoundary>
                </Transition>
            </div>
        </StaffOnly>
    }
}

async fn latest_campaign() -> Result<CampaignId, shared::ApiError> {
    let mut list = api::campaigns::list().await?;
    list.sort_by(|a, b| a.starts_on.cmp(&b.starts_on));
    let active = list.iter().rev().find(|c| c.status == CampaignStatus::Active).or(list.last());
    active.map(|c| c.id).ok_or_else(|| shared::ApiError::new("not_found", "没有家访活动 / No campaign yet"))
}

/// A headline card: its test id, its label, the figure and the previous campaign's.
pub struct Card {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub now: i64,
    pub before: Option<i64>,
}

type Figure = fn(&Figures) -> i64;

pub fn cards(f: &Figures, p: Option<&Figures>) -> Vec<Card> {
    let card = |key, zh, en, get: Figure| Card { key, zh, en, now: get(f), before: p.map(get) };
    vec![
        card("students_reached", "覆盖学生", "Students reached", |f| f.students_reached),
        card("in_person_households", "实地走访家庭（户）", "Households visited in person", |f| {
            f.in_person_households
        }),
        card("cloud_students", "云端家访（人）", "Cloud visits (students)", |f| f.cloud_students),
        card("phone_students", "电话家访（人）", "Phone visits (students)", |f| f.phone_students),
        card("cities", "覆盖城市", "Cities", |f| f.cities),
        card("regions", "覆盖区县", "Districts", |f| f.regions),
        card("classes_with_meeting", "召开家长会班级", "Classes with a meeting held", |f| {
            f.classes_with_meeting
        }),
        card("meeting_attendance", "家长会到会", "Meeting attendance", |f| f.meeting_attendance),
        card("follow_ups_open", "待跟进事项", "Follow-ups open", |f| f.follow_ups_open),
        card("follow_ups_done", "已完成跟进", "Follow-ups done", |f| f.follow_ups_done),
    ]
}

#[component]
pub fn Dashboard(s: CampaignSummary) -> impl IntoView {
    let lang = use_lang();
    let id = s.campaign.id;
    let previous_name = s.previous.as_ref().map(|p| p.name.clone());
    let cards = cards(&s.figures, s.previous_figures.as_ref());
    let none = lang.get_untracked().pick("未覆盖", "no visit");
    let cities = city_bars(&s.by_city, none);
    let city = RwSignal::new(s.by_district.first().map(|d| d.city.clone()).unwrap_or_default());
    let districts = s.by_district.clone();
    let district_bars = move || {
        let c = city.get();
        districts.iter().filter(|d| d.city == c).map(|d| Bar::new(d.district.clone(), d.students)).collect::<Vec<_>>()
    };
    let aspects: Vec<Bar> = s
        .aspects
        .iter()
        .map(|a| {
            let label = Aspect::ALL.into_iter().find(|x| x.code() == a.aspect).map(|x| x.label(lang.get_untracked()));
            Bar::new(label.unwrap_or_default(), Some(a.visits))
        })
        .collect();
    let meetings: Vec<Bar> = s
        .meetings_by_college
        .iter()
        .map(|m| Bar {
            label: m.college.clone(),
            value: Some(m.attendance),
            note: format!("{}/{} · {}", m.held, m.classes, m.attendance),
        })
        .collect();
    let progress = s.progress.clone();
    view! {
        <header class="dash-head">
            <h1 data-testid="dash-title">{s.campaign.name.clone()}</h1>
            <p class="muted">
                {s.campaign.starts_on.clone()} " – " {s.campaign.ends_on.clone()}
                {previous_name.map(|n| view! { " · " {t!("对比：", "Compared with: ")} {n} })}
            </p>
            <A href=format!("/campaigns/{id}/report") attr:class="btn" attr:data-testid="report-link">
                {t!("打印总结报告", "Printable report")}
            </A>
            <a class="btn btn-ghost" href=api::campaigns::export_url(id) data-testid="export-link">
                {t!("导出 Excel", "Export xlsx")}
            </a>
        </header>
        <ul class="dash-cards" data-testid="dash-cards">
            {cards.into_iter().map(|c| view! {
                <li class="dash-card" data-testid=format!("card-{}", c.key)>
                    <span class="muted">{t!(c.zh, c.en)}</span>
                    <strong>{c.now}</strong>
                    {c.before.map(|b| view! { <span class="prev">{t!("上次 ", "before ")}{b}</span> })}
                </li>
            }).collect_view()}
            <li class="dash-card" data-testid="card-progress">
                <span class="muted">{t!("目标完成", "Target reached")}</span>
                <strong>{progress.students_pct.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())}</strong>
                <span class="prev">
                    {t!("实地占比 ", "in person ")}
                    {progress.in_person_pct.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())}
                    {progress.target_in_person_pct.map(|t| format!(" / {t}%"))}
                </span>
            </li>
        </ul>
        <aid::AidCards id f=s.figures.clone() rule_on=s.campaign.hardship_in_person />
        <section class="dash-grid">
            <div class="card wide">
                <h2>{t!("每日家访（按方式）", "Visits per day by mode")}</h2>
                <DayChart days=s.by_day.clone() />
            </div>
            <div class="card">
                <h2>{t!("城市覆盖", "Coverage by city")}</h2>
                <HBars bars=cities testid="chart-cities" title="cities" />
            </div>
            <div class="card">
                <h2>{t!("区县覆盖", "Coverage by district")}</h2>
                <select bind:value=city data-testid="district-city" aria-label="city">
                    {shared::dashboard::LIAONING_CITIES.into_iter().map(|c| view! { <option value=c>{c}</option> }).collect_view()}
                </select>
                {move || view! { <HBars bars=district_bars() testid="chart-districts" title="districts" /> }}
            </div>
            <div class="card">
                <h2>{t!("八个方面", "The eight aspects")}</h2>
                <HBars bars=aspects testid="chart-aspects" title="aspects" />
            </div>
            <div class="card">
                <h2>{t!("家长会（召开/班级 · 到会）", "Meetings (held/classes · attendance)")}</h2>
                <HBars bars=meetings testid="chart-meetings" title="meetings" />
            </div>
        </section>
        <tables::GroupTable title_zh="按学院" title_en="By college" rows=s.by_college.clone() testid="table-colleges" />
        <tables::GroupTable title_zh="按辅导员" title_en="By counselor" rows=s.by_counselor.clone() testid="table-counselors" />
        <h2>{t!("家长评价（按学院）", "Parents' feedback by college")}</h2>
        <feedback::FeedbackTable rows=s.feedback_by_college.clone() testid="table-feedback" />
    }
}
