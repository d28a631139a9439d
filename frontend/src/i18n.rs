//! Chinese first, English on request. The choice is remembered in `localStorage` and in the
//! `jf_lang` cookie, which also tells the server which language to answer errors in.

use leptos::prelude::*;
use shared::Lang;
use wasm_bindgen::JsCast;

const KEY: &str = "jf_lang";

/// The language the user chose last time, or Chinese. The cookie outlives sign-out, which
/// clears the site's storage.
pub fn stored_lang() -> Lang {
    let window = web_sys::window();
    let from_storage =
        window.as_ref().and_then(|w| w.local_storage().ok().flatten()).and_then(|s| s.get_item(KEY).ok().flatten());
    let from_cookie = || {
        let doc = window.as_ref()?.document()?.dyn_into::<web_sys::HtmlDocument>().ok()?;
        let cookies = doc.cookie().ok()?;
        cookies.split(';').find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == KEY).then(|| value.to_string())
        })
    };
    from_storage.or_else(from_cookie).map(|code| Lang::from_code(&code)).unwrap_or_default()
}

fn remember(lang: Lang) {
    let Some(window) = web_sys::window() else { return };
    if let Ok(Some(storage)) = window.local_storage() {
        let _ = storage.set_item(KEY, lang.code());
    }
    if let Some(doc) = window.document().and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok()) {
        let _ = doc.set_cookie(&format!("{KEY}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code()));
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("lang", if lang == Lang::Zh { "zh-CN" } else { "en" });
        }
    }
}

#[derive(Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

pub fn provide() -> I18n {
    let lang = stored_lang();
    remember(lang);
    let i18n = I18n(RwSignal::new(lang));
    provide_context(i18n);
    i18n
}

pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<I18n>().0
}

pub fn set_lang(lang: Lang) {
    remember(lang);
    use_lang().set(lang);
}

/// The language switch, on the staff app's bar and on the parent's page: Chinese ⇄ English.
#[component]
pub fn LangToggle() -> impl IntoView {
    let lang = use_lang();
    let toggle = move |_| set_lang(if lang.get_untracked() == Lang::Zh { Lang::En } else { Lang::Zh });
    view! {
        <button class="btn btn-ghost" data-testid="lang-toggle" on:click=toggle
            aria-label=move || lang.get().pick("EN: Switch to English", "中文：切换到中文")>
            {move || lang.get().pick("EN", "中文")}
        </button>
    }
}

/// A reactive text in the current language: `t!("登录", "Sign in")`.
#[macro_export]
macro_rules! t {
    ($zh:expr, $en:expr) => {
        $crate::i18n::tr($zh, $en)
    };
}

/// What `t!` gives: one closure type for every text, so tachys compiles its reactive text (render
/// effect, build, drop) once rather than once per text — kilobytes of the parent's page's wasm.
pub fn tr(zh: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().pick(zh, en)
}
