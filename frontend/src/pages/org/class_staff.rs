//! Choosing a class's counselor and class advisor (admins, or the college's leader) from the
//! staff of the class's college.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::org::Class;
use shared::org_edit::ClassStaff;
use shared::{Role, UserId};

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::t;

#[component]
pub fn ClassStaffEditor(class: Class, on_done: Callback<()>, on_cancel: Callback<()>) -> impl IntoView {
    let id = class.id;
    let college_id = class.college_id;
    let staff = LocalResource::new(move || api::org::staff(None, Some(college_id)));
    let counselor = RwSignal::new(None::<UserId>);
    let advisor = RwSignal::new(None::<UserId>);
    let error = FormError::new();
    // The class names its staff; the picker starts on the people of those names.
    let (counselor_name, advisor_name) = (class.counselor_name.clone(), class.advisor_name.clone());
    Effect::new(move || {
        if let Some(Ok(list)) = staff.get() {
            let find = |name: &Option<String>, role: Role| {
                list.iter().find(|s| s.role == role && Some(&s.display_name) == name.as_ref()).map(|s| s.id)
            };
            counselor.set(find(&counselor_name, Role::Counselor));
            advisor.set(find(&advisor_name, Role::ClassAdvisor));
        }
    });
    let options = move |role: Role, chosen: RwSignal<Option<UserId>>| {
        staff
            .get()
            .and_then(|r| r.ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.role == role)
            .map(|s| view! { <option value=s.id.to_string() selected=move || chosen.get() == Some(s.id)>{s.display_name}</option> })
            .collect_view()
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let body = ClassStaff { counselor_id: counselor.get_untracked(), advisor_id: advisor.get_untracked() };
        spawn_local(async move {
            match api::org::set_class_staff(id, &body).await {
                Ok(_) => on_done.run(()),
                Err(e) => error.set(e),
            }
        });
    };
    view! {
        <form class="form card" on:submit=submit novalidate data-testid="class-staff-form">
            <label for="class-counselor">{t!("辅导员", "Counselor")}</label>
            <select id="class-counselor" data-testid="class-counselor" on:change=move |ev| counselor.set(event_target_value(&ev).parse().ok())>
                <option value="">{t!("（暂无）", "(none)")}</option>
                {move || options(Role::Counselor, counselor)}
            </select>
            <FieldError error field="counselor_id" />
            <label for="class-advisor">{t!("班主任", "Class advisor")}</label>
            <select id="class-advisor" data-testid="class-advisor" on:change=move |ev| advisor.set(event_target_value(&ev).parse().ok())>
                <option value="">{t!("（暂无）", "(none)")}</option>
                {move || options(Role::ClassAdvisor, advisor)}
            </select>
            <FieldError error field="advisor_id" />
            <FormAlert error />
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="class-staff-save">{t!("保存", "Save")}</button>
                <button class="btn btn-ghost" type="button" on:click=move |_| on_cancel.run(())>{t!("取消", "Cancel")}</button>
            </div>
        </form>
    }
}
