//! Changing one's own password on the account page: the current one, the new one twice. The
//! server ends every other session of the account; this one stays.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::PasswordChange;

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn ChangePassword() -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = FormError::new();
    let done = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        done.set(false);
        if password.get_untracked() != again.get_untracked() {
            return error
                .local("again", lang.get_untracked().pick("两次输入的密码不一致", "The passwords do not match"));
        }
        busy.set(true);
        error.clear();
        let body = PasswordChange { current_password: current.get_untracked(), password: password.get_untracked() };
        spawn_local(async move {
            match api::auth::change_password(&body).await {
                Ok(()) => {
                    for field in [current, password, again] {
                        field.set(String::new());
                    }
                    done.set(true);
                }
                Err(e) => error.set(e),
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{t!("修改密码", "Change password")}</h2>
        <Show when=move || done.get()>
            <p class="notice" role="status" data-testid="password-done">
                {t!("密码已修改。其他设备上的登录已退出。", "Your password is changed. You are signed out on every other device.")}
            </p>
        </Show>
        <form class="form" on:submit=submit novalidate>
            <label for="current-password">{t!("当前密码", "Current password")}</label>
            <input id="current-password" type="password" autocomplete="current-password" bind:value=current />
            <FieldError error field="current_password" />
            <label for="new-password">{t!("新密码（至少 8 个字符，不要使用常见密码）", "New password (at least 8 characters, not a common one)")}</label>
            <input id="new-password" type="password" autocomplete="new-password" bind:value=password />
            <FieldError error field="password" />
            <label for="new-again">{t!("再次输入新密码", "The new password again")}</label>
            <input id="new-again" type="password" autocomplete="new-password" bind:value=again />
            <FieldError error field="again" />
            <FormAlert error />
            <button class="btn btn-primary" type="submit" data-testid="password-change" disabled=move || busy.get()>
                {t!("修改密码", "Change password")}
            </button>
        </form>
    }
}
