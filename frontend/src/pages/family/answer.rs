//! The one-tap answer: in person, online or not at all, with the number of people coming.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{AnswerInput, AnswerStatus, Attendance, FamilyPage};

use crate::api::family;
use crate::i18n::use_lang;
use crate::t;

fn status_text(page: &FamilyPage, lang: shared::Lang) -> String {
    let Some(a) = &page.answer else {
        return lang.pick("您还没有回复。", "You have not answered yet.").to_string();
    };
    match (a.answer, a.status) {
        (Attendance::InPerson, AnswerStatus::Waitlisted) => match lang {
            shared::Lang::Zh => format!("名额已满，您在候补名单第 {} 位。有名额空出时会自动为您报名。", a.waitlist_position.unwrap_or(0)),
            shared::Lang::En => format!(
                "The meeting is full: you are number {} on the waitlist. You will get a seat automatically when one frees up.",
                a.waitlist_position.unwrap_or(0)
            ),
        },
        (Attendance::InPerson, _) => match lang {
            shared::Lang::Zh => format!("已报名到场参加，{} 人。", a.people),
            shared::Lang::En => format!("You are coming in person: {} people.", a.people),
        },
        (Attendance::Online, _) => match lang {
            shared::Lang::Zh => format!("已报名线上参加，{} 人。", a.people),
            shared::Lang::En => format!("You will attend online: {} people.", a.people),
        },
        (Attendance::Absent, _) => lang.pick("您已回复无法参加。", "You have said you cannot attend.").to_string(),
    }
}

#[component]
pub fn AnswerCard(page: FamilyPage, set_page: Callback<FamilyPage>) -> impl IntoView {
    let lang = use_lang();
    let current = page.answer.as_ref().map(|a| a.answer);
    let people = RwSignal::new(page.answer.as_ref().map(|a| a.people).filter(|p| *p > 0).unwrap_or(1));
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let can_change = page.can_change;
    let per_family = page.per_family;

    let send = move |choice: Option<Attendance>| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = match choice {
                Some(answer) => {
                    let body = AnswerInput { answer, people: people.get_untracked() };
                    family::answer(&body).await
                }
                None => family::withdraw_answer().await,
            };
            match result {
                Ok(page) => set_page.run(page),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    let status = move || status_text(&page, lang.get());
    let choices = Attendance::ALL.map(|choice| {
        let selected = current == Some(choice);
        view! {
            <button type="button" class="answer-choice" class:selected=selected aria-pressed=selected.to_string()
                data-testid=format!("answer-{}", choice.code()) disabled=move || busy.get() || !can_change
                on:click=move |_| send(Some(choice))>
                {move || choice.label(lang.get())}
            </button>
        }
    });
    view! {
        <section class="card family-card" aria-labelledby="answer-title">
            <h2 id="answer-title">{t!("您能参加吗？", "Can you come?")}</h2>
            <label for="people">{t!("参加人数", "People coming")}</label>
            <select id="people" data-testid="people" disabled=move || !can_change
                on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse::<i64>() {
                        people.set(n);
                        if let Some(answer) = current.filter(|a| *a != Attendance::Absent) {
                            send(Some(answer));
                        }
                    }
                }>
                {(1..=per_family)
                    .map(|n| view! { <option value=n.to_string() selected=move || people.get() == n>{n}</option> })
                    .collect_view()}
            </select>
            <div class="answer-choices" role="group" aria-labelledby="answer-title">{choices}</div>
            <p class="answer-status" role="status" data-testid="answer-status">{status}</p>
            <super::ErrorLine error testid="answer-error" />
            {if can_change {
                (current.is_some())
                    .then(|| {
                        view! {
                            <button type="button" class="btn btn-ghost" data-testid="withdraw"
                                on:click=move |_| send(None)>{t!("撤回回复", "Withdraw my answer")}</button>
                        }
                    })
                    .into_any()
            } else {
                view! { <p class="muted">{t!("报名已截止。", "Sign-up has closed.")}</p> }.into_any()
            }}
        </section>
    }
}
