use leptos::prelude::*;
use leptos_router::components::A;
use shared::org::StudentSummary;

use crate::i18n::use_lang;
use crate::t;

/// A list of students; a table on wide screens, stacked rows on a phone (see `style.css`).
#[component]
pub fn StudentTable(students: Vec<StudentSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <table class="list" data-testid="students">
            <thead>
                <tr>
                    <th>{t!("姓名", "Name")}</th>
                    <th>{t!("学号", "Student no.")}</th>
                    <th>{t!("班级", "Class")}</th>
                    <th>{t!("家庭所在地", "Home region")}</th>
                </tr>
            </thead>
            <tbody>
                {students
                    .into_iter()
                    .map(|s| {
                        let region = [s.city.clone(), s.district.clone()].into_iter().flatten().collect::<Vec<_>>().join(" ");
                        let gender = s.gender.map(|g| g.label(lang.get_untracked()));
                        view! {
                            <tr>
                                <td>
                                    <A href=format!("/students/{}", s.id)>{s.name}</A>
                                    {gender.map(|g| view! { <small class="muted">" " {g}</small> })}
                                </td>
                                <td>{s.student_no.to_string()}</td>
                                <td>{s.class_name}</td>
                                <td>{region}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
