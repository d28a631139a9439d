//! A campaign's visit teams, by college: leader and members, and for admins and the college's
//! leader the means to change them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::campaigns::TeamDetail;
use shared::{CampaignId, Role};

use super::team_editor::TeamEditor;
use crate::api;
use crate::components::status::{error_list, Loading};
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

/// What the editor is open for: a new team, or one of the teams.
#[derive(Clone, PartialEq)]
enum Editing {
    Nothing,
    New,
    Team(Box<TeamDetail>),
}

#[component]
pub fn TeamsSection(campaign_id: CampaignId, closed: bool) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let teams = LocalResource::new(move || api::campaigns::teams(campaign_id));
    let editing = RwSignal::new(Editing::Nothing);
    let error = RwSignal::new(None::<String>);
    let role = move || session.me.get().map(|me| (me.role, me.college_id));
    let may_create = move || !closed && matches!(role(), Some((Role::Admin | Role::CollegeLeader, _)));
    let may_manage = move |college_id: i64| {
        !closed
            && match role() {
                Some((Role::Admin, _)) => true,
                Some((Role::CollegeLeader, own)) => own == Some(college_id),
                _ => false,
            }
    };
    let done = Callback::new(move |_| {
        editing.set(Editing::Nothing);
        teams.refetch();
    });
    let cancel = Callback::new(move |_| editing.set(Editing::Nothing));
    let remove = move |id: i64| {
        let question = lang.get_untracked().pick("确定删除这个小组吗？", "Delete this team?");
        if !web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false) {
            return;
        }
        spawn_local(async move {
            match api::campaigns::delete_team(id).await {
                Ok(()) => teams.refetch(),
                Err(e) => error.set(Some(e.message)),
            }
        });
    };

    view! {
        <div class="page-head">
            <h2>{t!("家访小组", "Visit teams")}</h2>
            <Show when=move || may_create() && editing.get() == Editing::Nothing>
                <button class="btn" data-testid="team-new" on:click=move |_| editing.set(Editing::New)>
                    {t!("新建小组", "New team")}
                </button>
            </Show>
        </div>
        {move || match editing.get() {
            Editing::Nothing => None,
            Editing::New => Some(view! { <TeamEditor campaign_id team=None on_done=done on_cancel=cancel /> }),
            Editing::Team(team) => Some(view! { <TeamEditor campaign_id team=Some(*team) on_done=done on_cancel=cancel /> }),
        }}
        <Show when=move || error.get().is_some()>
            <p class="alert" role="alert">{move || error.get()}</p>
        </Show>
        <Transition fallback=Loading>
            <ErrorBoundary fallback=error_list>
                {move || Suspend::new(async move {
                    teams.await.map(|teams| {
                        if teams.is_empty() {
                            return view! { <p class="muted" data-testid="no-teams">{t!("还没有小组。", "No teams yet.")}</p> }.into_any();
                        }
                        let mut colleges: Vec<(String, Vec<TeamDetail>)> = Vec::new();
                        for team in teams {
                            match colleges.last_mut() {
                                Some((name, list)) if *name == team.college_name => list.push(team),
                                _ => colleges.push((team.college_name.clone(), vec![team])),
                            }
                        }
                        view! {
                            <div class="team-colleges" data-testid="teams">
                                {colleges.into_iter().map(|(college, list)| view! {
                                    <section>
                                        <h3>{college}</h3>
                                        <ul class="team-cards">
                                            {list.into_iter().map(|team| {
                                                let manage = may_manage(team.team.college_id);
                                                let id = team.team.id;
                                                let for_edit = team.clone();
                                                view! {
                                                    <li class="card team-card" data-testid="team">
                                                        <strong>{team.team.name.clone()}</strong>
                                                        <p>
                                                            <span class="muted">{t!("组长：", "Leader: ")}</span>
                                                            {team.leader.as_ref().map(|l| l.display_name.clone()).unwrap_or_else(|| "—".into())}
                                                        </p>
                                                        <p>
                                                            <span class="muted">{t!("成员：", "Members: ")}</span>
                                                            {if team.members.is_empty() { "—".to_string() } else {
                                                                team.members.iter().map(|m| m.display_name.as_str()).collect::<Vec<_>>().join("、")
                                                            }}
                                                        </p>
                                                        {manage.then(|| view! {
                                                            <div class="actions">
                                                                <button class="btn" on:click=move |_| editing.set(Editing::Team(Box::new(for_edit.clone())))>
                                                                    {t!("编辑", "Edit")}
                                                                </button>
                                                                <button class="btn btn-ghost" on:click=move |_| remove(id)>{t!("删除", "Delete")}</button>
                                                            </div>
                                                        })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                }).collect_view()}
                            </div>
                        }.into_any()
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
