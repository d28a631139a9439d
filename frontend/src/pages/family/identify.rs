//! A class link: the parent proves who they are with the student number and the last four
//! digits of the phone number the school has for them.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{ClassLinkInfo, FamilyPage, IdentifyRequest};

use crate::api::family;
use crate::t;

#[component]
pub fn Identify(token: String, info: ClassLinkInfo, on_done: Callback<FamilyPage>) -> impl IntoView {
    let student_no = RwSignal::new(String::new());
    let last_four = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let body = IdentifyRequest {
            token: token.clone(),
            student_no: student_no.get_untracked(),
            last_four: last_four.get_untracked(),
        };
        spawn_local(async move {
            match family::identify(&body).await {
                Ok(page) => on_done.run(page),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <section class="card family-card">
            <p class="muted">{info.class_name}</p>
            <h1>{info.theme}</h1>
            <p>{t!("请输入学生的学号和您在学校登记的手机号后四位。", "Enter the student number and the last four digits of the phone number the school has for you.")}</p>
            <form class="form" on:submit=submit novalidate>
                <label for="student-no">{t!("学号", "Student number")}</label>
                <input id="student-no" data-testid="student-no" inputmode="numeric" autocomplete="off" required
                    bind:value=student_no />
                <label for="last-four">{t!("手机号后四位", "Last four digits of your phone")}</label>
                <input id="last-four" data-testid="last-four" inputmode="numeric" maxlength="4" autocomplete="off"
                    required bind:value=last_four />
                <Show when=move || error.get().is_some()>
                    <p class="alert" role="alert" data-testid="identify-error">{move || error.get()}</p>
                </Show>
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>{t!("进入", "Continue")}</button>
            </form>
        </section>
    }
}
