//! `/campaigns/:id/priority`: students at hardship level 特别困难 the campaign has not yet
//! visited in person, per counselor, within the caller's scope (issue 17, item 7). The server
//! refuses callers who may not see hardship levels and audits every read.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::aid::{PriorityCounselor, PriorityList};
use shared::Lang;

use crate::api;
use crate::components::route::route_id;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn PriorityPage() -> impl IntoView {
    let id = route_id::<shared::CampaignId>();
    let list = LocalResource::new(move || async move { api::campaigns::priority(id().unwrap_or_default()).await });
    view! {
        <StaffOnly>
            <div class="priority">
                <h1>{t!("特别困难学生实地走访", "Severe-hardship students visited in person")}</h1>
                {move || id().map(|id| view! {
                    <A href=format!("/campaigns/{id}/dashboard") attr:class="btn btn-ghost">{t!("返回看板", "Back to the dashboard")}</A>
                })}
                <Transition fallback=Loading>
                    <ErrorBoundary fallback=error_list>
                        {move || Suspend::new(async move { list.await.map(|l| view! { <Priority l /> }) })}
                    </ErrorBoundary>
                </Transition>
            </div>
        </StaffOnly>
    }
}

fn summary(l: &PriorityList, lang: Lang) -> String {
    let waiting = l.students - l.visited_in_person;
    match lang {
        Lang::Zh => {
            format!("特别困难学生{}人，已实地走访{}人，尚未实地走访{}人。", l.students, l.visited_in_person, waiting)
        }
        Lang::En => format!(
            "{} students at severe hardship: {} visited in person, {} not yet.",
            l.students, l.visited_in_person, waiting
        ),
    }
}

#[component]
fn Priority(l: PriorityList) -> impl IntoView {
    let lang = use_lang();
    let rule = l.rule_on;
    let text = summary(&l, lang.get_untracked());
    let counselors = l.counselors;
    let empty = counselors.is_empty();
    view! {
        <p data-testid="priority-rule">
            {move || if rule {
                lang.get().pick("本次活动要求：特别困难学生全部实地走访。", "This campaign's rule: every severe-hardship student is visited in person.")
            } else {
                lang.get().pick("本次活动未启用特别困难学生实地走访要求。", "This campaign has not turned the in-person rule on.")
            }}
        </p>
        <p data-testid="priority-summary">{text}</p>
        {empty.then(|| view! { <p data-testid="priority-done">{t!("均已实地走访。", "All visited in person.")}</p> })}
        {counselors.into_iter().map(|c| view! { <Counselor c /> }).collect_view()}
    }
}

#[component]
fn Counselor(c: PriorityCounselor) -> impl IntoView {
    let lang = use_lang();
    let testid = format!("priority-counselor-{}", c.counselor_id.map(|i| i.get()).unwrap_or(0));
    let name = if c.counselor.is_empty() {
        lang.get_untracked().pick("（未设辅导员）", "(no counselor)").to_string()
    } else {
        c.counselor
    };
    view! {
        <h2>{name} {format!("（{}）", c.students.len())}</h2>
        <div class="table-wrap">
            <table class="dash-table" data-testid=testid>
                <thead>
                    <tr>
                        <th>{t!("学号", "Student no.")}</th>
                        <th>{t!("姓名", "Name")}</th>
                        <th>{t!("班级", "Class")}</th>
                        <th>{t!("学院", "College")}</th>
                        <th>{t!("已联系", "Reached by")}</th>
                    </tr>
                </thead>
                <tbody>
                    {c.students.into_iter().map(|s| {
                        let reached = s.reached_by.clone();
                        view! {
                            <tr data-testid=format!("priority-student-{}", s.id)>
                                <td>{s.student_no}</td>
                                <td><A href=format!("/students/{}", s.id)>{s.name}</A></td>
                                <td>{s.class_name}</td>
                                <td>{s.college_name}</td>
                                <td>{move || reached_label(reached.as_deref(), lang.get())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn reached_label(mode: Option<&str>, lang: Lang) -> &'static str {
    match mode {
        Some("cloud") => lang.pick("云端", "Cloud"),
        Some("phone") => lang.pick("电话", "Phone"),
        _ => lang.pick("未联系", "Not yet"),
    }
}
