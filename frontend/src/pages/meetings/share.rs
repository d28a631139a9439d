//! Sharing a meeting in the class's WeChat group: a poster (PNG) with the class QR code, the QR
//! code alone as a PNG, and an invitation text with the class link to copy. Counselors post a
//! picture and a text there; an SVG cannot be posted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::meetings::Meeting;
use shared::Lang;

use super::poster::{self, Poster};
use crate::components::copy::copy_text;
use crate::i18n::use_lang;
use crate::pages::family::when;
use crate::t;

/// The place as the poster and the text say it (an online-only meeting has none).
fn place(meeting: &Meeting, lang: Lang) -> String {
    let online = meeting.details.online_url.is_some();
    match (&meeting.details.place, online) {
        (Some(place), true) => format!("{place}{}", lang.pick("（也可线上参加）", " (or online)")),
        (Some(place), false) => place.clone(),
        (None, _) => lang.pick("线上", "Online").to_string(),
    }
}

/// The text posted in the group with the class link.
pub fn invitation(meeting: &Meeting, url: &str, lang: Lang) -> String {
    let d = &meeting.details;
    format!(
        "{}\n{}{}\n{}{}\n{}{}\n{}\n{url}",
        lang.pick(&format!("【{}家长会邀请】", meeting.class_name), &format!("[{}: parents' meeting]", meeting.class_name)),
        lang.pick("主题：", "Theme: "),
        d.theme,
        lang.pick("时间：", "When: "),
        when(d.starts_at, d.ends_at, lang),
        lang.pick("地点：", "Where: "),
        place(meeting, lang),
        lang.pick(
            "请打开班级链接，输入学生学号（或学生姓名）和您在学校登记的手机号后四位报名：",
            "Open the class link and enter the student number (or the student's name) and the last four digits of the phone number the school has for you:",
        ),
    )
}

fn poster_of(meeting: &Meeting, lang: Lang) -> Poster {
    let d = &meeting.details;
    Poster {
        title: lang.pick("家长会邀请", "Parents' meeting").to_string(),
        theme: d.theme.clone(),
        class_name: meeting.class_name.clone(),
        lines: vec![
            format!("{}{}", lang.pick("时间：", "When: "), when(d.starts_at, d.ends_at, lang)),
            format!("{}{}", lang.pick("地点：", "Where: "), place(meeting, lang)),
        ],
        hint: lang
            .pick(
                "微信扫码或长按识别二维码，输入学号（或学生姓名）和手机号后四位报名",
                "Scan the code, then enter the student number (or name) and the last four digits of your phone",
            )
            .to_string(),
    }
}

#[component]
pub fn Share(meeting: Meeting, url: String, qr_src: Signal<String>) -> impl IntoView {
    let lang = use_lang();
    let poster_png = RwSignal::new(None::<String>);
    let qr_png = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<bool>);
    let drawn = move |result: Result<String, wasm_bindgen::JsValue>, into: RwSignal<Option<String>>| match result {
        Ok(png) => into.set(Some(png)),
        Err(_) => error.set(Some(
            lang.get_untracked()
                .pick("生成图片失败，请刷新页面后重试。", "The picture could not be made; reload and try again.")
                .into(),
        )),
    };
    let for_poster = meeting.clone();
    let make_poster = move |_| {
        let content = poster_of(&for_poster, lang.get_untracked());
        let src = qr_src.get_untracked();
        spawn_local(async move { drawn(poster::poster(&content, &src).await, poster_png) });
    };
    let make_qr = move |_| {
        let src = qr_src.get_untracked();
        spawn_local(async move { drawn(poster::qr_png(&src, 600.0).await, qr_png) });
    };
    let alt = {
        let meeting = meeting.clone();
        move || {
            let p = poster_of(&meeting, lang.get());
            format!("{} {} {} {}", p.title, p.theme, p.class_name, p.lines.join(" "))
        }
    };
    let text = move || invitation(&meeting, &url, lang.get());
    let copy_now = text.clone();
    let file = |name: &str| format!("{name}.png");
    view! {
        <div class="share" data-testid="share">
            <h3>{t!("分享到班级微信群", "Share in the class WeChat group")}</h3>
            <div class="actions">
                <button class="btn" type="button" data-testid="make-poster" on:click=make_poster>{t!("生成海报", "Make a poster")}</button>
                <button class="btn" type="button" data-testid="qr-png" on:click=make_qr>{t!("二维码图片（PNG）", "QR code picture (PNG)")}</button>
                <button class="btn" type="button" data-testid="copy-invitation"
                    on:click=move |_| copied.set(Some(copy_text(&copy_now())))>
                    {move || match copied.get() {
                        Some(true) => lang.get().pick("已复制邀请文字", "Invitation copied"),
                        Some(false) => lang.get().pick("请选中下面的文字复制", "Select the text below to copy it"),
                        None => lang.get().pick("复制邀请文字", "Copy the invitation text"),
                    }}
                </button>
            </div>
            <Show when=move || error.get().is_some()>
                <p class="alert" role="alert">{move || error.get()}</p>
            </Show>
            <textarea readonly rows="6" data-testid="invitation-text" aria-label=move || lang.get().pick("邀请文字", "Invitation text")
                prop:value=text></textarea>
            {move || qr_png.get().map(|png| view! {
                <a class="btn btn-primary" href=png download=file("class-qr") data-testid="qr-png-link">
                    {t!("保存二维码图片", "Save the QR code picture")}
                </a>
            })}
            {move || poster_png.get().map(|png| view! {
                <figure class="poster">
                    <img src=png.clone() alt=alt.clone() data-testid="poster" />
                    <figcaption>
                        <a class="btn btn-primary" href=png download=file("poster") data-testid="poster-download">
                            {t!("保存海报", "Save the poster")}
                        </a>
                        <span class="muted">{t!("手机上也可长按图片保存或转发。", "On a phone, press and hold the picture to save or forward it.")}</span>
                    </figcaption>
                </figure>
            })}
        </div>
    }
}
