//! "Export to Excel" on the student search page: the same search as an xlsx roster, with or
//! without the sensitive columns (the server checks the right to them and audits the export).

use leptos::prelude::*;

use crate::api;
use crate::t;

#[component]
pub fn ExportLinks(q: String) -> impl IntoView {
    let base = format!("/api/students/export.xlsx?q={}", api::encode(q.trim()));
    view! {
        <p class="export-links">
            <a class="btn" href=base.clone() download="students.xlsx" data-testid="export-xlsx">
                {t!("导出 Excel", "Export to Excel")}
            </a>
            <a class="btn btn-ghost sensitive" href=format!("{base}&include_sensitive=true") download="students.xlsx"
                data-testid="export-xlsx-sensitive">
                {t!("导出（含住址、家长电话、困难等级）", "Export with address, guardian phone and hardship")}
            </a>
        </p>
    }
}
