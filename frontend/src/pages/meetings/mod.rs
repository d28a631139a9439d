//! Parents' meetings for staff: the list, scheduling (one class, or every class at once for
//! admins and college leaders), and a meeting's page (`detail`) for the tablet at the meeting.

pub mod detail;
mod feedback;
mod form;
mod links;
mod outbox;
mod poster;
mod share;

use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::t;

pub use form::NewMeeting;

/// `/meetings`: the meetings of the classes the user may see.
#[component]
pub fn MeetingsList() -> impl IntoView {
    let lang = use_lang();
    let meetings = LocalResource::new(api::meetings::list);
    view! {
        <StaffOnly>
            <div class="meeting-bar">
                <h1>{t!("家长会", "Parents' meetings")}</h1>
                <A href=crate::apps::href("/meetings/new") attr:class="btn btn-primary" attr:data-testid="new-meeting">
                    {t!("安排家长会", "Schedule a meeting")}
                </A>
            </div>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        meetings.await.map(|list| {
                            if list.is_empty() {
                                return view! { <p class="muted">{t!("还没有家长会。", "No meetings yet.")}</p> }.into_any();
                            }
                            view! {
                                <ul class="tiles" data-testid="meetings">
                                    {list
                                        .into_iter()
                                        .map(|m| {
                                            let c = m.counts.clone();
                                            view! {
                                                <li>
                                                    <A href=crate::apps::href(&format!("/meetings/{}", m.id)) attr:class="tile">
                                                        <strong>{m.details.theme.clone()}</strong>
                                                        <span>{m.class_name.clone()}</span>
                                                        <span class="muted">
                                                            {move || shared::meetings::format_local(m.details.starts_at, lang.get())}
                                                        </span>
                                                        <span class="muted">
                                                            {t!("到场 ", "In person ")}{c.in_person}
                                                            {t!(" · 线上 ", " · Online ")}{c.online}
                                                            {t!(" · 未回复 ", " · No answer ")}{c.not_answered}
                                                        </span>
                                                    </A>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            }
                                .into_any()
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}
