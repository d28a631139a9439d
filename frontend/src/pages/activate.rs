//! `/activate#token=…`: the owner of a new account chooses a password; `/reset-password#token=…`:
//! someone whose admin made them a reset link chooses a new one. One page and one server route
//! for both. The token is read from the address's fragment (never sent to the server in a URL or
//! logged) and then removed from it.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::users::ActivateRequest;

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

/// The token of the address's fragment; the address bar is left at `page`, without it.
fn take_token(page: &str) -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let token = hash.strip_prefix("#token=")?.to_string();
    // history.replaceState(null, "", page), through Reflect.
    let history = js_sys::Reflect::get(&window, &"history".into()).ok()?;
    if let Some(replace) = js_sys::Reflect::get(&history, &"replaceState".into())
        .ok()
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok())
    {
        let _ = replace.call3(&history, &wasm_bindgen::JsValue::NULL, &"".into(), &page.into());
    }
    Some(token).filter(|t| !t.is_empty())
}

#[component]
pub fn ActivatePage() -> impl IntoView {
    view! { <LinkPage reset=false /> }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    view! { <LinkPage reset=true /> }
}

/// The page of either link: only its words differ.
#[component]
fn LinkPage(reset: bool) -> impl IntoView {
    let lang = use_lang();
    let token = StoredValue::new(take_token(if reset { "/reset-password" } else { "/activate" }));
    let pick = move |activate: (&'static str, &'static str), reset_words: (&'static str, &'static str)| {
        let (zh, en) = if reset { reset_words } else { activate };
        move || lang.get().pick(zh, en)
    };
    let password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let error = FormError::new();
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        if password.get_untracked() != again.get_untracked() {
            return error
                .local("again", lang.get_untracked().pick("两次输入的密码不一致", "The passwords do not match"));
        }
        let body = ActivateRequest { token: token.get_value().unwrap_or_default(), password: password.get_untracked() };
        busy.set(true);
        spawn_local(async move {
            match api::auth::activate(&body).await {
                Ok(a) => done.set(Some(a.username)),
                Err(e) => error.set(e),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h1>{pick(("激活账号", "Activate your account"), ("重设密码", "Choose a new password"))}</h1>
            {move || match (done.get(), token.get_value().is_some()) {
                (Some(username), _) => view! {
                    <p data-testid="activated">
                        {pick(("账号已激活：", "Your account is active: "), ("密码已重设：", "Your new password is set: "))}
                        <strong>{username}</strong>
                    </p>
                    <A href="/login" attr:class="btn btn-primary">{t!("去登录", "Sign in")}</A>
                }.into_any(),
                (None, false) => view! {
                    <p class="alert" role="alert">
                        {t!("链接不完整，请打开管理员发给您的完整链接。", "This link is incomplete. Open the whole link you were sent.")}
                    </p>
                }.into_any(),
                (None, true) => view! {
                    <p class="muted">
                        {t!("请设置登录密码：至少 8 个字符，不要使用常见密码。",
                            "Choose a password: at least 8 characters, not a common one.")}
                    </p>
                    <form class="form" on:submit=submit novalidate>
                        <label for="password">{t!("新密码", "New password")}</label>
                        <input id="password" type="password" autocomplete="new-password" data-testid="activate-password" bind:value=password />
                        <FieldError error field="password" />
                        <label for="again">{t!("再次输入新密码", "The new password again")}</label>
                        <input id="again" type="password" autocomplete="new-password" data-testid="activate-again" bind:value=again />
                        <FieldError error field="again" />
                        <FieldError error field="token" />
                        <FormAlert error />
                        <button class="btn btn-primary" type="submit" data-testid="activate-submit" disabled=move || busy.get()>
                            {pick(("激活", "Activate"), ("设置新密码", "Set the new password"))}
                        </button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
