//! Creating an account, and the one-time activation link it comes with.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::org::College;
use shared::users::{ActivationLink, CreatedAccount, NewAccount};
use shared::{Department, Role};

use crate::api;
use crate::components::copy::{absolute, CopyField};
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

/// Display name, e-mail, role and college: the fields an account is created and re-scoped with.
#[component]
pub fn ScopeFields(
    prefix: String,
    display_name: RwSignal<String>,
    email: RwSignal<String>,
    role: RwSignal<Role>,
    college: RwSignal<Option<i64>>,
    department: RwSignal<Option<Department>>,
    colleges: Signal<Vec<College>>,
    error: FormError,
) -> impl IntoView {
    let lang = use_lang();
    let id = move |field: &str| format!("{prefix}-{field}");
    view! {
        <div class="field">
            <label for=id("name")>{t!("姓名", "Display name")}</label>
            <input id=id("name") data-testid=id("name") maxlength="50" bind:value=display_name />
            <FieldError error field="display_name" />
        </div>
        <div class="field">
            <label for=id("email")>{t!("电子邮箱（接收工作提醒，可不填）", "E-mail (for work notices, optional)")}</label>
            <input id=id("email") data-testid=id("email") type="email" maxlength="254" autocomplete="off" bind:value=email />
            <FieldError error field="email" />
        </div>
        <div class="field">
            <label for=id("role")>{t!("角色", "Role")}</label>
            <select id=id("role") data-testid=id("role") on:change=move |ev| {
                if let Some(r) = Role::from_code(&event_target_value(&ev)) {
                    role.set(r);
                }
            }>
                {Role::ALL.into_iter().map(|r| view! {
                    <option value=r.code() selected=move || role.get() == r>{move || r.label(lang.get())}</option>
                }).collect_view()}
            </select>
        </div>
        <div class="field">
            <label for=id("college")>{t!("学院", "College")}</label>
            <select id=id("college") data-testid=id("college")
                disabled=move || !role.get().needs_college_choice()
                on:change=move |ev| college.set(event_target_value(&ev).parse().ok())>
                <option value="">{t!("（无）", "(none)")}</option>
                {move || colleges.get().into_iter().map(|c| {
                    let id = c.id;
                    view! { <option value=id.to_string() selected=move || college.get() == Some(id)>{c.name}</option> }
                }).collect_view()}
            </select>
            <FieldError error field="college_id" />
        </div>
        <Show when=move || role.get() == Role::ServiceStaff>
            <div class="field">
                <label for=id("department")>{t!("服务部门", "Service department")}</label>
                <select id=id("department") data-testid=id("department")
                    on:change=move |ev| department.set(Department::from_code(&event_target_value(&ev)))>
                    <option value="">{t!("（请选择）", "(choose)")}</option>
                    {Department::ALL.into_iter().map(|d| view! {
                        <option value=d.code() selected=move || department.get() == Some(d)>{move || d.label(lang.get())}</option>
                    }).collect_view()}
                </select>
                <FieldError error field="department" />
            </div>
        </Show>
    }
}

/// The college and department an account is saved with: none where its role has none.
pub fn scope_of(role: Role, college: Option<i64>, department: Option<Department>) -> (Option<i64>, Option<Department>) {
    match role {
        Role::Admin | Role::SchoolLeader => (None, None),
        Role::ServiceStaff => (None, department),
        _ => (college, None),
    }
}

/// The link, shown once: it cannot be seen again, only replaced by a new one.
/// A one-time link to pass on: an activation link, or a password reset link (`/reset-password…`).
#[component]
pub fn OneTimeLink(link: ActivationLink) -> impl IntoView {
    let lang = use_lang();
    let reset = link.link.starts_with("/reset-password");
    let hours = ((link.expires_at as f64 - js_sys::Date::now() / 1000.0) / 3600.0).round().max(1.0) as i64;
    let days = (hours + 12) / 24;
    let (title, hint) = if reset {
        (
            ("重设密码链接（只显示这一次）", "Password reset link (shown only this once)"),
            (
                format!("请把链接私下发给本人，{hours} 小时内有效，只能使用一次。使用后此人所有设备上的登录都会退出。"),
                format!("Send it to the person privately. It works once, within {hours} hours, and signs them out everywhere."),
            ),
        )
    } else {
        (
            ("激活链接（只显示这一次）", "Activation link (shown only this once)"),
            (
                format!("请把链接私下发给本人，{days} 天内有效，只能使用一次。"),
                format!("Send it to the person privately. It works once, within {days} days."),
            ),
        )
    };
    view! {
        <div class="one-time-link" data-testid={if reset { "reset-link" } else { "activation" }}>
            <p>
                <strong>{move || lang.get().pick(title.0, title.1)}</strong>
                <br />
                <span class="muted">{move || lang.get().pick(&hint.0, &hint.1).to_string()}</span>
            </p>
            <CopyField text=absolute(&link.link) testid={if reset { "reset-link-url" } else { "activation-link" }} />
        </div>
    }
}

#[component]
pub fn CreateAccount(
    colleges: Signal<Vec<College>>,
    on_created: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let username = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Counselor);
    let college = RwSignal::new(None::<i64>);
    let department = RwSignal::new(None::<Department>);
    let error = FormError::new();
    let created = RwSignal::new(None::<CreatedAccount>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (college_id, department) =
            scope_of(role.get_untracked(), college.get_untracked(), department.get_untracked());
        let body = NewAccount {
            username: username.get_untracked(),
            display_name: display_name.get_untracked(),
            role: role.get_untracked(),
            college_id,
            department,
            email: Some(email.get_untracked()),
        };
        spawn_local(async move {
            match api::users::create(&body).await {
                Ok(account) => {
                    error.clear();
                    username.set(String::new());
                    display_name.set(String::new());
                    email.set(String::new());
                    created.set(Some(account));
                    on_created.run(());
                }
                Err(e) => error.set(e),
            }
        });
    };

    view! {
        <section class="card">
            <h2>{t!("新建账号", "New account")}</h2>
            {move || created.get().map(|c| view! {
                <p data-testid="user-created">
                    {t!("已创建：", "Created: ")}<strong>{c.user.display_name.clone()}</strong>" (" {c.user.username.clone()} ")"
                </p>
                <OneTimeLink link=c.activation />
            })}
            <form class="form" on:submit=submit novalidate data-testid="user-form">
                <div class="form-grid">
                    <div class="field">
                        <label for="new-username">{t!("用户名", "Username")}</label>
                        <input id="new-username" data-testid="new-username" autocomplete="off" maxlength="32" bind:value=username />
                        <FieldError error field="username" />
                    </div>
                    <ScopeFields prefix="new".to_string() display_name email role college department colleges error />
                </div>
                <FormAlert error />
                <div class="actions">
                    <button class="btn btn-primary" type="submit" data-testid="user-save">{t!("创建并生成激活链接", "Create and make an activation link")}</button>
                    <button class="btn btn-ghost" type="button" on:click=move |_| on_close.run(())>{t!("关闭", "Close")}</button>
                </div>
            </form>
        </section>
    }
}
