//! A student's parents and guardians, editable in place: change, remove, add. Phones are checked
//! by the server, whose message appears under the field.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::org::Guardian;
use shared::org_edit::GuardianInput;
use shared::StudentId;

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::t;

/// Every guardian of a student as a small form, and one more to add a guardian.
#[component]
pub fn GuardiansEditor(student_id: StudentId, guardians: Vec<Guardian>, on_change: Callback<()>) -> impl IntoView {
    view! {
        <div class="guardian-forms" data-testid="guardian-editor">
            {guardians.into_iter().map(|g| view! { <GuardianForm student_id guardian=Some(g) on_change /> }).collect_view()}
            <GuardianForm student_id guardian=None on_change />
        </div>
    }
}

#[component]
fn GuardianForm(student_id: StudentId, guardian: Option<Guardian>, on_change: Callback<()>) -> impl IntoView {
    let existing = guardian.as_ref().map(|g| g.id);
    let name = RwSignal::new(guardian.as_ref().map(|g| g.name.clone()).unwrap_or_default());
    let relation = RwSignal::new(guardian.as_ref().and_then(|g| g.relation.clone()).unwrap_or_default());
    let phone =
        RwSignal::new(guardian.as_ref().and_then(|g| g.phone.as_ref()).map(|p| p.to_string()).unwrap_or_default());
    let error = FormError::new();
    let saved = RwSignal::new(false);
    let key = existing.map(|id| id.to_string()).unwrap_or_else(|| "new".into());

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let optional = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|v| !v.is_empty());
        let body = GuardianInput { name: name.get_untracked(), relation: optional(relation), phone: optional(phone) };
        spawn_local(async move {
            let result = match existing {
                Some(id) => api::org::update_guardian(id, &body).await,
                None => api::org::add_guardian(student_id, &body).await,
            };
            match result {
                Ok(_) => {
                    error.clear();
                    saved.set(true);
                    on_change.run(());
                }
                Err(e) => error.set(e),
            }
        });
    };
    let remove = move |_| {
        let Some(id) = existing else { return };
        spawn_local(async move {
            match api::org::delete_guardian(id).await {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(e),
            }
        });
    };
    view! {
        <form class="form guardian-form" on:submit=submit novalidate data-testid=format!("guardian-{key}")>
            <div class="field">
                <label for=format!("g-name-{key}")>{t!("姓名", "Name")}</label>
                <input id=format!("g-name-{key}") data-testid="guardian-name" maxlength="50" bind:value=name />
                <FieldError error field="name" />
            </div>
            <div class="field">
                <label for=format!("g-relation-{key}")>{t!("关系", "Relation")}</label>
                <input id=format!("g-relation-{key}") maxlength="20" bind:value=relation placeholder="父亲 / 母亲 / 祖母" />
                <FieldError error field="relation" />
            </div>
            <div class="field">
                <label for=format!("g-phone-{key}")>{t!("手机号", "Mobile")}</label>
                <input id=format!("g-phone-{key}") data-testid="guardian-phone" type="tel" inputmode="tel" bind:value=phone />
                <FieldError error field="phone" />
            </div>
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="guardian-save">
                    {if existing.is_some() { t!("保存", "Save").into_any() } else { t!("添加家长", "Add guardian").into_any() }}
                </button>
                {existing.map(|_| view! { <button class="btn btn-ghost" type="button" on:click=remove>{t!("删除", "Remove")}</button> })}
                <Show when=move || saved.get()><span class="muted">{t!("已保存", "Saved")}</span></Show>
            </div>
            <FormAlert error />
        </form>
    }
}
