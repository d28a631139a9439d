//! One account in the list, with the admin's actions: activation link, password reset link,
//! resetting two-step verification (after a confirmation), disable or enable, and re-scope
//! (name, role, college). An admin resets neither of their own: the server refuses it too.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::org::College;
use shared::users::{AccountStatus, AccountUpdate, ActivationLink, UserAccount};
use shared::Role;

use super::create::{scope_of, OneTimeLink, ScopeFields};
use crate::api;
use crate::components::form_errors::{FormAlert, FormError};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

#[component]
pub fn UserRow(user: UserAccount, colleges: Signal<Vec<College>>, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let is_admin = session.me.get_untracked().is_some_and(|me| me.role == Role::Admin);
    let is_me = session.me.get_untracked().is_some_and(|me| me.id == user.id);
    let id = user.id;
    let link = RwSignal::new(None::<ActivationLink>);
    let editing = RwSignal::new(false);
    // Asking "are you sure?" before resetting two-step verification.
    let confirming = RwSignal::new(false);
    let error = FormError::new();
    let display_name = RwSignal::new(user.display_name.clone());
    let email = RwSignal::new(user.email.clone().unwrap_or_default());
    let role = RwSignal::new(user.role);
    let college = RwSignal::new(user.college_id);
    let department = RwSignal::new(user.department);

    let action = move |what: &'static str| {
        spawn_local(async move {
            let result = match what {
                "activation" => api::users::activation_link(id).await.map(|l| link.set(Some(l))),
                "password-reset" => api::users::password_reset_link(id).await.map(|l| link.set(Some(l))),
                "totp-reset" => api::users::reset_totp(id).await.map(|_| reload.run(())),
                "disable" => api::users::disable(id).await.map(|_| reload.run(())),
                _ => api::users::enable(id).await.map(|_| reload.run(())),
            };
            if let Err(e) = result {
                error.set(e);
            }
        });
    };
    let save = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (college_id, department) =
            scope_of(role.get_untracked(), college.get_untracked(), department.get_untracked());
        let body = AccountUpdate {
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            college_id,
            department,
            email: Some(email.get_untracked()),
        };
        spawn_local(async move {
            match api::users::update(id, &body).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(e),
            }
        });
    };
    let status = user.status;
    let totp = user.totp_enabled;
    view! {
        <tr data-testid="user-row" data-username=user.username.clone()>
            <td><strong>{user.display_name.clone()}</strong></td>
            <td>
                {user.username.clone()}
                {user.email.clone().map(|e| view! { <br /><span class="muted" data-testid="user-email">{e}</span> })}
            </td>
            <td>{move || user.role.label(lang.get())}</td>
            <td>{
                let (college, dept) = (user.college_name.clone(), user.department);
                move || dept.map(|d| d.label(lang.get()).to_string()).or(college.clone()).unwrap_or_else(|| "—".into())
            }</td>
            <td><span class=format!("badge badge-{status:?}").to_lowercase()>{move || status.label(lang.get())}</span></td>
            <td class="row-actions">
                {is_admin.then(|| view! {
                    {(status == AccountStatus::Pending).then(|| view! {
                        <button class="btn" data-testid="user-link" on:click=move |_| action("activation")>{t!("新激活链接", "New link")}</button>
                    })}
                    {(status == AccountStatus::Active && !is_me).then(|| view! {
                        <button class="btn" data-testid="user-reset-link" on:click=move |_| action("password-reset")>
                            {t!("重设密码链接", "Reset link")}
                        </button>
                    })}
                    {(status == AccountStatus::Active && totp && !is_me).then(|| view! {
                        <button class="btn" data-testid="user-totp-reset" on:click=move |_| confirming.set(true)>
                            {t!("重置两步验证", "Reset two-step verification")}
                        </button>
                    })}
                    {(status != AccountStatus::Disabled && !is_me).then(|| view! {
                        <button class="btn" data-testid="user-disable" on:click=move |_| action("disable")>{t!("停用", "Disable")}</button>
                    })}
                    {(status == AccountStatus::Disabled).then(|| view! {
                        <button class="btn" data-testid="user-enable" on:click=move |_| action("enable")>{t!("启用", "Enable")}</button>
                    })}
                    <button class="btn btn-ghost" data-testid="user-rescope" on:click=move |_| editing.update(|e| *e = !*e)>
                        {t!("调整", "Re-scope")}
                    </button>
                })}
            </td>
        </tr>
        <Show when=move || link.get().is_some() || editing.get() || confirming.get() || error.0.get().is_some()>
            <tr class="row-detail">
                <td colspan="6">
                    <Show when=move || confirming.get()>
                        <div class="alert" role="alertdialog" data-testid="totp-reset-confirm">
                            <p>
                                {t!("确定要重置此人的两步验证吗？其验证器密钥和恢复码将被删除，所有设备上的登录都会退出，下次仅凭密码登录后需重新开启。",
                                    "Reset this person's two-step verification? Their authenticator secret and recovery codes are deleted, they are signed out everywhere, and after signing in with their password alone they turn it on again.")}
                            </p>
                            <div class="actions">
                                <button class="btn btn-primary" data-testid="totp-reset-yes"
                                    on:click=move |_| { confirming.set(false); action("totp-reset"); }>
                                    {t!("确认重置", "Reset it")}
                                </button>
                                <button class="btn btn-ghost" on:click=move |_| confirming.set(false)>{t!("取消", "Cancel")}</button>
                            </div>
                        </div>
                    </Show>
                    {move || link.get().map(|l| view! { <OneTimeLink link=l /> })}
                    <Show when=move || editing.get()>
                        <form class="form" on:submit=save novalidate data-testid="rescope-form">
                            <div class="form-grid">
                                <ScopeFields prefix=format!("edit-{id}") display_name email role college department colleges error />
                            </div>
                            <div class="actions">
                                <button class="btn btn-primary" type="submit" data-testid="rescope-save">{t!("保存", "Save")}</button>
                            </div>
                        </form>
                    </Show>
                    <FormAlert error />
                </td>
            </tr>
        </Show>
    }
}
