//! The preview: counts, the sheet, unknown columns, the remarks and the rows, with rejected
//! rows, conflicts and warnings marked.

use leptos::prelude::*;
use shared::imports::{ImportCounts, ImportPreview, IssueKind, RowStatus};
use shared::Lang;

use crate::i18n::use_lang;
use crate::t;

pub fn kind_label(kind: IssueKind, lang: Lang) -> &'static str {
    match kind {
        IssueKind::Rejected => lang.pick("拒绝", "Rejected"),
        IssueKind::Conflict => lang.pick("冲突", "Conflict"),
        IssueKind::Warning => lang.pick("警告", "Warning"),
    }
}

fn status_label(status: RowStatus, lang: Lang) -> &'static str {
    match status {
        RowStatus::New => lang.pick("新增", "New"),
        RowStatus::Updated => lang.pick("更新", "Updated"),
        RowStatus::Unchanged => lang.pick("未变", "Unchanged"),
        RowStatus::Rejected => lang.pick("未导入", "Not imported"),
    }
}

fn kind_class(kind: Option<IssueKind>) -> &'static str {
    match kind {
        Some(IssueKind::Rejected) => "import-rejected",
        Some(IssueKind::Conflict) => "import-conflict",
        Some(IssueKind::Warning) => "import-warning",
        None => "",
    }
}

/// New, updated, unchanged, rejected and warnings, as tiles; `testid` names the block.
#[component]
pub fn Counts(counts: ImportCounts, #[prop(into)] testid: String) -> impl IntoView {
    let lang = use_lang();
    let tiles = [
        ("new", counts.new, ("新增", "New")),
        ("updated", counts.updated, ("更新", "Updated")),
        ("unchanged", counts.unchanged, ("未变", "Unchanged")),
        ("rejected", counts.rejected, ("拒绝", "Rejected")),
        ("warnings", counts.warnings, ("警告", "Warnings")),
    ];
    view! {
        <dl class="import-counts" data-testid=testid>
            {tiles.into_iter().map(|(key, n, (zh, en))| view! {
                <div class=format!("import-count import-count-{key}") data-count=key>
                    <dt>{move || lang.get().pick(zh, en)}</dt>
                    <dd>{n}</dd>
                </div>
            }).collect_view()}
        </dl>
        <p class="muted">
            {t!("共 ", "")}{counts.rows}{t!(" 行；新学院 ", " rows; new colleges: ")}{counts.new_colleges}
            {t!("，新班级 ", ", new classes: ")}{counts.new_classes}
            {t!("，新辅导员账号（待激活）", ", new counselor accounts (to activate): ")}{counts.new_counselors}
        </p>
    }
}

#[component]
pub fn PreviewView(preview: ImportPreview, on_sheet: Callback<String>) -> impl IntoView {
    let lang = use_lang();
    let sheets = preview.sheets.clone();
    let current = preview.sheet.clone().unwrap_or_default();
    let unknown = preview.unknown_columns.join("、");
    let has_issues = !preview.issues.is_empty();
    let more = preview.counts.rejected + preview.counts.warnings > preview.issues.len() as u64;
    view! {
        <section class="card import-preview" data-testid="import-preview">
            <h2>{t!("预览：", "Preview: ")}{preview.filename.clone()}</h2>
            <Counts counts=preview.counts.clone() testid="preview-counts" />
            <Show when=move || { sheets.len() > 1 }>
                <label for="roster-sheet">{t!("工作表", "Sheet")}</label>
                <select id="roster-sheet" data-testid="roster-sheet"
                    on:change=move |ev| on_sheet.run(event_target_value(&ev))>
                    {preview.sheets.iter().map(|s| {
                        let selected = *s == current;
                        view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                    }).collect_view()}
                </select>
            </Show>
            <p data-testid="unknown-columns">
                {t!("未识别的列（已忽略）：", "Unknown columns (ignored): ")}
                {if unknown.is_empty() { "—".to_string() } else { unknown }}
            </p>
            <Show when=move || has_issues>
                <h3>{t!("需要注意的行", "Rows to look at")}</h3>
                <table class="list import-issues" data-testid="import-issues">
                    <thead><tr>
                        <th>{t!("行", "Row")}</th><th>{t!("列", "Column")}</th>
                        <th>{t!("类型", "Kind")}</th><th>{t!("说明", "Problem")}</th>
                    </tr></thead>
                    <tbody>
                        {preview.issues.iter().map(|i| {
                            let kind = i.kind;
                            view! {
                                <tr class=kind_class(Some(kind)) data-row=i.row>
                                    <td>{i.row}</td>
                                    <td>{i.column.clone().unwrap_or_default()}</td>
                                    <td>{move || kind_label(kind, lang.get())}</td>
                                    <td>{i.message.clone()}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                <Show when=move || more>
                    <p class="muted">{t!("只列出前 1000 条。", "Only the first 1,000 are listed.")}</p>
                </Show>
            </Show>
            <h3>{t!("行", "Rows")}</h3>
            <table class="list import-rows" data-testid="import-rows">
                <thead><tr>
                    <th>{t!("行", "Row")}</th><th>{t!("结果", "Result")}</th><th>{t!("学号", "Student no.")}</th>
                    <th>{t!("姓名", "Name")}</th><th>{t!("学院", "College")}</th><th>{t!("班级", "Class")}</th>
                </tr></thead>
                <tbody>
                    {preview.rows.iter().map(|r| {
                        let (status, issue) = (r.status, r.issue);
                        view! {
                            <tr class=kind_class(issue) data-row=r.row>
                                <td>{r.row}</td>
                                <td>
                                    {move || status_label(status, lang.get())}
                                    {move || issue.map(|k| format!(" · {}", kind_label(k, lang.get())))}
                                </td>
                                <td>{r.student_no.clone()}</td>
                                <td>{r.name.clone()}</td>
                                <td>{r.college.clone()}</td>
                                <td>{r.class.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
