//! A text to copy (a one-time link): a read-only field, selectable by hand, and a copy button.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::use_lang;

/// Copies a text with the Clipboard API where the browser has it.
pub fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &"clipboard".into()).ok();
    let write = clipboard
        .as_ref()
        .and_then(|c| js_sys::Reflect::get(c, &"writeText".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    match (clipboard, write) {
        (Some(clipboard), Some(write)) => write.call1(&clipboard, &text.into()).is_ok(),
        _ => false,
    }
}

/// The site's address in front of a path such as `/activate#token=…`.
pub fn absolute(path: &str) -> String {
    let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
    format!("{origin}{path}")
}

#[component]
pub fn CopyField(text: String, #[prop(into)] testid: String) -> impl IntoView {
    let lang = use_lang();
    let copied = RwSignal::new(false);
    let value = text.clone();
    view! {
        <div class="copy-field">
            <input readonly value=text data-testid=testid aria-label=move || lang.get().pick("链接", "Link") />
            <button type="button" class="btn" on:click=move |_| copied.set(copy_text(&value))>
                {move || if copied.get() { lang.get().pick("已复制", "Copied") } else { lang.get().pick("复制", "Copy") }}
            </button>
        </div>
    }
}
