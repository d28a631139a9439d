//! `/visits/:id/import`: visits recorded on paper or in Excel (README "Visit import"): pick a
//! file, see the preview and the row-level report, confirm. The roster import's preview and
//! result views show both.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::imports::{ImportPreview, ImportResult};
use web_sys::File;

use crate::api;
use crate::components::route::route_id;
use crate::components::staff_only::StaffOnly;
use crate::pages::imports::preview::PreviewView;
use crate::pages::imports::result::ResultView;
use crate::t;

#[component]
pub fn VisitImportPage() -> impl IntoView {
    let campaign = route_id();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let preview = RwSignal::new(None::<ImportPreview>);
    let result = RwSignal::new(None::<ImportResult>);
    let choose = move |f: Option<File>| {
        let (Some(f), Some(c)) = (f, campaign()) else { return };
        error.set(None);
        result.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::visits::import_preview(c, &f, |_| {}).await {
                Ok(p) => preview.set(Some(p)),
                Err(e) => {
                    preview.set(None);
                    let detail: Vec<String> = e.fields.values().cloned().collect();
                    error.set(Some(if detail.is_empty() { e.message } else { detail.join(" ") }));
                }
            }
            busy.set(false);
        });
    };
    let confirm = move |_| {
        let Some(id) = preview.get_untracked().map(|p| p.import_id) else { return };
        busy.set(true);
        spawn_local(async move {
            match api::visits::import_commit(id).await {
                Ok(r) => result.set(Some(r)),
                Err(e) => error.set(Some(e.message)),
            }
            busy.set(false);
        });
    };
    view! {
        <StaffOnly>
            <h1>{t!("导入纸质或 Excel 家访记录", "Import visits recorded on paper or in Excel")}</h1>
            <p class="muted">
                {t!(
                    "列：学号、日期、方式（上门/云端/电话）、走访人、涉及方面、备注。.xlsx 或 .csv（UTF-8 或 GBK）。确认之前不会写入任何内容；同一文件再次导入不会重复。",
                    "Columns: student_no, date, mode (in_person/cloud/phone), visitors, aspects, notes. .xlsx or .csv (UTF-8 or GBK). Nothing is written before you confirm; importing the same file again adds nothing."
                )}
            </p>
            <label class="btn btn-big" for="visit-file">{t!("选择文件", "Choose a file")}</label>
            <input id="visit-file" class="visually-hidden" type="file" accept=".xlsx,.csv" data-testid="visit-import-file"
                on:change=move |ev| {
                    let input: web_sys::HtmlInputElement = event_target(&ev);
                    choose(input.files().and_then(|files| files.get(0)));
                    input.set_value("");
                } />
            <Show when=move || busy.get()><p class="loading" role="status">{t!("处理中…", "Working…")}</p></Show>
            <Show when=move || error.get().is_some()>
                <p class="alert" role="alert" data-testid="visit-import-error">{move || error.get()}</p>
            </Show>
            {move || match (result.get(), preview.get()) {
                (Some(r), _) => view! { <ResultView result=r /> }.into_any(),
                (None, Some(p)) => view! {
                    <PreviewView preview=p on_sheet=Callback::new(|_: String| {}) />
                    <button class="btn btn-primary btn-big" data-testid="visit-import-confirm" on:click=confirm
                        disabled=move || busy.get()>{t!("确认导入", "Confirm the import")}</button>
                }.into_any(),
                (None, None) => ().into_any(),
            }}
        </StaffOnly>
    }
}
