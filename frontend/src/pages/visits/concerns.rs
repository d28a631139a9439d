//! Concerns into visits: the open concerns of the campaign's parents' meetings under each
//! student of the plan form and each plan, and in the visit form, where the counselor marks the
//! ones the visit addressed, with a short reply the family reads on their page.

use leptos::prelude::*;
use shared::concerns::{AddressedConcern, OpenConcern, MAX_REPLY};
use shared::time::format_local;
use shared::{CampaignId, StudentId};

use super::form::FormState;
use super::offline::cache;
use crate::api;
use crate::i18n::use_lang;
use crate::t;

/// The campaign's open concerns; none if they cannot be had (the page works without them). Kept
/// on the device so that the visit form has them offline — but not the sensitive ones (mental
/// health, family finances), which the device would hold in the clear: those need the network.
pub async fn load(campaign: CampaignId) -> Vec<OpenConcern> {
    let fetched = api::visits::concerns(campaign).await;
    let sensitive: Vec<OpenConcern> =
        fetched.as_ref().map(|l| l.iter().filter(|c| c.topic.is_sensitive()).cloned().collect()).unwrap_or_default();
    let kept = async move { fetched.map(|l| l.into_iter().filter(|c| !c.topic.is_sensitive()).collect::<Vec<_>>()) };
    let mut all = cache::get(&format!("concerns:{campaign}"), kept).await.unwrap_or_default();
    all.extend(sensitive);
    all.sort_by_key(|c| (c.student_id, c.created_at, c.id));
    all
}

/// One student's among them.
pub fn of(all: &[OpenConcern], student: StudentId) -> Vec<OpenConcern> {
    all.iter().filter(|c| c.student_id == student).cloned().collect()
}

/// A student's open concerns: topic, text, date.
#[component]
pub fn StudentConcerns(concerns: Vec<OpenConcern>) -> impl IntoView {
    let lang = use_lang();
    (!concerns.is_empty()).then(|| {
        view! {
            <ul class="open-concerns" data-testid="student-concerns">
                {concerns.into_iter().map(|c| view! {
                    <li data-testid="open-concern">
                        <span class="badge badge-warn">{move || c.topic.label(lang.get())}</span>
                        " " {c.text.clone()} " "
                        <span class="muted">{move || format_local(c.created_at, lang.get())}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
    })
}

/// A concern in the visit form: addressed by this visit or not, and the reply.
pub type Mark = (OpenConcern, bool, String);

/// The marks for a student's concerns, none addressed yet; their aspects are checked in the form.
pub fn prefill(state: FormState, all: &[OpenConcern], student: Option<StudentId>) -> Vec<Mark> {
    let concerns = student.map(|s| of(all, s)).unwrap_or_default();
    state.aspects.update(|aspects| {
        for c in &concerns {
            if !aspects.contains(&c.aspect()) {
                aspects.push(c.aspect());
            }
        }
    });
    concerns.into_iter().map(|c| (c, false, String::new())).collect()
}

/// What the visit sends: the concerns marked addressed.
pub fn addressed(marks: &[Mark]) -> Vec<AddressedConcern> {
    marks
        .iter()
        .filter(|(_, done, _)| *done)
        .map(|(c, _, reply)| AddressedConcern { concern_id: c.id, reply: reply.trim().to_string() })
        .collect()
}

/// The student's open concerns in the visit form, each to mark as addressed, with a reply.
#[component]
pub fn ConcernMarks(marks: RwSignal<Vec<Mark>>) -> impl IntoView {
    let lang = use_lang();
    // Rows are made again only when the concerns change, not at each tick or keystroke.
    let ids = Memo::new(move |_| marks.with(|l| l.iter().map(|m| m.0.id).collect::<Vec<_>>()));
    let rows = move || {
        (0..ids.with(Vec::len))
            .map(|i| {
                let get = move || marks.with(|l| l.get(i).cloned());
                let Some((c, _, _)) = marks.with_untracked(|l| l.get(i).cloned()) else { return ().into_any() };
                let done = move || get().is_some_and(|m| m.1);
                view! {
                    <li data-testid="concern-mark">
                        <label class="check">
                            <input type="checkbox" data-testid=format!("addressed-{}", c.id) prop:checked=done
                                on:change=move |e| {
                                    let on = event_target_checked(&e);
                                    marks.update(|l| if let Some(m) = l.get_mut(i) { m.1 = on })
                                } />
                            <span class="badge badge-warn">{move || c.topic.label(lang.get())}</span>
                            " " {c.text.clone()} " "
                            <span class="muted">{move || format_local(c.created_at, lang.get())}</span>
                        </label>
                        <Show when=done>
                            <input data-testid=format!("reply-{}", c.id) maxlength=MAX_REPLY.to_string()
                                placeholder=move || lang.get().pick("给家长的简短答复（可选，家长可见）", "A short reply for the family (optional, they see it)")
                                prop:value=move || get().map(|m| m.2).unwrap_or_default()
                                on:input=move |e| {
                                    let v = event_target_value(&e);
                                    marks.update(|l| if let Some(m) = l.get_mut(i) { m.2 = v })
                                } />
                        </Show>
                    </li>
                }
                .into_any()
            })
            .collect_view()
    };
    view! {
        <Show when=move || marks.with(|l| !l.is_empty())>
            <fieldset class="choices" data-testid="visit-open-concerns">
                <legend>{t!("家长会上提出的问题：本次家访已沟通的请勾选", "Raised at the parents' meeting: tick those this visit addressed")}</legend>
                <ul class="rows">{rows}</ul>
            </fieldset>
        </Show>
    }
}
