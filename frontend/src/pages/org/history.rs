//! The history part of `/students/:id`: visits across campaigns (newest first), the family's
//! meeting answers and attendance, concerns, follow-ups and hardship aid received. The server
//! sends each part only to those allowed to see it; a part it withholds (`None`) says so rather
//! than reading as "nothing happened". Loaded apart from the student's record, so that a team
//! leader who may not open the record still sees the visits their team made.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::history::StudentHistory;
use shared::time::format_local;
use shared::visits::{fen_to_yuan, FollowUpStatus};
use shared::{Lang, StudentId};

use crate::api;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn History(id: StudentId) -> impl IntoView {
    let history = LocalResource::new(move || api::org::student_history(id));
    let lang = use_lang();
    view! {
        <section data-testid="student-history">
            <h2>{t!("历史记录", "History")}</h2>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move { history.await.map(move |h| parts(h, lang.get_untracked())) })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

fn hidden() -> impl IntoView {
    view! { <p class="muted">{t!("无权查看", "Not shown to your account")}</p> }
}

fn none() -> impl IntoView {
    view! { <p class="muted">{t!("暂无", "None")}</p> }
}

fn parts(h: StudentHistory, l: Lang) -> impl IntoView {
    view! {
        <h3>{t!("家访", "Visits")}</h3>
        {h.visits.is_empty().then(none)}
        <ul class="rows" data-testid="history-visits">
            {h.visits.into_iter().map(|v| {
                let aspects = v.aspects.iter().map(|a| a.label(l)).collect::<Vec<_>>().join("、");
                view! {
                    <li data-testid="history-visit">
                        <A href=format!("/visit/{}", v.id)>{v.date}</A>
                        <span>{v.campaign_name}</span>
                        <span class="muted">{v.mode.label(l)} " · " {v.author.name}</span>
                        <span class="muted">{aspects}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>{t!("家长会", "Parents' meetings")}</h3>
        {match h.meetings {
            None => hidden().into_any(),
            Some(meetings) if meetings.is_empty() => none().into_any(),
            Some(meetings) => view! {
                <ul class="rows" data-testid="history-meetings">
                    {meetings.into_iter().map(|m| view! {
                        <li>
                            <A href=format!("/meetings/{}", m.meeting_id)>{m.theme}</A>
                            <span class="muted">{format_local(m.starts_at, l)}</span>
                            <span>{m.answer.map(|a| a.label(l)).unwrap_or_else(|| l.pick("未回复", "No answer"))}</span>
                            {(m.people > 0).then(|| view! { <span class="muted">{format!("{} {}", m.people, l.pick("人", "people"))}</span> })}
                            {m.attended.then(|| view! { <span class="badge">{t!("已到会", "Attended")}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
        <h3>{t!("家长关注的问题", "Concerns raised")}</h3>
        {h.concerns.is_empty().then(none)}
        {(!h.sensitive_visible).then(|| view! {
            <p class="muted">{t!("心理健康、家庭经济类问题仅班级辅导员、班主任、学院领导可见", "Mental health and family finances: only the class's own staff see them")}</p>
        })}
        <ul class="rows" data-testid="history-concerns">
            {h.concerns.into_iter().map(|c| view! {
                <li data-testid="history-concern" class:sensitive=c.topic.is_sensitive()>
                    <span class="badge">{c.topic.label(l)}</span>
                    <span>{c.text}</span>
                    <span class="muted">{format_local(c.created_at, l)}</span>
                    {c.visit_id.map(|v| view! {
                        <A href=format!("/visit/{v}")>{t!("已在家访中沟通", "Discussed during the home visit")}</A>
                    })}
                    {c.reply.map(|r| view! { <span class="muted">"“" {r} "”"</span> })}
                </li>
            }).collect_view()}
        </ul>
        <h3>{t!("后续跟进", "Follow-ups")}</h3>
        {h.follow_ups.is_empty().then(none)}
        <ul class="rows" data-testid="history-follow-ups">
            {h.follow_ups.into_iter().map(|f| {
                let done = f.status == FollowUpStatus::Done;
                view! {
                    <li data-testid="history-follow-up" data-status=if done { "done" } else { "open" }>
                        <strong>{f.what}</strong>
                        <span>{f.owner.name}</span>
                        {f.department.map(|d| view! { <span class="badge">{d.label(l)}</span> })}
                        <span>{t!("截止 ", "due ")}{f.due_on}</span>
                        {done.then(|| view! { <span class="badge badge-closed">{t!("已关闭", "closed")}</span> })}
                        {f.outcome.map(|o| view! { <span>{o}</span> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        <h3>{t!("资助与慰问", "Hardship aid received")}</h3>
        {match h.aid {
            None => hidden().into_any(),
            Some(aid) if aid.is_empty() => none().into_any(),
            Some(aid) => view! {
                <ul class="rows sensitive" data-testid="history-aid">
                    {aid.into_iter().map(|a| view! {
                        <li>
                            <A href=format!("/visit/{}", a.visit_id)>{a.date}</A>
                            <span>{a.campaign_name}</span>
                            {a.grant_fen.map(|fen| view! { <span>{aid_grant(fen, l)}</span> })}
                            <span>{a.gifts}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

fn aid_grant(fen: i64, l: Lang) -> String {
    format!("{} {} {}", l.pick("慰问金", "Grant"), fen_to_yuan(fen), l.pick("元", "yuan"))
}
