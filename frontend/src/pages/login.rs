use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::auth::{LoginRequest, Me};

use crate::api;
use crate::session::use_session;
use crate::t;

/// Staff sign-in: username and password.
#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    // Already signed in: nothing to do here.
    let nav = navigate.clone();
    Effect::new(move || {
        if session.me.get().is_some() {
            nav("/", Default::default());
        }
    });

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let body = LoginRequest { username: username.get_untracked(), password: password.get_untracked() };
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::post::<_, Me>("/api/auth/login", &body).await {
                Ok(me) => {
                    session.me.set(Some(me));
                    navigate("/", Default::default());
                }
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };

    view! {
        <section class="card narrow">
            <h1>{t!("工作人员登录", "Staff sign-in")}</h1>
            <p class="muted">{t!("辅导员、班主任、学院与学工处老师使用", "For counselors, class advisors, colleges and the Student Affairs Office")}</p>
            <form on:submit=submit class="form" novalidate>
                <label for="username">{t!("用户名", "Username")}</label>
                <input id="username" name="username" autocomplete="username" required bind:value=username />
                <label for="password">{t!("密码", "Password")}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required
                    bind:value=password />
                <Show when=move || error.get().is_some()>
                    <p class="alert" role="alert" data-testid="login-error">{move || error.get()}</p>
                </Show>
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                    {t!("登录", "Sign in")}
                </button>
            </form>
        </section>
    }
}
