use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::i18n::{use_lang, LangToggle};
use crate::session::{self, use_session};
use crate::t;
use crate::{api, apps};

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
    let field = apps::in_field();
    view! {
        <header class="topbar">
            <A href=apps::href("/") attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"家"</span>
                <span>{t!("家访", "Jiafang")}</span>
            </A>
            <Show when=move || session.me.get().is_some()>
                <nav class="staff-nav" aria-label=move || lang.get().pick("主导航", "Main")>
                    <Show when=move || !service() && !field>
                        <A href=apps::href("/campaigns") attr:data-testid="nav-campaigns">{t!("活动", "Campaigns")}</A>
                    </Show>
                    <Show when=move || !service()>
                        <A href=apps::href("/visits") attr:data-testid="nav-visits">{t!("家访", "Visits")}</A>
                        <A href=apps::href("/meetings") attr:data-testid="nav-meetings">{t!("家长会", "Meetings")}</A>
                    </Show>
                    <DueLink service=Signal::derive(service) />
                    <OtherApp field />
                    <Show when=move || session.me.get().is_some_and(|me| me.role == shared::Role::Admin)>
                        <A href=apps::href("/users") attr:data-testid="nav-users">{t!("用户", "Users")}</A>
                        <A href=apps::href("/audit") attr:data-testid="nav-audit">{t!("审计日志", "Audit log")}</A>
                    </Show>
                </nav>
            </Show>
            <div class="topbar-actions">
                <Show when=move || session.me.get().is_some()>
                    // Who is signed in, and the way to their account's security.
                    <A href=apps::href("/account") attr:class="who" attr:data-testid="who"
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
        <A href=move || apps::href(if service.get() { "/referrals" } else { "/follow-ups/due" })
            attr:data-testid="nav-follow-ups">
            {move || {
                if service.get() { lang.get().pick("转介事项", "Referrals") } else { lang.get().pick("后续事项", "Follow-ups") }
            }}
            {badge}
        </A>
    }
}

/// The way to the other staff app: from the field app to the desk (for everything it has not
/// got), and from the desk to the field app for those who work there. A full load
/// (`rel="external"`): the other app is another program, which the router must not look for
/// among its own routes.
#[component]
fn OtherApp(field: bool) -> impl IntoView {
    let session = use_session();
    let fieldworker = move || session.me.get().is_some_and(|me| apps::home_of(me.role) == apps::FIELD);
    move || {
        if field {
            Some(view! { <a href="/" rel="external" data-testid="to-desk">{t!("桌面版", "Desk")}</a> }.into_any())
        } else {
            fieldworker().then(|| {
                view! {
                    <a href=format!("{}/", apps::FIELD) rel="external" data-testid="to-field">{t!("外勤版", "Field app")}</a>
                }
                .into_any()
            })
        }
    }
}
