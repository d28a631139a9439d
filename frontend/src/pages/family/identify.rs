//! A class link: the parent proves who they are with the student number (or, when they do not
//! know it, the student's name) and the last four digits of the phone number the school has.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{ClassLinkInfo, FamilyPage, IdentifyRequest};

use crate::api::family;
use crate::t;

#[component]
pub fn Identify(token: String, info: ClassLinkInfo, on_done: Callback<FamilyPage>) -> impl IntoView {
    let student_no = RwSignal::new(String::new());
    let student_name = RwSignal::new(String::new());
    // Many parents do not know the student number; the name is asked instead, one or the other.
    let by_name = RwSignal::new(false);
    let lang = crate::i18n::use_lang();
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
        let named = by_name.get_untracked();
        let body = IdentifyRequest {
            token: token.clone(),
            student_no: if named { String::new() } else { student_no.get_untracked() },
            student_name: if named { student_name.get_untracked() } else { String::new() },
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
            <p>{t!("请输入学生的学号（或姓名）和您在学校登记的手机号后四位。", "Enter the student number (or name) and the last four digits of the phone number the school has for you.")}</p>
            <form class="form" on:submit=submit novalidate>
                <Show
                    when=move || by_name.get()
                    fallback=move || view! {
                        <label for="student-no">{t!("学号", "Student number")}</label>
                        <input id="student-no" data-testid="student-no" inputmode="numeric" autocomplete="off" required
                            bind:value=student_no />
                    }
                >
                    <label for="student-name">{t!("学生姓名", "Student's name")}</label>
                    <input id="student-name" data-testid="student-name" autocomplete="off" required
                        bind:value=student_name />
                </Show>
                <button class="btn btn-ghost" type="button" data-testid="identify-switch"
                    on:click=move |_| by_name.update(|b| *b = !*b)>
                    {move || if by_name.get() {
                        lang.get().pick("改用学号", "Use the student number instead")
                    } else {
                        lang.get().pick("不知道学号？改用学生姓名", "Don't know the student number? Use the name")
                    }}
                </button>
                <label for="last-four">{t!("手机号后四位", "Last four digits of your phone")}</label>
                <input id="last-four" data-testid="last-four" inputmode="numeric" maxlength="4" autocomplete="off"
                    required bind:value=last_four />
                <super::ErrorLine error testid="identify-error" />
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>{t!("进入", "Continue")}</button>
            </form>
        </section>
    }
}
