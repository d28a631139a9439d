//! Editing a student by hand (admins, the college's leader, the student's counselor): name,
//! gender, class, studies, home and hardship level, each field's error under it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::org::StudentDetail;
use shared::org_edit::StudentUpdate;
use shared::{Gender, Hardship};

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::pages::campaigns::form::parse_number;
use crate::t;

fn text(s: RwSignal<String>) -> Option<String> {
    Some(s.get_untracked().trim().to_string()).filter(|v| !v.is_empty())
}

#[component]
pub fn StudentEditor(student: StudentDetail, on_done: Callback<()>, on_cancel: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    let id = student.summary.id;
    let college_id = student.college_id;
    let classes = LocalResource::new(move || api::org::classes(college_id));
    let name = RwSignal::new(student.summary.name.clone());
    let gender = RwSignal::new(student.summary.gender);
    let class_id = RwSignal::new(student.summary.class_id);
    let major = RwSignal::new(student.major.clone().unwrap_or_default());
    let grade = RwSignal::new(student.grade.map(|g| g.to_string()).unwrap_or_default());
    let province = RwSignal::new(student.province.clone().unwrap_or_default());
    let city = RwSignal::new(student.summary.city.clone().unwrap_or_default());
    let district = RwSignal::new(student.summary.district.clone().unwrap_or_default());
    let address = RwSignal::new(student.address.clone().unwrap_or_default());
    let hardship = RwSignal::new(student.hardship);
    let error = FormError::new();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let Ok(grade) = parse_number(&grade.get_untracked()) else {
            return error
                .local("grade", lang.get_untracked().pick("请输入年级，例如 2023", "Enter a year such as 2023"));
        };
        let body = StudentUpdate {
            name: name.get_untracked(),
            gender: gender.get_untracked(),
            class_id: class_id.get_untracked(),
            major: text(major),
            grade,
            province: text(province),
            city: text(city),
            district: text(district),
            address: text(address),
            hardship: hardship.get_untracked(),
        };
        spawn_local(async move {
            match api::org::update_student(id, &body).await {
                Ok(()) => on_done.run(()),
                Err(e) => error.set(e),
            }
        });
    };
    let input = move |field: &'static str, label: (&'static str, &'static str), value: RwSignal<String>| {
        let id = format!("student-{field}");
        view! {
            <div class="field">
                <label for=id.clone()>{move || lang.get().pick(label.0, label.1)}</label>
                <input id=id.clone() data-testid=id maxlength="200" bind:value=value />
                <FieldError error field />
            </div>
        }
    };

    view! {
        <form class="form card wide-form" on:submit=submit novalidate data-testid="student-form">
            <div class="form-grid">
                {input("name", ("姓名", "Name"), name)}
                <div class="field">
                    <label for="student-gender">{t!("性别", "Gender")}</label>
                    <select id="student-gender" on:change=move |ev| gender.set(Gender::parse(&event_target_value(&ev)).ok())>
                        <option value="" selected=gender.get_untracked().is_none()>"—"</option>
                        {Gender::ALL.iter().map(|g| view! {
                            <option value=g.code() selected=gender.get_untracked() == Some(*g)>{move || g.label(lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="student-class">{t!("班级", "Class")}</label>
                    <select id="student-class" data-testid="student-class" on:change=move |ev| {
                        if let Ok(id) = event_target_value(&ev).parse() { class_id.set(id) }
                    }>
                        {move || classes.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|c| view! {
                            <option value=c.id.to_string() selected=class_id.get_untracked() == c.id>{c.name}</option>
                        }).collect_view()}
                    </select>
                    <FieldError error field="class_id" />
                </div>
                {input("major", ("专业", "Major"), major)}
                {input("grade", ("年级", "Grade (year)"), grade)}
                {input("province", ("省份", "Province"), province)}
                {input("city", ("城市", "City"), city)}
                {input("district", ("区县", "District"), district)}
                <div class="field field-wide sensitive-field">
                    <label for="student-address">{t!("家庭住址（敏感信息）", "Home address (sensitive)")}</label>
                    <input id="student-address" data-testid="student-address" maxlength="200" bind:value=address />
                    <FieldError error field="address" />
                </div>
                <div class="field sensitive-field">
                    <label for="student-hardship">{t!("经济困难等级（敏感信息）", "Financial hardship (sensitive)")}</label>
                    <select id="student-hardship" on:change=move |ev| hardship.set(Hardship::parse(&event_target_value(&ev)).ok())>
                        <option value="" selected=hardship.get_untracked().is_none()>{t!("无", "None")}</option>
                        {Hardship::ALL.iter().map(|h| view! {
                            <option value=h.code() selected=hardship.get_untracked() == Some(*h)>{move || h.label(lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <FormAlert error />
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="student-save">{t!("保存", "Save")}</button>
                <button class="btn btn-ghost" type="button" on:click=move |_| on_cancel.run(())>{t!("取消", "Cancel")}</button>
            </div>
        </form>
    }
}
