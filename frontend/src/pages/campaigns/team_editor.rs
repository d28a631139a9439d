//! Making or changing a team: its college (when new), name, leader and members, chosen from the
//! staff of that college.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::campaigns::{NewTeam, TeamDetail, TeamUpdate};
use shared::{CampaignId, Role, UserId};

use crate::api;
use crate::components::form_errors::{FieldError, FormAlert, FormError};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

#[component]
pub fn TeamEditor(
    campaign_id: CampaignId,
    team: Option<TeamDetail>,
    on_done: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let team_id = team.as_ref().map(|t| t.team.id);
    let own_college = session.me.get_untracked().filter(|me| me.role != Role::Admin).and_then(|me| me.college_id);
    let college = RwSignal::new(team.as_ref().map(|t| t.team.college_id).or(own_college));
    let name = RwSignal::new(team.as_ref().map(|t| t.team.name.clone()).unwrap_or_default());
    let leader = RwSignal::new(team.as_ref().and_then(|t| t.team.leader_id));
    let members = RwSignal::new(team.as_ref().map(|t| t.team.member_ids.clone()).unwrap_or_default());
    let error = FormError::new();
    let choose_college = team.is_none() && own_college.is_none();
    let colleges = LocalResource::new(move || async move {
        if choose_college {
            api::org::colleges().await
        } else {
            Ok(Vec::new())
        }
    });
    let staff = LocalResource::new(move || {
        let college = college.get();
        async move {
            match college {
                Some(id) => api::org::team_candidates(id).await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    let staff_list = move || staff.get().unwrap_or_default();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let update = TeamUpdate {
            name: name.get_untracked(),
            leader_id: leader.get_untracked(),
            member_ids: members.get_untracked(),
        };
        let Some(college_id) = college.get_untracked() else {
            return error.local("college_id", lang.get_untracked().pick("请选择学院", "Choose a college"));
        };
        spawn_local(async move {
            let result = match team_id {
                Some(id) => api::campaigns::update_team(id, &update).await,
                None => {
                    let body = NewTeam {
                        college_id,
                        name: update.name,
                        leader_id: update.leader_id,
                        member_ids: update.member_ids,
                    };
                    api::campaigns::create_team(campaign_id, &body).await
                }
            };
            match result {
                Ok(_) => on_done.run(()),
                Err(e) => error.set(e),
            }
        });
    };
    let toggle = move |id: UserId| {
        members.update(|m| {
            if let Some(i) = m.iter().position(|x| *x == id) {
                m.remove(i);
            } else {
                m.push(id);
            }
        })
    };

    view! {
        <form class="form card" on:submit=submit novalidate data-testid="team-form">
            {choose_college.then(|| view! {
                <label for="team-college">{t!("学院", "College")}</label>
                <select id="team-college" data-testid="team-college" on:change=move |ev| {
                    college.set(event_target_value(&ev).parse().ok());
                    leader.set(None);
                    members.set(Vec::new());
                }>
                    <option value="">{t!("请选择", "Choose")}</option>
                    {move || colleges.get().and_then(|r| r.ok()).unwrap_or_default().into_iter().map(|c| view! {
                        <option value=c.id.to_string()>{c.name}</option>
                    }).collect_view()}
                </select>
                <FieldError error field="college_id" />
            })}
            <label for="team-name">{t!("小组名称", "Team name")}</label>
            <input id="team-name" data-testid="team-name" maxlength="50" bind:value=name />
            <FieldError error field="name" />
            <label for="team-leader">{t!("组长", "Leader")}</label>
            <select id="team-leader" data-testid="team-leader" on:change=move |ev| leader.set(event_target_value(&ev).parse().ok())>
                <option value="">{t!("（暂无）", "(none)")}</option>
                {move || staff_list().into_iter().map(|s| view! {
                    <option value=s.id.to_string() selected=leader.get_untracked() == Some(s.id)>
                        {format!("{} · {}", s.display_name, s.role.label(lang.get_untracked()))}
                    </option>
                }).collect_view()}
            </select>
            <FieldError error field="leader_id" />
            <fieldset class="choices">
                <legend>{t!("成员", "Members")}</legend>
                {move || staff_list().into_iter().map(|s| {
                    let (id, role) = (s.id, s.role);
                    view! {
                        <label class="check">
                            <input type="checkbox" prop:checked=move || members.get().contains(&id) on:change=move |_| toggle(id) />
                            {s.display_name}
                            <small class="muted">{move || role.label(lang.get())}</small>
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <FieldError error field="member_ids" />
            <FormAlert error />
            <div class="actions">
                <button class="btn btn-primary" type="submit" data-testid="team-save">{t!("保存", "Save")}</button>
                <button class="btn btn-ghost" type="button" on:click=move |_| on_cancel.run(())>{t!("取消", "Cancel")}</button>
            </div>
        </form>
    }
}
