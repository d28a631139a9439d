//! `/f`: the parent's page, opened from a link in the class WeChat group or a QR code, on a
//! phone, often on a slow network, without an account.
//!
//! The link's token is in the URL's fragment (`/f#t=…` personal, `/f#c=…` class): it is read
//! here, the address bar is cleaned at once with `history.replaceState`, and the token is
//! exchanged for a family session cookie by a POST whose answer is the whole page.
//!
//! This is its own slim program (`bin/family.rs`, `family.html`, `family.css`), not a route of
//! the staff app: parents download only what this page needs.

mod answer;
mod extras;
mod identify;
pub(crate) mod privacy;
mod wechat;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::{ClassLinkInfo, FamilyPage};
use shared::ApiError;
use wasm_bindgen::JsCast;

use crate::api::family;
use crate::i18n::use_lang;
use crate::t;

/// What the page shows.
#[derive(Clone)]
enum Stage {
    Loading,
    /// A class link: the parent identifies first.
    Identify(String, ClassLinkInfo),
    Page(Box<FamilyPage>),
    Failed(String),
}

/// The exchange of a personal link that family.html's start-up script began while this program
/// was still downloading (one round trip fewer on a slow network), taken once: a link opened
/// later on the same page (`hashchange`) is exchanged here.
fn early_enter() -> Option<js_sys::Promise> {
    let window = web_sys::window()?;
    let key = wasm_bindgen::JsValue::from_str("jfEnter");
    let sent = js_sys::Reflect::get(&window, &key).ok()?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    sent.dyn_into::<js_sys::Promise>().ok()
}

/// Reads and removes the token from the address.
fn take_fragment() -> Option<(char, String)> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let hash = hash.strip_prefix('#')?;
    let (kind, token) = hash.split_once('=')?;
    let kind = match kind {
        "t" => 't',
        "c" => 'c',
        _ => return None,
    };
    // A clean address: the token never stays in the bar, the history or a screenshot.
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/f"));
    }
    Some((kind, token.to_string()))
}

/// The whole parent's page: a bar with the language switch, then the meeting.
#[component]
pub fn FamilyApp() -> impl IntoView {
    crate::i18n::provide();
    privacy::provide();
    view! {
        <header class="topbar">
            <span class="brand">
                <span class="brand-mark" aria-hidden="true">"家"</span>
                <span>{t!("家长会", "Parents' meeting")}</span>
            </span>
            <privacy::PrivacyLink />
            <crate::i18n::LangToggle />
        </header>
        <main class="page">
            <privacy::PrivacyNoticeCard />
            <FamilyEntry />
        </main>
    }
}

#[component]
fn FamilyEntry() -> impl IntoView {
    let stage = RwSignal::new(Stage::Loading);
    let fail = move |e: ApiError| stage.set(Stage::Failed(e.message));
    // Also when a link is opened on a page already at `/f` (only the fragment changes, so the
    // browser does not load the page again).
    let start = move || {
        spawn_local(async move {
            let body = |token: &str| shared::meetings::EnterRequest { token: token.to_string() };
            match take_fragment() {
                Some(('t', token)) => {
                    let entered = match early_enter() {
                        Some(sent) => family::entered(sent).await,
                        None => family::enter(&body(&token)).await,
                    };
                    match entered {
                        Ok(page) => stage.set(Stage::Page(Box::new(page))),
                        Err(e) => fail(e),
                    }
                }
                Some((_, token)) => match family::class_link(&body(&token)).await {
                    Ok(info) => stage.set(Stage::Identify(token, info)),
                    Err(e) => fail(e),
                },
                None => match family::me().await {
                    Ok(page) => stage.set(Stage::Page(Box::new(page))),
                    Err(e) if e.code == "unauthorized" => {
                        let lang = crate::i18n::stored_lang();
                        stage.set(Stage::Failed(
                            lang.pick(
                                "请打开班级群里发的家长会链接，或扫描二维码。",
                                "Open the meeting link from the class group, or scan the QR code.",
                            )
                            .to_string(),
                        ))
                    }
                    Err(e) => fail(e),
                },
            }
        })
    };
    start();
    let listener = window_event_listener(leptos::ev::hashchange, move |_| {
        stage.set(Stage::Loading);
        start();
    });
    on_cleanup(move || listener.remove());
    let set_page = Callback::new(move |page: FamilyPage| stage.set(Stage::Page(Box::new(page))));
    // Each stage is built afresh into the host rather than by a reactive `move || match …`: that
    // would compile tachys' `rebuild` of every stage's whole view tree, kilobytes of wasm that
    // parents download and that never ran usefully (a new page is a new tree anyway).
    let host = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |shown: Option<Option<Box<dyn Mountable>>>| {
        let stage = stage.get();
        let host = host.get()?;
        if let Some(mut old) = shown.flatten() {
            old.unmount();
        }
        if !matches!(stage, Stage::Loading) {
            remove_early_details();
        }
        untrack(|| match stage {
            Stage::Loading => mount(&host, view! { <p class="loading" role="status">{t!("加载中…", "Loading…")}</p> }),
            Stage::Failed(message) => mount(
                &host,
                view! {
                    <section class="card family-card">
                        <h1>{t!("家长会", "Parents' meeting")}</h1>
                        <p class="alert" role="alert" data-testid="family-error">{message}</p>
                    </section>
                },
            ),
            Stage::Identify(token, info) => mount(&host, view! { <identify::Identify token info on_done=set_page /> }),
            Stage::Page(page) => mount(&host, view! { <FamilyView page=*page set_page /> }),
        })
    });
    view! { <div class="family" node_ref=host></div> }
}

/// family.html's start-up script shows the meeting's details from the early exchange while this
/// program downloads; once the page is shown here, they go.
fn remove_early_details() {
    if let Some(early) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("jf-early")) {
        early.remove();
    }
}

/// Builds a view into `host`, for the stage effect above to unmount later.
fn mount<V: IntoView>(host: &web_sys::Element, view: V) -> Option<Box<dyn Mountable>>
where
    V::State: 'static,
{
    let mut state = view.into_view().build();
    state.mount(host, None);
    Some(Box::new(state))
}

/// A card's error line, shown while there is one: one component for every card of the page, so
/// its view is compiled once (each `<Show>` with its own closures is compiled anew).
#[component]
fn ErrorLine(error: RwSignal<Option<String>>, #[prop(optional)] testid: &'static str) -> impl IntoView {
    view! {
        <Show when=move || error.with(Option::is_some)>
            <p class="alert" role="alert" data-testid=testid>{move || error.get()}</p>
        </Show>
    }
}

/// Start and end in the school's time zone, in the user's language.
pub fn when(starts_at: i64, ends_at: i64, lang: shared::Lang) -> String {
    let start = shared::meetings::format_local(starts_at, lang);
    let end = shared::meetings::format_local(ends_at, lang);
    // Same day: only the end's time.
    let end = end.rsplit(' ').next().unwrap_or(&end).to_string();
    format!("{start} – {end}")
}

#[component]
fn FamilyView(page: FamilyPage, set_page: Callback<FamilyPage>) -> impl IntoView {
    let lang = use_lang();
    // Signed in now: the school's details and the consent, for the notice and the concerns.
    privacy::load();
    let (starts_at, ends_at) = (page.starts_at, page.ends_at);
    let place = page.place.clone();
    let online = page.online_url.clone();
    let has_online = page.has_online;
    view! {
        <section class="card family-card">
            <p class="muted" data-testid="family-class">{page.class_name.clone()}</p>
            <h1 data-testid="family-theme">{page.theme.clone()}</h1>
            <p data-testid="family-child">
                {t!("学生：", "Student: ")}<strong>{page.student_name.clone()}</strong>
            </p>
            <dl class="facts">
                <dt>{t!("时间", "When")}</dt>
                <dd data-testid="family-when">{move || when(starts_at, ends_at, lang.get())}</dd>
                <dt>{t!("地点", "Where")}</dt>
                <dd>
                    {place.unwrap_or_default()}
                    {has_online.then(|| view! { <span class="muted">{t!("（可线上参加）", " (or online)")}</span> })}
                </dd>
            </dl>
            {(!page.description.is_empty()).then(|| view! { <p class="pre">{page.description.clone()}</p> })}
            {match online {
                Some(url) => {
                    view! {
                        <a class="btn btn-primary wide" href=url target="_blank" rel="noopener noreferrer" data-testid="online-link">
                            {t!("进入线上会议", "Join online")}
                        </a>
                    }
                        .into_any()
                }
                None if has_online => {
                    view! { <p class="muted">{t!("线上会议链接将在开始前 30 分钟显示。", "The online link appears 30 minutes before the start.")}</p> }
                        .into_any()
                }
                None => ().into_any(),
            }}
            {if wechat::in_wechat() {
                view! { <wechat::CalendarNote theme=page.theme.clone() starts_at ends_at place=page.place.clone() /> }
                    .into_any()
            } else {
                view! {
                    <a class="btn btn-ghost" href=family::path::MEETING_ICS download="meeting.ics" data-testid="ics">
                        {t!("添加到手机日历", "Add to calendar")}
                    </a>
                }
                    .into_any()
            }}
        </section>
        <answer::AnswerCard page=page.clone() set_page />
        <extras::Concerns page=page.clone() set_page />
        {page.can_give_feedback.then(|| view! { <extras::Feedback page=page.clone() set_page /> })}
        <extras::Messages page=page.clone() set_page />
    }
}
