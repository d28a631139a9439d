//! A visit's photos on the tablet: each chosen picture is shrunk in the browser (decoded, drawn
//! on a canvas with its longer side at most `PHOTO_LONGEST_SIDE` pixels, re-encoded as JPEG at
//! `PHOTO_QUALITY`) before it is kept or sent, so that three photos of a phone camera's 5 MB
//! become well under a megabyte between them, on a family's slow connection too. A photo gets its
//! id here, once: however many times it is sent, the server stores it once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use shared::cases::{MAX_PHOTOS, PHOTO_LONGEST_SIDE, PHOTO_QUALITY};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlInputElement, ImageBitmap};

use super::log::new_client_id;
use crate::i18n::use_lang;
use crate::t;

/// A shrunk photo waiting to be sent: its id and a `data:image/jpeg;base64,…` URL (kept in the
/// outbox as text, shown as the thumbnail as it is).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedPhoto {
    pub id: String,
    pub data_url: String,
}

/// The picture in `file` as a JPEG data URL, its longer side at most `PHOTO_LONGEST_SIDE`.
pub async fn shrink(file: &web_sys::File) -> Result<String, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let bitmap: ImageBitmap = JsFuture::from(window.create_image_bitmap_with_blob(file)?).await?.unchecked_into();
    let (width, height) = (f64::from(bitmap.width()), f64::from(bitmap.height()));
    let scale = (f64::from(PHOTO_LONGEST_SIDE) / width.max(height).max(1.0)).min(1.0);
    let (w, h) = ((width * scale).round().max(1.0), (height * scale).round().max(1.0));
    let canvas: HtmlCanvasElement = window.document().ok_or("no document")?.create_element("canvas")?.unchecked_into();
    canvas.set_width(w as u32);
    canvas.set_height(h as u32);
    let context: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.unchecked_into();
    // JPEG has no transparency: a transparent PNG's background becomes white, not black.
    context.set_fill_style_str("#fff");
    context.fill_rect(0.0, 0.0, w, h);
    context.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, w, h)?;
    bitmap.close();
    canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(PHOTO_QUALITY))
}

/// The content type and bytes of a `data:…;base64,…` URL.
pub fn data_url_bytes(data_url: &str) -> Option<(String, Vec<u8>)> {
    let (head, data) = data_url.split_once(',')?;
    let content_type = head.strip_prefix("data:")?.strip_suffix(";base64")?;
    let binary = web_sys::window()?.atob(data).ok()?;
    Some((content_type.to_string(), binary.chars().map(|c| c as u32 as u8).collect()))
}

/// The files chosen in a file input, shrunk, at most `room` of them; a message for any that
/// could not be read as a picture. The input is emptied so that the same file can be chosen again.
pub async fn chosen(input: HtmlInputElement, room: usize, lang: shared::Lang) -> (Vec<QueuedPhoto>, Option<String>) {
    let files: Vec<web_sys::File> =
        input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    let mut photos = Vec::new();
    let mut problem = None;
    if files.len() > room {
        problem = Some(lang.pick("每次家访最多 3 张照片", "A visit can have at most 3 photos").to_string());
    }
    for file in files.into_iter().take(room) {
        match shrink(&file).await {
            Ok(data_url) => photos.push(QueuedPhoto { id: new_client_id(), data_url }),
            Err(_) => {
                let why = lang.pick("无法读取该图片", "This picture could not be read");
                problem = Some(format!("{why}: {}", file.name()));
            }
        }
    }
    (photos, problem)
}

/// Photos chosen in the visit form: kept with the visit in the outbox and sent after it.
#[component]
pub fn PhotoPicker(photos: RwSignal<Vec<QueuedPhoto>>) -> impl IntoView {
    let lang = use_lang();
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        let room = MAX_PHOTOS.saturating_sub(photos.with_untracked(Vec::len));
        busy.set(true);
        spawn_local(async move {
            let (more, why) = chosen(input, room, lang.get_untracked()).await;
            photos.update(|p| p.extend(more));
            problem.set(why);
            busy.set(false);
        });
    };
    let thumbs = move || {
        photos
            .get()
            .into_iter()
            .map(|p| {
                let id = p.id.clone();
                view! {
                    <li class="photo">
                        <img src=p.data_url alt="" data-testid="queued-photo" />
                        <button type="button" class="btn" data-testid="drop-photo"
                            on:click=move |_| photos.update(|l| l.retain(|x| x.id != id))>
                            {t!("移除", "Remove")}
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="choices photos">
            <legend>{t!("照片（最多 3 张，上传前自动压缩）", "Photos (up to 3, made smaller before upload)")}</legend>
            <ul class="photo-list">{thumbs}</ul>
            <Show when=move || photos.with(Vec::len) < MAX_PHOTOS>
                <input type="file" accept="image/*" multiple data-testid="photo-input" on:change=pick />
            </Show>
            <Show when=move || busy.get()><span class="muted">{t!("正在压缩…", "Shrinking…")}</span></Show>
            <Show when=move || problem.get().is_some()>
                <p class="alert" role="alert" data-testid="photo-problem">{move || problem.get()}</p>
            </Show>
        </fieldset>
    }
}
