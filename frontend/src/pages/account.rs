//! `/account`: the signed-in staff member's security. Two-step verification (TOTP): turning it on
//! (the server's QR code and the secret as text, confirmed with a first code, then the recovery
//! codes shown once) and off again with a current code; recovery codes left and a new set; and
//! changing the password. Admins must have two-step verification: until they do, every other
//! page sends them here.

mod password;
mod recovery;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::{TotpCode, TotpEnrolment};

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::components::staff_only::StaffOnly;
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;
use password::ChangePassword;
use recovery::RecoveryCodesPanel;

#[component]
pub fn AccountPage() -> impl IntoView {
    view! { <StaffOnly enrolling=true><Security /></StaffOnly> }
}

#[component]
fn Security() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let enrolment = RwSignal::new(None::<TotpEnrolment>);
    let code = RwSignal::new(String::new());
    let error = FormError::new();
    let done = RwSignal::new(None::<bool>);
    let busy = RwSignal::new(false);
    // The recovery codes of the moment, shown once: after turning it on, or a new set.
    let codes = RwSignal::new(None::<Vec<String>>);
    let me = move || session.me.get();
    let enabled = move || me().is_some_and(|m| m.totp_enabled);
    let must = move || me().is_some_and(|m| m.role == shared::Role::Admin);

    let start = move |_| {
        busy.set(true);
        error.clear();
        done.set(None);
        spawn_local(async move {
            match api::auth::totp_enrol().await {
                Ok(e) => enrolment.set(Some(e)),
                Err(e) => error.set(e),
            }
            busy.set(false);
        });
    };
    // Confirms a new secret (answered with the recovery codes) or turns it off.
    let send_code = move |confirm: bool| {
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if busy.get_untracked() {
                return;
            }
            busy.set(true);
            error.clear();
            let body = TotpCode { code: code.get_untracked() };
            spawn_local(async move {
                let answer = if confirm {
                    api::auth::totp_confirm(&body).await.map(|c| (c.me, Some(c.recovery_codes)))
                } else {
                    api::auth::totp_disable(&body).await.map(|me| (me, None))
                };
                match answer {
                    Ok((me, recovery_codes)) => {
                        done.set(Some(me.totp_enabled));
                        session.me.set(Some(me));
                        enrolment.set(None);
                        code.set(String::new());
                        codes.set(recovery_codes);
                    }
                    Err(e) => error.set(e),
                }
                busy.set(false);
            });
        }
    };

    view! {
        <section class="card narrow">
            <h1>{t!("账户安全", "Account security")}</h1>
            <h2>{t!("两步验证", "Two-step verification")}</h2>
            <p class="muted">
                {t!("登录时除密码外，还需输入手机验证器应用（如 Google Authenticator、Microsoft Authenticator、腾讯身份验证器）中的 6 位验证码。",
                    "Besides the password, signing in asks for the 6-digit code of an authenticator app on your phone (such as Google Authenticator, Microsoft Authenticator or Tencent Authenticator).")}
            </p>
            <Show when=move || done.get().is_some()>
                <p class="notice" role="status" data-testid="totp-done">
                    {move || if done.get() == Some(true) {
                        lang.get().pick("两步验证已开启。下次登录时需要输入验证码。", "Two-step verification is on. Signing in will ask for a code.")
                    } else {
                        lang.get().pick("两步验证已关闭。", "Two-step verification is off.")
                    }}
                </p>
            </Show>
            <p data-testid="totp-status" class=move || if enabled() { "status-on" } else { "status-off" }>
                {move || if enabled() { lang.get().pick("状态：已开启", "Status: on") } else { lang.get().pick("状态：未开启", "Status: off") }}
            </p>
            <Show when=move || must() && !enabled()>
                <p class="alert" role="alert" data-testid="totp-must">
                    {t!("管理员必须先开启两步验证，才能使用其他功能。", "Admins must turn on two-step verification before anything else.")}
                </p>
            </Show>
            {move || match (enabled(), enrolment.get()) {
                (false, None) => view! {
                    <FormAlert error />
                    <button class="btn btn-primary" data-testid="totp-start" on:click=start disabled=move || busy.get()>
                        {t!("开启两步验证", "Turn on two-step verification")}
                    </button>
                }.into_any(),
                (false, Some(e)) => view! {
                    <ol class="steps">
                        <li>{t!("用验证器应用扫描二维码：", "Scan the QR code with your authenticator app:")}</li>
                    </ol>
                    <img class="qr" width="220" height="220" src=data_url(&e.qr_svg) data-testid="totp-qr"
                        alt="二维码 / QR code" />
                    <p class="muted">
                        {t!("无法扫码时，在应用中手动输入这个密钥：", "If you cannot scan it, type this key into the app:")}
                    </p>
                    <p class="secret" data-testid="totp-secret">{grouped(&e.secret)}</p>
                    <p><a href=e.otpauth_url.clone() data-testid="totp-link">
                        {t!("在本机的验证器应用中打开", "Open in an authenticator app on this device")}
                    </a></p>
                    <CodeForm code error busy on_submit=send_code(true)
                        label=t!("输入应用显示的验证码以完成开启", "Enter the code the app shows to finish") testid="totp-confirm"
                        button=t!("确认开启", "Confirm") />
                }.into_any(),
                (true, _) if must() => view! {
                    <p class="muted">{t!("管理员必须使用两步验证，不能关闭。", "Admins must use two-step verification; it cannot be turned off.")}</p>
                }.into_any(),
                (true, _) => view! {
                    <CodeForm code error busy on_submit=send_code(false)
                        label=t!("输入当前验证码以关闭两步验证", "Enter a current code to turn two-step verification off") testid="totp-disable"
                        button=t!("关闭两步验证", "Turn off two-step verification") />
                }.into_any(),
            }}
            <Show when=enabled>
                <RecoveryCodesPanel shown=codes />
            </Show>
            <ChangePassword />
        </section>
    }
}

/// One code field and its button.
#[component]
fn CodeForm(
    code: RwSignal<String>,
    error: FormError,
    busy: RwSignal<bool>,
    on_submit: impl Fn(SubmitEvent) + 'static,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    testid: &'static str,
    button: impl Fn() -> &'static str + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <form class="form" on:submit=on_submit novalidate>
            <label for="totp-code">{label}</label>
            <input id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*"
                maxlength="7" required bind:value=code />
            <FieldError error field="code" />
            <FormAlert error />
            <button class="btn btn-primary" type="submit" data-testid=testid disabled=move || busy.get()>{button}</button>
        </form>
    }
}

/// The server's SVG as an image address (the Content-Security-Policy allows `data:` images), so
/// that no markup from a response is ever put into the page.
fn data_url(svg: &str) -> String {
    let encoded = web_sys::window().and_then(|w| w.btoa(svg).ok()).unwrap_or_default();
    format!("data:image/svg+xml;base64,{encoded}")
}

/// `ABCD EFGH …`: a long key is easier to type in groups of four.
fn grouped(secret: &str) -> String {
    secret.chars().collect::<Vec<_>>().chunks(4).map(String::from_iter).collect::<Vec<_>>().join(" ")
}
