//! "Export to Excel" on the student search page: the same search as an xlsx roster, with or
//! without the sensitive columns (the server checks the right to them and audits the export).

use leptos::prelude::*;

use crate::api;
use crate::t;

#[component]
pub fn ExportLinks(q: String) -> impl IntoView {
    let (plain, sensitive) =
        (api::org::students_export_url(q.trim(), false), api::org::students_export_url(q.trim(), true));
    view! {
        <p class="export-links">
            <a class="btn" href=plain download="students.xlsx" data-testid="export-xlsx">
                {t!("导出 Excel", "Export to Excel")}
            </a>
            <a class="btn btn-ghost sensitive" href=sensitive download="students.xlsx"
                data-testid="export-xlsx-sensitive">
                {t!("导出（含住址、家长电话、困难等级）", "Export with address, guardian phone and hardship")}
            </a>
        </p>
    }
}
