//! Recovery codes on the account page: the set shown once (after turning two-step verification
//! on, or after asking for new ones) with copy and download, how many are left, and the form
//! for a new set (a current code or the password).

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::RecoveryCodesRequest;

use crate::api;
use crate::components::copy::copy_text;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::t;

/// A set of codes, shown this once.
#[component]
pub fn ShownCodes(codes: Vec<String>) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(false);
    let text = codes.join("\n");
    let download = format!("data:text/plain;charset=utf-8,{}", String::from(js_sys::encode_uri_component(&text)));
    view! {
        <div class="one-time-link" data-testid="recovery-codes">
            <p>
                <strong>{t!("恢复码（只显示这一次）", "Recovery codes (shown only this once)")}</strong>
                <br />
                <span class="muted">
                    {t!("手机丢失时，可在登录时用一个恢复码代替验证码，每个只能用一次。请复制或下载后妥善保存。",
                        "If you lose your phone, sign in with one of these instead of a code; each works once. Copy or download them and keep them safe.")}
                </span>
            </p>
            <ul class="codes">
                {codes.into_iter().map(|c| view! { <li class="secret" data-testid="recovery-code">{c}</li> }).collect_view()}
            </ul>
            <div class="actions">
                <button type="button" class="btn" on:click=move |_| copied.set(copy_text(&text))>
                    {move || if copied.get() { lang.get().pick("已复制", "Copied") } else { lang.get().pick("全部复制", "Copy all") }}
                </button>
                <a class="btn" href=download download="jiafang-recovery-codes.txt">{t!("下载", "Download")}</a>
            </div>
        </div>
    }
}

/// How many codes are left, and a new set on request.
#[component]
pub fn RecoveryCodesPanel(shown: RwSignal<Option<Vec<String>>>) -> impl IntoView {
    let left = LocalResource::new(move || {
        // Counted again whenever a new set is shown.
        shown.track();
        api::auth::recovery_codes_left()
    });
    let typed = RwSignal::new(String::new());
    let error = FormError::new();
    let busy = RwSignal::new(false);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.clear();
        let body = RecoveryCodesRequest::from_typed(&typed.get_untracked());
        spawn_local(async move {
            match api::auth::new_recovery_codes(&body).await {
                Ok(set) => {
                    typed.set(String::new());
                    shown.set(Some(set.codes));
                }
                Err(e) => error.set(e),
            }
            busy.set(false);
        });
    };
    view! {
        <h2>{t!("恢复码", "Recovery codes")}</h2>
        <p data-testid="recovery-left">
            {t!("剩余可用恢复码：", "Recovery codes left: ")}
            {move || left.get().and_then(|r| r.ok()).map(|l| l.remaining.to_string()).unwrap_or_default()}
        </p>
        {move || shown.get().map(|codes| view! { <ShownCodes codes /> })}
        <form class="form" on:submit=submit novalidate>
            <label for="recovery-proof">
                {t!("生成一组新的恢复码（旧的作废）：请输入验证器应用中的验证码或您的密码",
                    "New recovery codes (the old ones stop working): enter a code from your app or your password")}
            </label>
            <input id="recovery-proof" type="password" autocomplete="off" bind:value=typed />
            <FieldError error field="code" />
            <FieldError error field="password" />
            <FormAlert error />
            <button class="btn" type="submit" data-testid="recovery-new" disabled=move || busy.get()>
                {t!("生成新恢复码", "New recovery codes")}
            </button>
        </form>
    }
}
