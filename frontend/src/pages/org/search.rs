use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::student_table::StudentTable;
use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::pages::imports::export_links::ExportLinks;
use crate::t;

const PER_PAGE: i64 = 50;

/// A search field for students by name or student number; submitting opens `/students?q=…`.
#[component]
pub fn SearchBox(initial: String) -> impl IntoView {
    let lang = use_lang();
    let navigate = use_navigate();
    let q = RwSignal::new(initial);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        navigate(&format!("/students?q={}", api::encode(q.get_untracked().trim())), Default::default());
    };
    view! {
        <form class="search" role="search" on:submit=submit>
            <label for="student-search" class="visually-hidden">{t!("搜索学生", "Search students")}</label>
            <input id="student-search" type="search" bind:value=q
                placeholder=move || lang.get().pick("按姓名或学号搜索学生", "Search students by name or number") />
            <button class="btn btn-primary" type="submit">{t!("搜索", "Search")}</button>
        </form>
    }
}

/// `/students?q=…&page=…`: search results, a page at a time.
#[component]
pub fn StudentSearch() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1).max(1);
    let results = LocalResource::new(move || {
        let (q, page) = (q(), page());
        async move { api::org::search_students(&q, page, PER_PAGE).await }
    });
    view! {
        <StaffOnly>
            <h1>{t!("学生", "Students")}</h1>
            {move || view! { <SearchBox initial=q() /> <ExportLinks q=q() /> }}
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        results.await.map(|page| {
                            let pages = (page.total + page.per_page - 1) / page.per_page;
                            let link = move |p: i64| format!("/students?q={}&page={p}", api::encode(&q()));
                            view! {
                                <p class="muted" data-testid="result-count">
                                    {t!("共 ", "")}{page.total}{t!(" 名学生", " students")}
                                </p>
                                <StudentTable students=page.items />
                                <nav class="pager" aria-label="pages">
                                    <Show when=move || { page.page > 1 }>
                                        <A href=link(page.page - 1) attr:class="btn">{t!("上一页", "Previous")}</A>
                                    </Show>
                                    <span>{page.page} " / " {pages.max(1)}</span>
                                    <Show when=move || { page.page < pages }>
                                        <A href=link(page.page + 1) attr:class="btn">{t!("下一页", "Next")}</A>
                                    </Show>
                                </nav>
                            }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}
