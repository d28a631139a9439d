//! The visit form, shared by logging a visit and correcting one: big touch targets, usable on
//! a tablet held either way (1024×768 and 768×1024). Texts are as long as the server's
//! validator takes (`backend/src/api/visits/validate.rs`: 5,000 characters, 500 for gifts and
//! follow-ups), so that no visit kept on the tablet is refused for its length.

use leptos::prelude::*;
use shared::visits::{fen_to_yuan, yuan_to_fen, NewFollowUp, Person, VisitRecord};
use shared::{Aspect, UserId, VisitMode};

use crate::i18n::use_lang;
use crate::t;

/// A follow-up being typed: what, owner, due date.
pub type FollowUpDraft = (String, Option<UserId>, String);

/// The form's fields as the user edits them.
#[derive(Clone, Copy)]
pub struct FormState {
    pub date: RwSignal<String>,
    pub mode: RwSignal<VisitMode>,
    pub duration: RwSignal<String>,
    pub members: RwSignal<Vec<UserId>>,
    pub family: RwSignal<String>,
    pub aspects: RwSignal<Vec<Aspect>>,
    pub concerns: RwSignal<String>,
    pub answers: RwSignal<String>,
    pub notes: RwSignal<String>,
    pub sensitive: RwSignal<String>,
    pub gifts: RwSignal<String>,
    pub grant: RwSignal<String>,
    pub follow_ups: RwSignal<Vec<FollowUpDraft>>,
}

/// Today, `YYYY-MM-DD`, on the device's clock.
pub fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

impl FormState {
    pub fn new(r: &VisitRecord) -> FormState {
        FormState {
            date: RwSignal::new(if r.date.is_empty() { today() } else { r.date.clone() }),
            mode: RwSignal::new(r.mode),
            duration: RwSignal::new(r.duration_min.map(|d| d.to_string()).unwrap_or_default()),
            members: RwSignal::new(r.member_ids.clone()),
            family: RwSignal::new(r.family_present.join("、")),
            aspects: RwSignal::new(r.aspects.clone()),
            concerns: RwSignal::new(r.concerns.clone()),
            answers: RwSignal::new(r.answers.clone()),
            notes: RwSignal::new(r.notes.clone()),
            sensitive: RwSignal::new(r.sensitive_notes.clone().unwrap_or_default()),
            gifts: RwSignal::new(r.gifts.clone()),
            grant: RwSignal::new(r.grant_fen.map(fen_to_yuan).unwrap_or_default()),
            follow_ups: RwSignal::new(Vec::new()),
        }
    }

    /// The record, or what is wrong with it (in the user's language).
    pub fn record(&self, lang: shared::Lang) -> Result<VisitRecord, String> {
        let duration = self.duration.get_untracked();
        let duration_min = match duration.trim() {
            "" => None,
            d => Some(d.parse::<i64>().map_err(|_| lang.pick("时长请填分钟数", "Duration is in minutes").to_string())?),
        };
        let grant = self.grant.get_untracked();
        let grant_fen = match grant.trim() {
            "" => None,
            g => Some(yuan_to_fen(g).ok_or_else(|| lang.pick("慰问金金额无效", "Invalid grant amount").to_string())?),
        };
        let family_present = self
            .family
            .get_untracked()
            .split(['、', ',', '，', ';', '；', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        Ok(VisitRecord {
            date: self.date.get_untracked(),
            mode: self.mode.get_untracked(),
            duration_min,
            member_ids: self.members.get_untracked(),
            family_present,
            aspects: self.aspects.get_untracked(),
            concerns: self.concerns.get_untracked(),
            answers: self.answers.get_untracked(),
            notes: self.notes.get_untracked(),
            sensitive_notes: Some(self.sensitive.get_untracked()),
            gifts: self.gifts.get_untracked(),
            grant_fen,
        })
    }

    pub fn follow_ups(&self, lang: shared::Lang) -> Result<Vec<NewFollowUp>, String> {
        self.follow_ups
            .get_untracked()
            .into_iter()
            .filter(|(what, _, _)| !what.trim().is_empty())
            .map(|(what, owner, due_on)| {
                let owner_id = owner
                    .ok_or_else(|| lang.pick("请选择后续事项负责人", "Choose who owns each follow-up").to_string())?;
                Ok(NewFollowUp { what, owner_id, due_on })
            })
            .collect()
    }
}

fn toggle<T: PartialEq + Copy + Send + Sync + 'static>(list: RwSignal<Vec<T>>, item: T) {
    list.update(|l| {
        if let Some(i) = l.iter().position(|x| *x == item) {
            l.remove(i);
        } else {
            l.push(item);
        }
    });
}

/// The fields of a visit.
#[component]
pub fn VisitFields(
    state: FormState,
    colleagues: Vec<Person>,
    #[prop(default = true)] sensitive: bool,
) -> impl IntoView {
    let lang = use_lang();
    let modes = VisitMode::ALL.iter().copied().map(|m| {
        let on = move || state.mode.get() == m;
        view! {
            <button type="button" class="choice" class:on=on aria-pressed=move || on().to_string()
                data-testid=format!("mode-{}", m.code()) on:click=move |_| state.mode.set(m)>
                {move || m.label(lang.get())}
            </button>
        }
    });
    let aspects = Aspect::ALL.into_iter().map(|a| {
        let on = move || state.aspects.get().contains(&a);
        view! {
            <button type="button" class="choice" class:on=on aria-pressed=move || on().to_string()
                data-testid=format!("aspect-{}", a.code()) on:click=move |_| toggle(state.aspects, a)>
                {move || a.label(lang.get())}
            </button>
        }
    });
    let members = colleagues.into_iter().map(|p| {
        let id = p.id;
        let on = move || state.members.get().contains(&id);
        view! {
            <button type="button" class="choice" class:on=on aria-pressed=move || on().to_string()
                data-testid=format!("member-{id}") on:click=move |_| toggle(state.members, id)>
                {p.name}
            </button>
        }
    });
    view! {
        <div class="visit-grid">
            <label>{t!("日期", "Date")}<input type="date" data-testid="visit-date" bind:value=state.date /></label>
            <label>{t!("时长（分钟）", "Duration (minutes)")}
                <input type="number" min="1" max="1440" inputmode="numeric" data-testid="visit-duration" bind:value=state.duration />
            </label>
        </div>
        <fieldset class="choices"><legend>{t!("方式", "Mode")}</legend>{modes.collect_view()}</fieldset>
        <fieldset class="choices"><legend>{t!("涉及方面", "Aspects covered")}</legend>{aspects.collect_view()}</fieldset>
        <fieldset class="choices"><legend>{t!("参与人员", "Team members")}</legend>{members.collect_view()}</fieldset>
        <label>{t!("在场家庭成员（用、分隔）", "Family members present (separate with commas)")}
            <input data-testid="visit-family" bind:value=state.family />
        </label>
        <label>{t!("家长关心的问题", "The family's concerns")}<textarea data-testid="visit-concerns" maxlength="5000" bind:value=state.concerns /></label>
        <label>{t!("解答与回应", "Answers given")}<textarea data-testid="visit-answers" maxlength="5000" bind:value=state.answers /></label>
        <label>{t!("记录", "Notes")}<textarea data-testid="visit-notes" maxlength="5000" bind:value=state.notes /></label>
        <Show when=move || sensitive>
            <label class="sensitive-box">
                {t!("敏感信息（心理健康、家庭经济）：仅辅导员、班主任、学院领导与学工处可见", "Sensitive notes (mental health, family finances): only the counselor, class advisor, college leader and admins see them")}
                <textarea data-testid="visit-sensitive" maxlength="5000" bind:value=state.sensitive />
            </label>
        </Show>
        <div class="visit-grid">
            <label>{t!("赠送物品 / 祝福包", "Gifts or blessing packages")}<input data-testid="visit-gifts" maxlength="500" bind:value=state.gifts /></label>
            <label>{t!("慰问金（元）", "Hardship grant (yuan)")}
                <input inputmode="decimal" data-testid="visit-grant" bind:value=state.grant />
            </label>
        </div>
    }
}

/// Follow-up actions: what, who, by when.
#[component]
pub fn FollowUpFields(state: FormState, colleagues: Vec<Person>) -> impl IntoView {
    let rows = move || {
        let colleagues = colleagues.clone();
        (0..state.follow_ups.get().len())
            .map(move |i| {
                let get = move || state.follow_ups.get().get(i).cloned().unwrap_or_default();
                let set = move |f: &dyn Fn(&mut FollowUpDraft)| {
                    state.follow_ups.update(|l| if let Some(item) = l.get_mut(i) { f(item) })
                };
                let options = colleagues.iter().map(|p| {
                    let id = p.id;
                    view! { <option value=id.to_string() selected=move || get().1 == Some(id)>{p.name.clone()}</option> }
                }).collect_view();
                view! {
                    <li class="follow-up-row">
                        <input data-testid="follow-up-what" maxlength="500" prop:value=move || get().0
                            on:input=move |e| { let v = event_target_value(&e); set(&|x| x.0 = v.clone()) } />
                        <select data-testid="follow-up-owner"
                            on:change=move |e| { let v = event_target_value(&e).parse().ok(); set(&|x| x.1 = v) }>
                            <option value="">{t!("负责人", "Owner")}</option>
                            {options}
                        </select>
                        <input type="date" data-testid="follow-up-due" prop:value=move || get().2
                            on:input=move |e| { let v = event_target_value(&e); set(&|x| x.2 = v.clone()) } />
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="choices">
            <legend>{t!("后续事项", "Follow-up actions")}</legend>
            <ul class="rows">{rows}</ul>
            <button type="button" class="btn" data-testid="add-follow-up"
                on:click=move |_| state.follow_ups.update(|l| l.push((String::new(), None, today())))>
                {t!("添加后续事项", "Add a follow-up")}
            </button>
        </fieldset>
    }
}
