use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api;
use crate::i18n::{use_lang, LangToggle};
use crate::session::{self, use_session};
use crate::t;

/// The bar at the top: the product, who is signed in, the language switch and sign-out.
#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            session::sign_out(session).await;
            navigate("/login", Default::default());
        });
    };
    let service = move || session.me.get().is_some_and(|me| me.role == shared::Role::ServiceStaff);
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"家"</span>
                <span>{t!("家访", "Jiafang")}</span>
            </A>
            <Show when=move || session.me.get().is_some()>
                <nav class="staff-nav" aria-label=move || lang.get().pick("主导航", "Main")>
                    <Show when=move || !service()>
                        <A href="/campaigns" attr:data-testid="nav-campaigns">{t!("活动", "Campaigns")}</A>
                        <A href="/visits" attr:data-testid="nav-visits">{t!("家访", "Visits")}</A>
                        <A href="/meetings" attr:data-testid="nav-meetings">{t!("家长会", "Meetings")}</A>
                    </Show>
                    <DueLink service=Signal::derive(service) />
                    <Show when=move || session.me.get().is_some_and(|me| me.role == shared::Role::Admin)>
                        <A href="/users" attr:data-testid="nav-users">{t!("用户", "Users")}</A>
                        <A href="/audit" attr:data-testid="nav-audit">{t!("审计日志", "Audit log")}</A>
                    </Show>
                </nav>
            </Show>
            <div class="topbar-actions">
                <Show when=move || session.me.get().is_some()>
                    // Who is signed in, and the way to their account's security.
                    <A href="/account" attr:class="who" attr:data-testid="who"
                        attr:title=move || lang.get().pick("账户安全", "Account security")>
                        {move || session.me.get().map(|me| me.display_name).unwrap_or_default()}
                        <small>{move || session.me.get().map(|me| me.role.label(lang.get())).unwrap_or_default()}</small>
                    </A>
                </Show>
                <LangToggle />
                <Show when=move || session.me.get().is_some()>
                    <button class="btn btn-ghost" data-testid="sign-out" on:click=sign_out.clone()>
                        {t!("退出", "Sign out")}
                    </button>
                </Show>
            </div>
        </header>
    }
}

/// The follow-ups link with its reminder badge: how many are due this week or overdue (the
/// caller's own, or for service staff their department's referrals), asked again on every
/// change of page.
#[component]
fn DueLink(service: Signal<bool>) -> impl IntoView {
    let location = use_location();
    let count = LocalResource::new(move || {
        location.pathname.track();
        api::follow_ups::due_count()
    });
    let badge = move || {
        count.get().and_then(Result::ok).filter(|c| c.due > 0).map(|c| {
            let class = if c.overdue > 0 { "badge badge-warn nav-badge" } else { "badge nav-badge" };
            view! { <span class=class data-testid="due-badge" data-overdue=c.overdue.to_string()>{c.due}</span> }
        })
    };
    let lang = use_lang();
    view! {
        <A href=move || if service.get() { "/referrals".to_string() } else { "/follow-ups/due".to_string() }
            attr:data-testid="nav-follow-ups">
            {move || {
                if service.get() { lang.get().pick("转介事项", "Referrals") } else { lang.get().pick("后续事项", "Follow-ups") }
            }}
            {badge}
        </A>
    }
}
