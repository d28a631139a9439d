use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::auth::LoginRequest;

use crate::pages::visits::offline::{outbox, sign_out};
use crate::session::use_session;
use crate::t;
use crate::{api, apps};

/// Staff sign-in: username and password, then the authenticator app's code for accounts with
/// two-step verification on (the server answers `totp_required` and the page asks for it), or
/// instead one of the account's recovery codes (letters and digits, so a field of its own).
#[component]
pub fn Login() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Shown once the server asked for it; from then on every try sends it.
    let needs_code = RwSignal::new(false);
    // A recovery code instead of the app's code.
    let recovery = RwSignal::new(false);
    let code_input = NodeRef::<leptos::html::Input>::new();
    let recovery_input = NodeRef::<leptos::html::Input>::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    Effect::new(move || {
        if let Some(input) = code_input.get() {
            let _ = input.focus();
        }
    });
    Effect::new(move || {
        if let Some(input) = recovery_input.get() {
            let _ = input.focus();
        }
    });

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
        let body = LoginRequest {
            username: username.get_untracked(),
            password: password.get_untracked(),
            totp: needs_code.get_untracked().then(|| code.get_untracked()),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            // The previous user signed out without network: their session ends on the server first.
            sign_out::finish().await;
            match api::auth::login(&body).await {
                Ok(me) => {
                    sign_out::signed_in();
                    // An admin without a second factor goes to turn it on first.
                    let next = if me.needs_totp() { "/account" } else { "/" };
                    // Each role lands in its app: counselors in the field app, the rest at the desk.
                    let home = apps::home_of(me.role);
                    if home != apps::base() {
                        if let Some(window) = web_sys::window() {
                            // Not signed in here meanwhile: the other app says who is, once loaded.
                            let _ = window.location().assign(&format!("{home}{next}"));
                            return;
                        }
                    }
                    session.me.set(Some(me));
                    navigate(next, Default::default());
                }
                Err(e) if e.code == "totp_required" => needs_code.set(true),
                Err(e) => {
                    if e.code == "totp_invalid" {
                        code.set(String::new());
                    }
                    error.set(Some(e.message));
                }
            }
            busy.set(false);
        });
    };

    // Visits other people logged here wait for them: say so, without saying whose.
    let waiting = LocalResource::new(|| async { outbox::on_device().await.len() });
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
                <Show when=move || needs_code.get() && !recovery.get()>
                    <label for="totp-code">{t!("验证码", "Code")}</label>
                    <p class="muted hint">
                        {t!("请输入验证器应用中显示的 6 位数字", "Enter the 6 digits your authenticator app shows")}
                    </p>
                    <input id="totp-code" name="totp" inputmode="numeric" autocomplete="one-time-code"
                        pattern="[0-9 ]*" maxlength="7" required node_ref=code_input bind:value=code />
                    <button type="button" class="btn btn-ghost" data-testid="use-recovery"
                        on:click=move |_| { code.set(String::new()); recovery.set(true); }>
                        {t!("手机不在身边？改用恢复码", "No phone at hand? Use a recovery code")}
                    </button>
                </Show>
                <Show when=move || needs_code.get() && recovery.get()>
                    <label for="recovery-code">{t!("恢复码", "Recovery code")}</label>
                    <p class="muted hint">
                        {t!("请输入开启两步验证时保存的一个恢复码（如 abcde-fghjk），每个只能用一次",
                            "Enter one of the recovery codes you saved when turning on two-step verification (like abcde-fghjk); each works once")}
                    </p>
                    <input id="recovery-code" name="recovery" autocomplete="off" autocapitalize="none" spellcheck="false"
                        maxlength="20" required node_ref=recovery_input bind:value=code />
                </Show>
                <Show when=move || error.get().is_some()>
                    <p class="alert" role="alert" data-testid="login-error">{move || error.get()}</p>
                </Show>
                <button class="btn btn-primary" type="submit" disabled=move || busy.get()>
                    {t!("登录", "Sign in")}
                </button>
            </form>
            <Show when=move || waiting.get().is_some_and(|n| n > 0)>
                <p class="muted" data-testid="device-waiting">
                    {t!("本机还有未同步的家访记录：", "Visits on this device not sent yet: ")}
                    <span data-testid="device-waiting-count">{move || waiting.get().unwrap_or_default()}</span>
                    {t!("。记录者登录后会自动发送。", ". They are sent when the person who logged them signs in.")}
                </p>
            </Show>
        </section>
    }
}
