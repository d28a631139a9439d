//! `/users`: staff accounts. Admins search, filter, create, re-scope, disable and enable them; a
//! college leader reads their college's list.

mod create;
mod pending;
mod privacy;
mod row;

use leptos::prelude::*;
use shared::Role;

use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;
use create::CreateAccount;
use pending::PendingLinks;
use row::UserRow;

#[component]
pub fn UsersPage() -> impl IntoView {
    view! { <StaffOnly><UsersInner /></StaffOnly> }
}

#[component]
fn UsersInner() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let is_admin = move || session.me.get().is_some_and(|me| me.role == Role::Admin);
    let q = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let college = RwSignal::new(String::new());
    let inactive = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let creating = RwSignal::new(false);
    let colleges = LocalResource::new(api::org::colleges);
    let users = LocalResource::new(move || {
        let (q, role, college, inactive, pending) = (q.get(), role.get(), college.get(), inactive.get(), pending.get());
        async move { api::users::list(q.trim(), &role, &college, inactive, pending).await }
    });
    let college_list = Signal::derive(move || colleges.get().and_then(|r| r.ok()).unwrap_or_default());
    let reload = Callback::new(move |_| users.refetch());

    view! {
        <div class="page-head">
            <h1>{t!("用户管理", "Staff accounts")}</h1>
            <Show when=move || is_admin() && !creating.get()>
                <button class="btn btn-primary" data-testid="user-new" on:click=move |_| creating.set(true)>
                    {t!("新建账号", "New account")}
                </button>
            </Show>
        </div>
        <Show when=move || creating.get()>
            <CreateAccount colleges=college_list on_created=reload on_close=Callback::new(move |_| creating.set(false)) />
        </Show>
        <div class="filters" role="search">
            <label class="visually-hidden" for="user-q">{t!("搜索", "Search")}</label>
            <input id="user-q" type="search" data-testid="user-search" bind:value=q
                placeholder=move || lang.get().pick("按姓名或用户名搜索", "Search by name or username") />
            <select aria-label=move || lang.get().pick("角色", "Role") data-testid="user-role-filter"
                on:change=move |ev| role.set(event_target_value(&ev))>
                <option value="">{t!("全部角色", "All roles")}</option>
                {Role::ALL.into_iter().map(|r| view! { <option value=r.code()>{move || r.label(lang.get())}</option> }).collect_view()}
            </select>
            <select aria-label=move || lang.get().pick("学院", "College") data-testid="user-college-filter" on:change=move |ev| college.set(event_target_value(&ev))>
                <option value="">{t!("全部学院", "All colleges")}</option>
                {move || college_list.get().into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view()}
            </select>
            <label class="check">
                <input type="checkbox" data-testid="user-inactive" bind:checked=inactive />
                {t!("显示已停用", "Show disabled")}
            </label>
            <label class="check">
                <input type="checkbox" data-testid="user-pending" bind:checked=pending />
                {t!("只看未激活", "Not activated only")}
            </label>
        </div>
        <Show when=is_admin>
            <PendingLinks college on_issued=reload />
            <privacy::PrivacySettingsForm />
        </Show>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    users.await.map(|list| view! {
                        <table class="list users" data-testid="users">
                            <thead>
                                <tr>
                                    <th>{t!("姓名", "Name")}</th>
                                    <th>{t!("用户名", "Username")}</th>
                                    <th>{t!("角色", "Role")}</th>
                                    <th>{t!("学院", "College")}</th>
                                    <th>{t!("状态", "Status")}</th>
                                    <th>{t!("操作", "Actions")}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list.into_iter().map(|user| view! { <UserRow user colleges=college_list reload /> }).collect_view()}
                            </tbody>
                        </table>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
