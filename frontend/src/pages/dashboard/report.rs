//! `/campaigns/:id/report`: the printable campaign summary (A4, Chinese), in sentences the way
//! the school's report states them, with the tables and charts.

use leptos::prelude::*;
use shared::dashboard::{report_details, report_sentence, CampaignSummary};
use shared::participants::{participants_sentence, RoleParticipation};
use shared::{Aspect, Lang};

use super::charts::{city_bars, Bar, DayChart, HBars};
use super::tables::GroupTable;
use crate::api;
use crate::components::route::route_id;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};

#[component]
pub fn ReportPage() -> impl IntoView {
    let id = route_id::<shared::CampaignId>();
    let summary = LocalResource::new(move || async move {
        let id = id().unwrap_or_default();
        Ok::<_, shared::ApiError>((api::campaigns::summary(id, "").await?, api::campaigns::participants(id).await?))
    });
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move { summary.await.map(|(s, participants)| view! { <Report s participants /> }) })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn Report(s: CampaignSummary, participants: Vec<RoleParticipation>) -> impl IntoView {
    let f = s.figures.clone();
    let aspects: Vec<Bar> = s
        .aspects
        .iter()
        .map(|a| {
            let label = Aspect::ALL.into_iter().find(|x| x.code() == a.aspect).map(|x| x.label(Lang::Zh));
            Bar::new(label.unwrap_or_default(), Some(a.visits))
        })
        .collect();
    let top = s
        .aspects
        .iter()
        .max_by_key(|a| a.visits)
        .and_then(|a| Aspect::ALL.into_iter().find(|x| x.code() == a.aspect).map(|x| x.label(Lang::Zh)));
    let comparison = s.previous.as_ref().zip(s.previous_figures.as_ref()).map(|(p, pf)| {
        format!(
            "与{}相比，覆盖学生{}人（上次{}人），实地走访家庭{}户（上次{}户）。",
            p.name, f.students_reached, pf.students_reached, f.in_person_households, pf.in_person_households
        )
    });
    view! {
        <article class="report" lang="zh" data-testid="report">
            <h1>{format!("{}工作总结", s.campaign.name)}</h1>
            <p class="muted">{format!("活动时间：{} 至 {}", s.campaign.starts_on, s.campaign.ends_on)}</p>
            <p data-testid="report-sentence">{report_sentence(&f)}</p>
            <p>{report_details(&f)}</p>
            <p data-testid="report-participants">{participants_sentence(&participants)}</p>
            {top.map(|t| view! { <p>{format!("家访内容涵盖八个方面，其中“{t}”最多。")}</p> })}
            {comparison.map(|c| view! { <p>{c}</p> })}
            <h2>"每日家访"</h2>
            <DayChart days=s.by_day.clone() />
            <h2>"城市覆盖"</h2>
            <HBars bars=city_bars(&s.by_city, "未覆盖") testid="report-cities" title="城市覆盖" />
            <h2>"八个方面"</h2>
            <HBars bars=aspects testid="report-aspects" title="八个方面" />
            <GroupTable title_zh="按学院" title_en="按学院" rows=s.by_college.clone() testid="report-colleges" />
            <GroupTable title_zh="按辅导员" title_en="按辅导员" rows=s.by_counselor.clone() testid="report-counselors" />
            <super::feedback::FeedbackReport rows=s.feedback_by_college.clone() suggestions=s.feedback_suggestions.clone() />
            <button class="btn no-print" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                "打印"
            </button>
        </article>
    }
}
