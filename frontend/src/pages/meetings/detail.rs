//! `/meetings/:id`: the counselor's meeting page on a tablet. Sign-ups refresh every few seconds;
//! attendance is taken by tapping names; concerns are grouped by topic.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{AnswerStatus, AttendanceMark, ConcernGroup, Meeting, Signups};
use shared::StudentId;

use super::links::LinksSection;
use super::outbox::OutboxSection;
use crate::api;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::components::student_link::StudentLink;
use crate::i18n::use_lang;
use crate::t;

/// How often the sign-ups are fetched again.
const POLL_MS: u32 = 4000;

#[component]
pub fn MeetingPage() -> impl IntoView {
    let id = route_id::<shared::MeetingId>();
    let meeting = LocalResource::new(move || async move {
        let id = id().ok_or_else(not_found)?;
        api::meetings::get_one(id).await
    });
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move { meeting.await.map(|m| view! { <MeetingView meeting=m /> }) })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn MeetingView(meeting: Meeting) -> impl IntoView {
    let lang = use_lang();
    let id = meeting.id;
    let signups = RwSignal::new(None::<Signups>);
    let concerns = RwSignal::new(Vec::<ConcernGroup>::new());
    let held = RwSignal::new(meeting.held_at.is_some());
    let error = RwSignal::new(None::<String>);
    let feedback = RwSignal::new(None::<shared::feedback::MeetingFeedback>);
    let refresh = move || {
        spawn_local(async move {
            match api::meetings::signups(id).await {
                Ok(s) => signups.set(Some(s)),
                Err(e) => error.set(Some(e.message)),
            }
            if let Ok(c) = api::meetings::concerns(id).await {
                concerns.set(c);
            }
            if held.get_untracked() {
                if let Ok(f) = api::meetings::feedback(id).await {
                    feedback.set(Some(f));
                }
            }
        });
    };
    refresh();
    // Live: poll while the page is open.
    if let Ok(handle) = set_interval_with_handle(refresh, std::time::Duration::from_millis(POLL_MS.into())) {
        on_cleanup(move || handle.clear());
    }
    let toggle = move |student_id: StudentId, present: bool| {
        spawn_local(async move {
            let body = AttendanceMark { student_id, present };
            match api::meetings::mark_attendance(id, &body).await {
                Ok(s) => signups.set(Some(s)),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let mark_held = move |_| {
        spawn_local(async move {
            if api::meetings::mark_held(id).await.is_ok() {
                held.set(true);
            }
        });
    };
    let d = meeting.details.clone();
    view! {
        <div class="meeting-bar">
            <div>
                <p class="muted">{meeting.college_name.clone()} " · " {meeting.class_name.clone()}</p>
                <h1 data-testid="meeting-theme">{d.theme.clone()}</h1>
                <p class="muted">
                    {move || crate::pages::family::when(d.starts_at, d.ends_at, lang.get())} " · "
                    {d.place.clone().unwrap_or_default()}
                </p>
            </div>
            <Show when=move || !held.get() fallback=|| view! { <span class="meeting-badge" data-testid="held">{t!("已召开", "Held")}</span> }>
                <button class="btn" data-testid="mark-held" on:click=mark_held>{t!("标记为已召开", "Mark as held")}</button>
            </Show>
        </div>
        <Show when=move || error.get().is_some()>
            <p class="alert" role="alert">{move || error.get()}</p>
        </Show>
        {move || signups.get().map(|s| view! { <Counts signups=s.clone() /> <Families signups=s toggle /> })}
        <h2>{t!("家长关心的问题", "Concerns raised")}</h2>
        <div class="concerns" data-testid="concerns">
            {move || {
                concerns
                    .get()
                    .into_iter()
                    .filter(|g| !g.concerns.is_empty())
                    .map(|g| {
                        view! {
                            <section class="card">
                                <h3>{move || g.topic.label(lang.get())} " (" {g.concerns.len()} ")"</h3>
                                <ul class="plain">
                                    {g.concerns.iter().map(|c| view! { <li><strong><StudentLink id=c.student_id name=c.student_name.clone() /></strong> "：" {c.text.clone()}</li> }).collect_view()}
                                </ul>
                            </section>
                        }
                    })
                    .collect_view()
            }}
        </div>
        <Show when=move || held.get()>
            <super::feedback::FeedbackSection feedback />
        </Show>
        <LinksSection meeting=meeting.clone() />
        <OutboxSection meeting_id=id />
    }
}

#[component]
fn Counts(signups: Signups) -> impl IntoView {
    let c = signups.counts;
    let tile = |label: (&'static str, &'static str), n: i64, id: &'static str| {
        view! { <li class="count" data-testid=id><strong>{n}</strong><span>{t!(label.0, label.1)}</span></li> }
    };
    view! {
        <ul class="counts">
            {tile(("到场", "In person"), c.in_person, "count-in-person")}
            {tile(("线上", "Online"), c.online, "count-online")}
            {tile(("不参加", "Not coming"), c.absent, "count-absent")}
            {tile(("候补", "Waitlist"), c.waitlisted, "count-waitlisted")}
            {tile(("未回复", "No answer"), c.not_answered, "count-not-answered")}
            {tile(("已占座位", "Seats taken"), c.seats_taken, "count-seats")}
        </ul>
    }
}

#[component]
fn Families(signups: Signups, toggle: impl Fn(StudentId, bool) + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let mut waitlist: Vec<_> = signups.families.iter().filter(|f| f.waitlist_position.is_some()).cloned().collect();
    waitlist.sort_by_key(|f| f.waitlist_position);
    view! {
        <h2>{t!("签到（点姓名签到）", "Attendance (tap a name)")}</h2>
        <ul class="families" data-testid="families">
            {signups
                .families
                .into_iter()
                .map(|f| {
                    let present = f.attended;
                    let answer = f.answer;
                    let waiting = f.status == Some(AnswerStatus::Waitlisted);
                    let summary = move || match (answer, waiting) {
                        (_, true) => lang.get().pick("候补", "Waitlist").to_string(),
                        (Some(a), _) => format!("{} · {}", a.label(lang.get()), f.people),
                        (None, _) => lang.get().pick("未回复", "No answer").to_string(),
                    };
                    view! {
                        <li>
                            <button type="button" class="family-row" class:present=present aria-pressed=present.to_string()
                                data-testid=format!("attend-{}", f.student_id) on:click=move |_| toggle(f.student_id, !present)>
                                <strong>{f.student_name.clone()}</strong>
                                <span class="muted">{summary}</span>
                                <span class="tick" aria-hidden="true">{if present { "✓" } else { "" }}</span>
                            </button>
                            <StudentLink id=f.student_id name=lang.get_untracked().pick("档案", "Record") />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {(!waitlist.is_empty()).then(|| view! {
            <h2>{t!("候补名单", "Waitlist")}</h2>
            <ol data-testid="waitlist">
                {waitlist.into_iter().map(|f| view! { <li><StudentLink id=f.student_id name=f.student_name /> " · " {f.people}</li> }).collect_view()}
            </ol>
        })}
    }
}
