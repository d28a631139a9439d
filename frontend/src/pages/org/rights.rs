//! A family's rights on the student's page (issue 19 item 4): with the requester and the reason
//! written first, export everything held (a JSON file to save), record a correction (then made
//! with the edit forms, which open), or erase the personal data. Admins and college leaders; the
//! server checks the student's college and audits each request.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::retention::RightsRequest;
use shared::StudentId;

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Export,
    Correct,
    Erase,
}

#[component]
pub fn RightsPanel(student_id: StudentId, on_correct: Callback<()>, on_erased: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let reason = RwSignal::new(String::new());
    let error = FormError::new();
    let file = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    let act = move |action: Action| {
        if action == Action::Erase {
            let question = lang.get_untracked().pick(
                "删除后该学生及家长的个人信息将无法恢复（统计数字保留）。确定删除吗？",
                "The student's and guardians' personal data cannot be restored (the figures stay). Erase it?",
            );
            if !web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false) {
                return;
            }
        }
        let body = RightsRequest { reason: reason.get_untracked() };
        busy.set(true);
        spawn_local(async move {
            let l = lang.get_untracked();
            let result = match action {
                Action::Export => api::privacy::export_student(student_id, &body).await.map(|data| {
                    let text = serde_json::to_string_pretty(&data).unwrap_or_default();
                    file.set(Some(format!(
                        "data:application/json;charset=utf-8,{}",
                        js_sys::encode_uri_component(&text)
                    )));
                    l.pick("已导出，请保存文件后交给家长。", "Exported: save the file and hand it to the family.")
                }),
                Action::Correct => api::privacy::request_correction(student_id, &body).await.map(|_| {
                    on_correct.run(());
                    l.pick(
                        "已记录更正申请，请在下方修改。",
                        "The correction request is recorded: make the changes below.",
                    )
                }),
                Action::Erase => api::privacy::erase_student(student_id, &body).await.map(|_| {
                    on_erased.run(());
                    l.pick("个人信息已删除，审计记录保留。", "The personal data is erased; the audit trail stays.")
                }),
            };
            busy.set(false);
            match result {
                Ok(message) => {
                    error.clear();
                    done.set(Some(message));
                }
                Err(e) => error.set(e),
            }
        });
    };
    view! {
        <section class="rights" data-testid="rights">
            <h2>{t!("个人信息权利申请", "A family's requests about their data")}</h2>
            <p class="muted">
                {t!("家长或学生本人申请查阅、更正或删除个人信息时使用。每次操作都会记入审计日志。",
                    "For a family's or the student's request to see, correct or erase their personal data. Each is written to the audit log.")}
            </p>
            <div class="field">
                <label for="rights-reason">{t!("申请人和理由（必填）", "Who asked and why (required)")}</label>
                <textarea id="rights-reason" data-testid="rights-reason" maxlength="500" bind:value=reason></textarea>
                <FieldError error field="reason" />
            </div>
            <div class="actions">
                <button class="btn" data-testid="rights-export" disabled=move || busy.get()
                    on:click=move |_| act(Action::Export)>{t!("导出全部信息", "Export everything")}</button>
                <button class="btn" data-testid="rights-correct" disabled=move || busy.get()
                    on:click=move |_| act(Action::Correct)>{t!("更正", "Correct")}</button>
                <button class="btn btn-danger" data-testid="rights-erase" disabled=move || busy.get()
                    on:click=move |_| act(Action::Erase)>{t!("删除个人信息", "Erase personal data")}</button>
            </div>
            {move || done.get().map(|m| view! { <p class="note" data-testid="rights-done">{m}</p> })}
            {move || file.get().map(|href| view! {
                <a class="btn btn-primary" href=href download=format!("student-{student_id}-data.json")
                    data-testid="rights-export-file">{t!("保存文件", "Save the file")}</a>
            })}
            <FormAlert error />
        </section>
    }
}
