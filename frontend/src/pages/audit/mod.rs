//! `/audit`: admins search the audit log of sensitive personal information — who read, exported
//! or changed which fields of which student, and when.

use leptos::prelude::*;

use crate::api;
use crate::api::audit::AuditFilter;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::components::student_link::StudentLink;
use crate::i18n::use_lang;
use crate::t;

/// Local midnight of a `YYYY-MM-DD` date, in unix seconds, `days` days later.
fn midnight(date: &str, days: i64) -> Option<i64> {
    if date.is_empty() {
        return None;
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{date}T00:00:00")));
    let ms = d.get_time();
    (!ms.is_nan()).then(|| (ms / 1000.0) as i64 + days * 86_400)
}

fn format_time(secs: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

#[component]
pub fn AuditPage() -> impl IntoView {
    view! { <StaffOnly><AuditInner /></StaffOnly> }
}

#[component]
fn AuditInner() -> impl IntoView {
    let lang = use_lang();
    let student = RwSignal::new(String::new());
    let user = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let page = RwSignal::new(1_i64);
    let entries = LocalResource::new(move || {
        let page = page.get();
        let filter = AuditFilter {
            student_id: student.get().trim().parse().ok(),
            user_id: user.get().trim().parse().ok(),
            action: Some(action.get()).filter(|a| !a.is_empty()),
            from: midnight(&from.get(), 0),
            to: midnight(&to.get(), 1),
        };
        async move { api::audit::entries(page, &filter).await }
    });
    // A new filter starts again from the first page.
    Effect::watch(
        move || (student.get(), user.get(), action.get(), from.get(), to.get()),
        move |_, _, _| page.set(1),
        false,
    );

    view! {
        <h1>{t!("审计日志", "Audit log")}</h1>
        <p class="muted">{t!("谁在何时查看、导出或修改了哪名学生的哪些敏感信息。",
            "Who read, exported or changed which sensitive fields of which student, and when.")}</p>
        <div class="filters" role="search">
            <label>{t!("学生编号", "Student id")}
                <input type="number" inputmode="numeric" data-testid="audit-student" bind:value=student />
            </label>
            <label>{t!("用户编号", "User id")}
                <input type="number" inputmode="numeric" data-testid="audit-user" bind:value=user />
            </label>
            <label>{t!("操作", "Action")}
                <select data-testid="audit-action" on:change=move |ev| action.set(event_target_value(&ev))>
                    <option value="">{t!("全部", "All")}</option>
                    <option value="read">{t!("查看", "Read")}</option>
                    <option value="export">{t!("导出", "Export")}</option>
                    <option value="update">{t!("修改", "Change")}</option>
                    <option value="account">{t!("账号安全", "Account security")}</option>
                </select>
            </label>
            <label>{t!("从", "From")}<input type="date" data-testid="audit-from" bind:value=from /></label>
            <label>{t!("到", "To")}<input type="date" data-testid="audit-to" bind:value=to /></label>
        </div>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    entries.await.map(|result| {
                        let pages = ((result.total + result.per_page - 1) / result.per_page).max(1);
                        let current = result.page;
                        view! {
                            <p class="muted" data-testid="audit-count">
                                {t!("共 ", "")}{result.total}{t!(" 条记录", " entries")}
                            </p>
                            <table class="list" data-testid="audit-entries">
                                <thead>
                                    <tr>
                                        <th>{t!("时间", "When")}</th>
                                        <th>{t!("用户", "Who")}</th>
                                        <th>{t!("操作", "Action")}</th>
                                        <th>{t!("学生", "Student")}</th>
                                        <th>{t!("字段", "Fields")}</th>
                                        <th>{t!("说明", "Detail")}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {result.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{format_time(e.at)}</td>
                                            <td>{e.username.unwrap_or_else(|| e.user_id.map(|id| format!("#{id}")).unwrap_or_default())}</td>
                                            <td>{e.action}</td>
                                            <td>{e.student_id.map(|id| {
                                                let name = e.student_name.clone().unwrap_or_else(|| format!("#{id}"));
                                                view! { <StudentLink id name /> }
                                            })}</td>
                                            <td>{e.fields.join(", ")}</td>
                                            <td>{e.detail}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            <nav class="pager" aria-label=move || lang.get().pick("分页", "pages")>
                                <Show when=move || { current > 1 }>
                                    <button class="btn" on:click=move |_| page.set(current - 1)>{t!("上一页", "Previous")}</button>
                                </Show>
                                <span>{current} " / " {pages}</span>
                                <Show when=move || { current < pages }>
                                    <button class="btn" on:click=move |_| page.set(current + 1)>{t!("下一页", "Next")}</button>
                                </Show>
                            </nav>
                        }
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
