//! Inside WeChat's built-in browser (its user agent says `MicroMessenger`) a file download — the
//! meeting's `.ics` — fails without a word. There the parent's page shows the date, time and
//! place to copy instead, and says how to open the page in the phone's own browser, where "add
//! to calendar" works.

use leptos::prelude::*;

use super::when;
use crate::components::copy::copy_text;
use crate::i18n::use_lang;
use crate::t;

/// Whether this page runs in WeChat's built-in browser.
pub fn in_wechat() -> bool {
    web_sys::window()
        .and_then(|w| w.navigator().user_agent().ok())
        .is_some_and(|agent| agent.contains("MicroMessenger"))
}

/// The meeting's theme, time and place as a parent pastes them into a note or a chat.
#[component]
pub fn CalendarNote(theme: String, starts_at: i64, ends_at: i64, place: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let text = move || {
        let lang = lang.get();
        let place = place.clone().unwrap_or_else(|| lang.pick("线上", "Online").to_string());
        format!(
            "{theme}\n{}{}\n{}{place}",
            lang.pick("时间：", "When: "),
            when(starts_at, ends_at, lang),
            lang.pick("地点：", "Where: "),
        )
    };
    // None until pressed; then whether the browser let us copy (WeChat may not: long-press then).
    let copied = RwSignal::new(None::<bool>);
    let copy_now = text.clone();
    view! {
        <div class="wechat-calendar" data-testid="wechat-calendar">
            <p class="muted">
                {t!(
                    "微信内无法直接添加到日历：请复制下面的时间和地点，或点右上角「…」选择「在浏览器打开」后再添加到日历。",
                    "WeChat cannot add this to your calendar: copy the time and place below, or tap «…» at the top right and choose «Open in browser» to add it there."
                )}
            </p>
            <p class="pre selectable" data-testid="wechat-calendar-text">{text}</p>
            <button class="btn btn-ghost" type="button" data-testid="wechat-copy"
                on:click=move |_| copied.set(Some(copy_text(&copy_now())))>
                {move || match copied.get() {
                    Some(true) => lang.get().pick("已复制", "Copied"),
                    Some(false) => lang.get().pick("请长按上面的文字复制", "Press and hold the text above to copy it"),
                    None => lang.get().pick("复制时间和地点", "Copy the time and place"),
                }}
            </button>
        </div>
    }
}
