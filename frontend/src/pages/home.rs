use leptos::prelude::*;
use leptos_router::components::A;
use shared::org::College;

use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::pages::org::class_list::ClassList;
use crate::pages::org::search::SearchBox;
use crate::session::use_session;
use crate::t;

/// The start page of every role: who is signed in and the part of the organisation they may see.
#[component]
pub fn Home() -> impl IntoView {
    let session = use_session();
    // Service staff see the follow-ups referred to their department, and nothing else.
    let service = move || session.me.get().is_some_and(|me| me.role == shared::Role::ServiceStaff);
    view! {
        <StaffOnly>
            {move || if service() {
                view! { <crate::pages::visits::follow_ups::ReferralsPage /> }.into_any()
            } else {
                view! { <HomeInner /> }.into_any()
            }}
        </StaffOnly>
    }
}

#[component]
fn HomeInner() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let colleges = LocalResource::new(api::org::colleges);
    let greeting = move || {
        session.me.get().map(|me| {
            let scope = match (&me.college_name, me.role) {
                (_, shared::Role::Admin | shared::Role::SchoolLeader) => {
                    lang.get().pick("全校", "the whole school").to_string()
                }
                (Some(college), _) => college.clone(),
                (None, _) => String::new(),
            };
            (me.display_name, me.role.label(lang.get()), scope)
        })
    };
    view! {
        <section class="hero">
            <h1 data-testid="greeting">
                {t!("你好，", "Hello, ")}{move || greeting().map(|g| g.0).unwrap_or_default()}
            </h1>
            <p class="muted">
                {move || greeting().map(|g| format!("{} · {}", g.1, g.2)).unwrap_or_default()}
            </p>
            <SearchBox initial=String::new() />
            <A href="/dashboard" attr:class="btn" attr:data-testid="dashboard-link">{t!("家访数据看板", "Campaign dashboard")}</A>
            <Show when=move || session.me.get().is_some_and(|me| me.role == shared::Role::Admin)>
                <A href="/imports/roster" attr:class="btn" attr:data-testid="import-link">
                    {t!("导入学生名单", "Import the student roster")}
                </A>
            </Show>
        </section>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    colleges.await.map(|colleges| {
                        // Someone who sees one college goes straight to its classes.
                        if let [only] = colleges.as_slice() {
                            view! { <ClassList college_id=only.id /> }.into_any()
                        } else {
                            view! { <CollegeList colleges /> }.into_any()
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn CollegeList(colleges: Vec<College>) -> impl IntoView {
    view! {
        <h2>{t!("学院", "Colleges")}</h2>
        <ul class="tiles" data-testid="colleges">
            {colleges
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <A href=format!("/colleges/{}", c.id) attr:class="tile">
                                <strong>{c.name}</strong>
                                <span class="muted">
                                    {c.classes}{t!(" 个班级 · ", " classes · ")}{c.students}{t!(" 名学生", " students")}
                                </span>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
