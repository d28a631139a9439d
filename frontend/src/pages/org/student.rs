use leptos::prelude::*;
use leptos_router::components::A;
use shared::Role;

use super::guardian_edit::GuardiansEditor;
use super::history::History;
use super::rights::RightsPanel;
use super::student_edit::StudentEditor;
use crate::api;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

/// `/students/:id`: a student with guardians and home region, then their history. Sensitive
/// fields appear only when the server sent them.
#[component]
pub fn StudentPage() -> impl IntoView {
    let id = route_id::<shared::StudentId>();
    let lang = use_lang();
    let student = LocalResource::new(move || async move {
        let id = id().ok_or_else(not_found)?;
        api::org::student(id).await
    });
    // Admins, the college's leader and the student's counselor edit; a class advisor reads.
    let session = use_session();
    let may_edit = move || {
        session.me.get().is_some_and(|me| matches!(me.role, Role::Admin | Role::CollegeLeader | Role::Counselor))
    };
    let editing = RwSignal::new(false);
    let reload = Callback::new(move |_| student.refetch());
    // A family's rights (export, correction, erasure): admins and the college's leader.
    let may_answer_rights =
        move || session.me.get().is_some_and(|me| matches!(me.role, Role::Admin | Role::CollegeLeader));
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        student.await.map(|s| {
                            let l = lang.get_untracked();
                            let region = [s.province.clone(), s.summary.city.clone(), s.summary.district.clone()]
                                .into_iter()
                                .flatten()
                                .collect::<Vec<_>>()
                                .join(" ");
                            let (for_edit, student_id, guardians) = (s.clone(), s.summary.id, s.guardians.clone());
                            let sensitive = s.sensitive_visible;
                            view! {
                                <h1 data-testid="student-name">{s.summary.name.clone()}</h1>
                                <Show when=move || may_edit() && sensitive && !editing.get()>
                                    <button class="btn" data-testid="student-edit" on:click=move |_| editing.set(true)>
                                        {t!("编辑", "Edit")}
                                    </button>
                                </Show>
                                {move || editing.get().then(|| view! {
                                    <StudentEditor student=for_edit.clone()
                                        on_done=Callback::new(move |_| { editing.set(false); reload.run(()); })
                                        on_cancel=Callback::new(move |_| editing.set(false)) />
                                    <h2>{t!("编辑家长 / 监护人", "Edit parents and guardians")}</h2>
                                    <GuardiansEditor student_id guardians=guardians.clone() on_change=reload />
                                })}
                                <p class="muted">
                                    {s.summary.college_name.clone()} " · "
                                    <A href=format!("/classes/{}", s.summary.class_id)>{s.summary.class_name.clone()}</A>
                                </p>
                                <dl class="facts">
                                    <dt>{t!("学号", "Student no.")}</dt>
                                    <dd>{s.summary.student_no.to_string()}</dd>
                                    <dt>{t!("性别", "Gender")}</dt>
                                    <dd>{s.summary.gender.map(|g| g.label(l)).unwrap_or("—")}</dd>
                                    <dt>{t!("专业", "Major")}</dt>
                                    <dd>{s.major.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>{t!("家庭所在地", "Home region")}</dt>
                                    <dd>{region}</dd>
                                    <dt>{t!("辅导员", "Counselor")}</dt>
                                    <dd>{s.counselor_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>{t!("班主任", "Class advisor")}</dt>
                                    <dd>{s.advisor_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                    {s.sensitive_visible.then(|| view! {
                                        <dt>{t!("家庭住址", "Home address")}</dt>
                                        <dd class="sensitive">{s.address.clone().unwrap_or_else(|| "—".into())}</dd>
                                        <dt>{t!("经济困难等级", "Financial hardship")}</dt>
                                        <dd class="sensitive">
                                            {s.hardship.map(|h| h.label(l)).unwrap_or_else(|| l.pick("无", "None"))}
                                        </dd>
                                    })}
                                </dl>
                                <h2>{t!("家长 / 监护人", "Parents and guardians")}</h2>
                                <ul class="rows" data-testid="guardians">
                                    {s.guardians.into_iter().map(|g| view! {
                                        <li>
                                            <strong>{g.name}</strong>
                                            <span class="muted">{g.relation.unwrap_or_default()}</span>
                                            {g.phone.map(|p| {
                                                let href = format!("tel:{p}");
                                                view! { <a class="sensitive" href=href>{p.to_string()}</a> }
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                                <Show when=move || may_answer_rights() && sensitive>
                                    <RightsPanel student_id
                                        on_correct=Callback::new(move |_| editing.set(true))
                                        on_erased=reload />
                                </Show>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            // Apart from the record: a team leader who may not open it still sees their team's visits.
            {move || id().map(|id| view! { <History id /> })}
        </StaffOnly>
    }
}
