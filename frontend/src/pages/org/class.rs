use leptos::prelude::*;

use super::class_staff::ClassStaffEditor;
use super::student_table::StudentTable;
use crate::api;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::session::use_session;
use crate::t;

/// `/classes/:id`: the class, its staff and its students.
#[component]
pub fn ClassPage() -> impl IntoView {
    let id = route_id::<shared::ClassId>();
    let data = LocalResource::new(move || async move {
        let id = id().ok_or_else(not_found)?;
        let class = api::org::class(id).await?;
        let students = api::org::class_students(id, 200).await?;
        Ok::<_, shared::ApiError>((class, students))
    });
    // Admins and the college's leader (the only leaders who see the class) assign its staff.
    let session = use_session();
    let may_assign =
        move || session.me.get().is_some_and(|me| matches!(me.role, shared::Role::Admin | shared::Role::CollegeLeader));
    let assigning = RwSignal::new(false);
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await.map(|(class, students)| {
                            view! {
                                <h1>{class.name.clone()}</h1>
                                <p class="muted">
                                    {class.college_name.clone()} " · " {class.major.clone().unwrap_or_default()}
                                </p>
                                <dl class="facts">
                                    <dt>{t!("辅导员", "Counselor")}</dt>
                                    <dd>{class.counselor_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>{t!("班主任", "Class advisor")}</dt>
                                    <dd>{class.advisor_name.clone().unwrap_or_else(|| "—".into())}</dd>
                                    <dt>{t!("学生人数", "Students")}</dt>
                                    <dd>{class.students}</dd>
                                </dl>
                                <Show when=move || may_assign() && !assigning.get()>
                                    <button class="btn" data-testid="class-staff-edit" on:click=move |_| assigning.set(true)>
                                        {t!("分配辅导员和班主任", "Assign counselor and class advisor")}
                                    </button>
                                </Show>
                                {let class = class.clone(); move || assigning.get().then(|| view! {
                                    <ClassStaffEditor class=class.clone()
                                        on_done=Callback::new(move |_| { assigning.set(false); data.refetch(); })
                                        on_cancel=Callback::new(move |_| assigning.set(false)) />
                                })}
                                <StudentTable students=students.items />
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}
