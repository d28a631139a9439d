use leptos::prelude::*;
use leptos_router::components::A;
use shared::org::Class;

use crate::api;
use crate::components::status::{error_list, Loading};
use crate::t;

/// The classes of a college that the signed-in user may see.
#[component]
pub fn ClassList(college_id: i64) -> impl IntoView {
    let classes = LocalResource::new(move || api::org::classes(college_id));
    view! {
        <Transition fallback=Loading>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    classes.await.map(|classes| {
                        let college = classes.first().map(|c| c.college_name.clone()).unwrap_or_default();
                        view! {
                            <h2>{college}</h2>
                            <ul class="tiles" data-testid="classes">
                                {classes.into_iter().map(class_tile).collect_view()}
                            </ul>
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

fn class_tile(c: Class) -> impl IntoView {
    view! {
        <li>
            <A href=format!("/classes/{}", c.id) attr:class="tile">
                <strong>{c.name}</strong>
                <span class="muted">{c.major.unwrap_or_default()}</span>
                <span class="muted">
                    {c.students}{t!(" 名学生", " students")}
                    {c.counselor_name.map(|n| view! { " · " {t!("辅导员 ", "Counselor ")} {n} })}
                </span>
            </A>
        </li>
    }
}
