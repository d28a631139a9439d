//! `/imports/roster`: pick or drop a file; it uploads with a progress bar (XMLHttpRequest upload
//! events) and comes back as a preview; confirming writes it and shows the final counts.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::imports::{ImportPreview, ImportResult};
use shared::Role;
use web_sys::File;

use super::preview::PreviewView;
use super::result::ResultView;
use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

/// The server's limit on an upload (backend `import::MAX_UPLOAD_BYTES`).
const MAX_BYTES: f64 = 20.0 * 1024.0 * 1024.0;

#[component]
pub fn RosterImportPage() -> impl IntoView {
    let session = use_session();
    let is_admin = move || session.me.get().is_some_and(|me| me.role == Role::Admin);
    view! {
        <StaffOnly>
            <h1>{t!("导入学生名单", "Import the student roster")}</h1>
            <Show
                when=is_admin
                fallback=|| view! {
                    <p class="alert" role="alert" data-testid="import-forbidden">
                        {t!("只有学工处管理员可以导入名单。", "Only the Student Affairs Office can import rosters.")}
                    </p>
                }
            >
                <Importer />
            </Show>
        </StaffOnly>
    }
}

#[component]
fn Importer() -> impl IntoView {
    let lang = use_lang();
    let file = StoredValue::new_local(None::<File>);
    let progress = RwSignal::new(None::<f64>);
    let dragging = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let preview = RwSignal::new(None::<ImportPreview>);
    let result = RwSignal::new(None::<ImportResult>);
    let confirming = RwSignal::new(false);

    let upload = move |sheet: Option<String>| {
        let Some(f) = file.get_value() else { return };
        error.set(None);
        result.set(None);
        if f.size() > MAX_BYTES {
            let l = lang.get_untracked();
            error.set(Some(l.pick("文件超过 20 MB 的上限", "The file is larger than the 20 MB limit").to_string()));
            return;
        }
        progress.set(Some(0.0));
        spawn_local(async move {
            let answer = api::imports::roster_preview(&f, sheet.as_deref(), move |p| progress.set(Some(p))).await;
            progress.set(None);
            match answer {
                Ok(p) => preview.set(Some(p)),
                Err(e) => {
                    preview.set(None);
                    let detail: Vec<String> = e.fields.values().cloned().collect();
                    error.set(Some(if detail.is_empty() { e.message } else { detail.join(" ") }));
                }
            }
        });
    };
    let choose = move |f: Option<File>| {
        if let Some(f) = f {
            file.set_value(Some(f));
            upload(None);
        }
    };
    let confirm = move |_| {
        let Some(id) = preview.get_untracked().map(|p| p.import_id) else { return };
        confirming.set(true);
        spawn_local(async move {
            match api::imports::roster_commit(id).await {
                Ok(r) => result.set(Some(r)),
                Err(e) => error.set(Some(e.message)),
            }
            confirming.set(false);
        });
    };

    view! {
        <p class="muted">
            {t!(
                "支持 .xlsx（第一个工作表，可另选）和 .csv（UTF-8 或 GBK 编码，自动识别）。表头为模板中的中文或英文列名，顺序不限。确认之前不会写入任何内容。",
                "Accepts .xlsx (the first sheet, or another you pick) and .csv (UTF-8 or GBK, detected automatically). Headers are the template's Chinese or English column names, in any order. Nothing is written before you confirm."
            )}
            " "
            <a href=api::imports::roster_template_url() download="jiafang-roster-template.xlsx" data-testid="roster-template">
                {t!("下载名单模板（.xlsx）", "Download the roster template (.xlsx)")}
            </a>
        </p>
        <div
            class="dropzone"
            class:dragging=move || dragging.get()
            data-testid="dropzone"
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(false);
                choose(ev.data_transfer().and_then(|d| d.files()).and_then(|files| files.get(0)));
            }
        >
            <p>{t!("把名单文件拖到这里，或者", "Drop the roster file here, or")}</p>
            <label for="roster-file" class="visually-hidden">{t!("选择文件", "Choose a file")}</label>
            <input
                id="roster-file"
                type="file"
                accept=".xlsx,.csv"
                data-testid="roster-file"
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    choose(input.files().and_then(|files| files.get(0)));
                    input.set_value("");
                }
            />
        </div>
        <Show when=move || progress.get().is_some()>
            <div class="upload-status" role="status">
                <progress class="upload-progress" data-testid="upload-progress" max="100"
                    value=move || format!("{:.0}", progress.get().unwrap_or(0.0) * 100.0)></progress>
                <span>
                    {move || match progress.get() {
                        Some(p) if p >= 1.0 => lang.get().pick("正在检查文件…", "Checking the file…").to_string(),
                        Some(p) => format!("{}{:.0}%", lang.get().pick("上传中 ", "Uploading "), p * 100.0),
                        None => String::new(),
                    }}
                </span>
            </div>
        </Show>
        <Show when=move || error.get().is_some()>
            <p class="alert" role="alert" data-testid="import-error">{move || error.get()}</p>
        </Show>
        // Once confirmed, the final counts take the preview's place.
        {move || match (result.get(), preview.get()) {
            (Some(r), _) => view! { <ResultView result=r /> }.into_any(),
            (None, Some(p)) => view! {
                <PreviewView preview=p on_sheet=Callback::new(move |s| upload(Some(s))) />
                <div class="import-actions">
                    <button class="btn btn-primary" data-testid="import-confirm" on:click=confirm
                        disabled=move || confirming.get()>
                        {t!("确认导入", "Confirm the import")}
                    </button>
                </div>
            }.into_any(),
            (None, None) => ().into_any(),
        }}
    }
}
