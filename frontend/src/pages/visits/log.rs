//! `/visits/:id/log?student=…&plan=…`: log a visit. It is kept on the device first (so that
//! nothing typed in a family's home is lost), then sent; the same visit saved twice keeps one
//! `client_id`, so the server stores it once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::concerns::OpenConcern;
use shared::visits::{NewVisit, Person, PlanStudent, VisitRecord};
use shared::{CampaignId, StudentId};

use super::concerns::{self, ConcernMarks};
use super::form::{FollowUpFields, FormState, VisitFields};
use super::offline::{cache, outbox};
use super::photos::PhotoPicker;
use crate::api;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::t;

/// A random UUID made by the browser.
pub fn new_client_id() -> String {
    web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid()).unwrap_or_default()
}

pub async fn students_and_colleagues(
    campaign: CampaignId,
) -> Result<(Vec<PlanStudent>, Vec<Person>), shared::ApiError> {
    let students = cache::get(&format!("students:{campaign}"), api::visits::students(campaign, "")).await?;
    let colleagues = cache::get("colleagues", api::visits::colleagues()).await?;
    Ok((students, colleagues))
}

#[component]
pub fn LogVisitPage() -> impl IntoView {
    let campaign = route_id::<shared::CampaignId>();
    let query = use_query_map();
    let data = LocalResource::new(move || async move {
        let c = campaign().ok_or_else(not_found)?;
        let (students, colleagues) = students_and_colleagues(c).await?;
        Ok::<_, shared::ApiError>((c, students, colleagues, concerns::load(c).await))
    });
    let student = move || query.read().get("student").and_then(|s| s.parse::<StudentId>().ok());
    let plan = move || query.read().get("plan").and_then(|s| s.parse::<i64>().ok());
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await.map(|(campaign, students, colleagues, open_concerns)| view! {
                            <LogForm campaign students colleagues open_concerns student=student() plan=plan() />
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}

#[component]
fn LogForm(
    campaign: CampaignId,
    students: Vec<PlanStudent>,
    colleagues: Vec<Person>,
    open_concerns: Vec<OpenConcern>,
    student: Option<StudentId>,
    plan: Option<i64>,
) -> impl IntoView {
    let lang = use_lang();
    let outbox = outbox::use_outbox();
    let navigate = use_navigate();
    // Made once per form: saving twice, or a retry, names the same visit.
    let client_id = new_client_id();
    let state = FormState::new(&VisitRecord::default());
    let chosen = RwSignal::new(student.map(|s| s.to_string()).unwrap_or_default());
    // The chosen student's open concerns, their aspects checked.
    let marks = RwSignal::new(concerns::prefill(state, &open_concerns, student));
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let photos = RwSignal::new(Vec::new());
    let names: Vec<(StudentId, String)> = students.iter().map(|s| (s.id, s.name.clone())).collect();
    let options = students
        .iter()
        .map(|s| view! { <option value=s.id.to_string()>{format!("{} · {} · {}", s.name, s.student_no, s.class_name)}</option> })
        .collect_view();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let lang = lang.get_untracked();
        let Some(student_id) = chosen.get_untracked().parse::<StudentId>().ok() else {
            error.set(Some(lang.pick("请选择学生", "Choose a student").to_string()));
            return;
        };
        let built = state.record(lang).and_then(|record| Ok((record, state.follow_ups(lang)?)));
        let (record, follow_ups) = match built {
            Ok(parts) => parts,
            Err(message) => return error.set(Some(message)),
        };
        let name = names.iter().find(|(id, _)| *id == student_id).map(|(_, n)| n.clone()).unwrap_or_default();
        let visit = NewVisit {
            client_id: client_id.clone(),
            campaign_id: campaign,
            student_id,
            plan_id: plan,
            record,
            follow_ups,
            addressed: concerns::addressed(&marks.get_untracked()),
        };
        saving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match outbox::save(outbox, visit, name, photos.get_untracked()).await {
                Ok(()) => navigate(&format!("/visits/{campaign}"), Default::default()),
                Err(e) => {
                    error
                        .set(Some(format!("{}: {e}", lang.pick("无法保存在本机", "Could not keep it on this device"))));
                    saving.set(false);
                }
            }
        });
    };
    view! {
        <h1>{t!("记录家访", "Log a visit")}</h1>
        <form class="form visit-form" on:submit=save novalidate>
            <label>{t!("学生", "Student")}
                <select data-testid="visit-student" prop:value=move || chosen.get()
                    on:change=move |e| {
                        let value = event_target_value(&e);
                        marks.set(concerns::prefill(state, &open_concerns, value.parse().ok()));
                        chosen.set(value)
                    }>
                    <option value="">{t!("请选择", "Choose")}</option>
                    {options}
                </select>
            </label>
            <ConcernMarks marks />
            <VisitFields state colleagues=colleagues.clone() />
            <FollowUpFields state colleagues />
            <PhotoPicker photos />
            <Show when=move || error.get().is_some()>
                <p class="alert" role="alert" data-testid="visit-error">{move || error.get()}</p>
            </Show>
            <button type="submit" class="btn btn-primary btn-big" data-testid="save-visit" disabled=move || saving.get()>
                {t!("保存", "Save")}
            </button>
        </form>
    }
}
