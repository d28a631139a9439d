//! `/visit/:id`: one visit, its follow-ups and the history of its corrections; its author can
//! correct it. A correction based on an old version is refused by the server (409): the
//! server's version is shown, and the author decides — nothing is overwritten silently.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::visits::{fen_to_yuan, Visit, VisitEdit, VisitRecord, VisitRevision};

use super::case_panel::CasePanel;
use super::follow_ups::{AddFollowUp, FollowUpList};
use super::form::{FormState, VisitFields};
use crate::api;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::components::student_link::StudentLink;
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

#[component]
pub fn VisitPage() -> impl IntoView {
    let id = route_id::<shared::VisitId>();
    let version = RwSignal::new(0u32);
    let data = LocalResource::new(move || async move {
        version.track();
        let id = id().ok_or_else(not_found)?;
        let visit = api::visits::get_one(id).await?;
        let history = api::visits::revisions(id).await?;
        let colleagues = super::offline::cache::get("colleagues", api::visits::colleagues()).await?;
        Ok::<_, shared::ApiError>((visit, history, colleagues))
    });
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await.map(|(visit, history, colleagues)| view! {
                            <VisitView visit history colleagues reload=move || version.update(|v| *v += 1) />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn RecordFacts(record: VisitRecord) -> impl IntoView {
    let lang = use_lang();
    let aspects = record.aspects.clone();
    view! {
        <dl class="facts">
            <dt>{t!("日期", "Date")}</dt><dd data-testid="fact-date">{record.date.clone()}</dd>
            <dt>{t!("方式", "Mode")}</dt><dd>{move || record.mode.label(lang.get())}</dd>
            <dt>{t!("时长", "Duration")}</dt><dd>{record.duration_min.map(|d| format!("{d} min")).unwrap_or_default()}</dd>
            <dt>{t!("在场家庭成员", "Family present")}</dt><dd>{record.family_present.join("、")}</dd>
            <dt>{t!("涉及方面", "Aspects")}</dt>
            <dd data-testid="fact-aspects">{move || aspects.iter().map(|a| a.label(lang.get())).collect::<Vec<_>>().join("、")}</dd>
            <dt>{t!("家长关心的问题", "Concerns")}</dt><dd>{record.concerns.clone()}</dd>
            <dt>{t!("解答与回应", "Answers")}</dt><dd>{record.answers.clone()}</dd>
            <dt>{t!("记录", "Notes")}</dt><dd data-testid="fact-notes">{record.notes.clone()}</dd>
            {record.sensitive_notes.clone().map(|n| view! {
                <dt class="sensitive">{t!("敏感信息", "Sensitive notes")}</dt><dd class="sensitive" data-testid="fact-sensitive">{n}</dd>
            })}
            <dt>{t!("赠送物品", "Gifts")}</dt><dd>{record.gifts.clone()}</dd>
            <dt>{t!("慰问金", "Grant")}</dt><dd>{record.grant_fen.map(|f| format!("¥{}", fen_to_yuan(f))).unwrap_or_default()}</dd>
        </dl>
    }
}

#[component]
fn VisitView(
    visit: Visit,
    history: Vec<VisitRevision>,
    colleagues: Vec<shared::visits::Person>,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let mine = session.me.get_untracked().is_some_and(|me| me.id == visit.author.id);
    let editing = RwSignal::new(false);
    let base = RwSignal::new(visit.revision);
    let server = RwSignal::new(None::<Visit>);
    let error = RwSignal::new(None::<String>);
    let state = FormState::new(&visit.record);
    let id = visit.id;
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let record = match state.record(lang.get_untracked()) {
            Ok(r) => r,
            Err(e) => return error.set(Some(e)),
        };
        let body = VisitEdit { base_revision: base.get_untracked(), record };
        spawn_local(async move {
            match api::visits::update(id, &body).await {
                Ok(_) => reload(),
                Err(e) if e.code == "conflict" => {
                    error.set(Some(e.message));
                    server.set(api::visits::get_one(id).await.ok());
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    let members = visit.members.iter().map(|m| m.name.clone()).collect::<Vec<_>>().join("、");
    view! {
        <h1><StudentLink id=visit.student_id name=visit.student_name.clone() /> <small class="muted">{visit.class_name.clone()}</small></h1>
        <p class="muted">{t!("记录人：", "Logged by ")}{visit.author.name.clone()}{t!("；参与：", "; with ")}{members}
            " · " {t!("版本 ", "revision ")}<span data-testid="revision">{visit.revision}</span></p>
        <RecordFacts record=visit.record.clone() />
        <CasePanel visit=id />
        <FollowUpList items=visit.follow_ups.clone() reload=Callback::new(move |_| reload()) />
        <AddFollowUp visit_id=id colleagues=colleagues.clone() on_added=Callback::new(move |_| reload()) />
        <Show when=move || mine && !editing.get()>
            <button class="btn btn-big" data-testid="edit-visit" on:click=move |_| editing.set(true)>{t!("更正", "Correct")}</button>
        </Show>
        <Show when=move || editing.get()>
            <form class="form visit-form card" on:submit=save novalidate>
                <VisitFields state colleagues=colleagues.clone() sensitive=visit.sensitive_visible />
                <Show when=move || error.get().is_some()>
                    <p class="alert" role="alert" data-testid="edit-error">{move || error.get()}</p>
                </Show>
                {move || server.get().map(|current| {
                    let revision = current.revision;
                    view! {
                        <section class="card conflict" data-testid="server-version">
                            <h2>{t!("服务器上的版本", "The server's version")} " " {revision}</h2>
                            <RecordFacts record=current.record.clone() />
                            <button type="button" class="btn" on:click=move |_| reload()>{t!("放弃我的修改", "Discard my changes")}</button>
                            <button type="button" class="btn" data-testid="keep-mine"
                                on:click=move |_| { base.set(revision); server.set(None); error.set(None); }>
                                {t!("以我的版本为准（再次保存）", "Keep mine (save again)")}
                            </button>
                        </section>
                    }
                })}
                <button type="submit" class="btn btn-primary btn-big" data-testid="save-edit">{t!("保存更正", "Save correction")}</button>
            </form>
        </Show>
        <h2>{t!("修改记录", "History")}</h2>
        <ol class="rows" data-testid="history">
            {history.into_iter().map(|r| view! {
                <li data-testid="history-row">
                    <strong>{t!("版本 ", "Revision ")}{r.revision}</strong>
                    <span>{r.changed_by.name.clone()}</span>
                    <span class="muted">{format_time(r.changed_at)}</span>
                    <span>{changes(&r, lang.get_untracked())}</span>
                </li>
            }).collect_view()}
        </ol>
    }
}

fn format_time(secs: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(secs as f64 * 1000.0));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Which fields a revision changed.
fn changes(r: &VisitRevision, lang: shared::Lang) -> String {
    let Some(before) = &r.before else {
        return lang.pick("记录家访", "logged").to_string();
    };
    let (a, b) = (before, &r.after);
    let mut changed = Vec::new();
    let mut note = |differs: bool, zh: &'static str, en: &'static str| {
        if differs {
            changed.push(lang.pick(zh, en));
        }
    };
    note(a.date != b.date, "日期", "date");
    note(a.mode != b.mode, "方式", "mode");
    note(a.duration_min != b.duration_min, "时长", "duration");
    note(a.member_ids != b.member_ids, "参与人员", "team");
    note(a.family_present != b.family_present, "家庭成员", "family present");
    note(a.aspects != b.aspects, "涉及方面", "aspects");
    note(a.concerns != b.concerns, "家长关心的问题", "concerns");
    note(a.answers != b.answers, "解答", "answers");
    note(a.notes != b.notes, "记录", "notes");
    note(a.sensitive_notes != b.sensitive_notes, "敏感信息", "sensitive notes");
    note(a.gifts != b.gifts, "赠送物品", "gifts");
    note(a.grant_fen != b.grant_fen, "慰问金", "grant");
    format!("{}{}", lang.pick("修改：", "changed: "), changed.join(lang.pick("、", ", ")))
}
