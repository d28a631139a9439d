//! On a visit's page: its typical case (典型案例) with a short story, and its photos (up to three,
//! shrunk on the device before upload). Whoever may see the visit may change them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::cases::{VisitMedia, MAX_PHOTOS, STORY_MAX_CHARS};
use shared::VisitId;
use web_sys::HtmlInputElement;

use super::photos::{chosen, data_url_bytes};
use crate::api;
use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn CasePanel(visit: VisitId) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let media = LocalResource::new(move || async move {
        version.track();
        api::cases::media(visit).await
    });
    let reload = move || version.update(|v| *v += 1);
    view! {
        <section class="card case-panel" data-testid="case-panel">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match media.await {
                        Ok(m) => view! { <CaseForm visit media=m.clone() reload /> <Photos visit media=m reload /> }.into_any(),
                        Err(e) => view! { <p class="alert" role="alert">{e.message}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CaseForm(visit: VisitId, media: VisitMedia, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let flagged = media.case.is_some();
    let label =
        if flagged { ("保存简述", "Save the story") } else { ("标记为典型案例", "Flag as a typical case") };
    let story = RwSignal::new(media.case.as_ref().map(|c| c.story.clone()).unwrap_or_default());
    let error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        spawn_local(async move {
            match api::cases::flag(visit, story.get_untracked()).await {
                Ok(_) => reload(),
                Err(e) => error.set(Some(e.fields.get("story").cloned().unwrap_or(e.message))),
            }
        });
    };
    let unflag = move |_| {
        spawn_local(async move {
            match api::cases::unflag(visit).await {
                Ok(()) => reload(),
                Err(e) => error.set(Some(e.message)),
            }
        })
    };
    view! {
        <h2>{t!("典型案例", "Typical case")}
            <Show when=move || flagged>" "<span class="badge" data-testid="case-flagged">{t!("已标记", "flagged")}</span></Show>
        </h2>
        {media.case.map(|c| view! { <p class="case-story" data-testid="case-story">{c.story}</p> })}
        <form class="form" on:submit=save novalidate>
            <label>{t!("案例简述（最多 500 字）", "The story (up to 500 characters)")}
                <textarea data-testid="case-story-input" maxlength=STORY_MAX_CHARS.to_string() bind:value=story />
            </label>
            <Show when=move || error.get().is_some()>
                <p class="alert" role="alert" data-testid="case-error">{move || error.get()}</p>
            </Show>
            <button type="submit" class="btn btn-primary" data-testid="flag-case">
                {t!(label.0, label.1)}
            </button>
            <Show when=move || flagged>
                <button type="button" class="btn" data-testid="unflag-case" on:click=unflag>{t!("取消标记", "Unflag")}</button>
            </Show>
        </form>
    }
}

#[component]
fn Photos(visit: VisitId, media: VisitMedia, reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let count = media.photos.len();
    let pick = move |ev: leptos::ev::Event| {
        let input: HtmlInputElement = event_target(&ev);
        busy.set(true);
        spawn_local(async move {
            let lang = lang.get_untracked();
            let (photos, mut why) = chosen(input, MAX_PHOTOS.saturating_sub(count), lang).await;
            for photo in photos {
                let Some((content_type, bytes)) = data_url_bytes(&photo.data_url) else { continue };
                if let Err(e) = api::cases::upload_photo(visit, &photo.id, &content_type, &bytes).await {
                    why = Some(e.fields.get("photo").cloned().unwrap_or(e.message));
                }
            }
            busy.set(false);
            problem.set(why);
            reload();
        });
    };
    let photos = media.photos.into_iter().map(|p| {
        let id = p.id.clone();
        let remove = move |_| {
            let id = id.clone();
            spawn_local(async move {
                match api::cases::remove_photo(visit, &id).await {
                    Ok(()) => reload(),
                    Err(e) => problem.set(Some(e.message)),
                }
            })
        };
        view! {
            <li class="photo">
                <a href=api::cases::photo_url(visit, &p.id) target="_blank">
                    <img src=api::cases::photo_url(visit, &p.id) alt="" loading="lazy" data-testid="visit-photo" />
                </a>
                <button type="button" class="btn" data-testid="remove-photo" on:click=remove>{t!("删除", "Remove")}</button>
            </li>
        }
    });
    view! {
        <h2>{t!("照片", "Photos")} " (" <span data-testid="photo-count">{count}</span> "/3)"</h2>
        <ul class="photo-list">{photos.collect_view()}</ul>
        <Show when=move || count < MAX_PHOTOS>
            <label>{t!("添加照片（上传前自动压缩）", "Add photos (made smaller before upload)")}
                <input type="file" accept="image/*" multiple data-testid="photo-input" on:change=pick />
            </label>
        </Show>
        <Show when=move || busy.get()><span class="muted" data-testid="photo-busy">{t!("正在上传…", "Uploading…")}</span></Show>
        <Show when=move || problem.get().is_some()>
            <p class="alert" role="alert" data-testid="photo-problem">{move || problem.get()}</p>
        </Show>
    }
}
