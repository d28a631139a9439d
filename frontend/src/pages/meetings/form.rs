//! Scheduling a meeting. Times are typed in Shanghai local time and stored as Unix seconds.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::meetings::{from_local_input, MeetingInput};
use shared::org::Class;
use shared::Role;

use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::session::use_session;
use crate::t;

/// Every class the user may see, with its college.
async fn classes() -> Result<Vec<Class>, shared::ApiError> {
    let mut all = Vec::new();
    for college in api::org::colleges().await? {
        all.extend(api::org::classes(college.id).await?);
    }
    Ok(all)
}

/// `/meetings/new`.
#[component]
pub fn NewMeeting() -> impl IntoView {
    view! { <StaffOnly><MeetingForm /></StaffOnly> }
}

#[component]
fn MeetingForm() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let classes = LocalResource::new(classes);
    let may_bulk = move || session.me.get().is_some_and(|me| matches!(me.role, Role::Admin | Role::CollegeLeader));
    // "" = one class; "all" = every class the user sees; otherwise a college id.
    let scope = RwSignal::new(String::new());
    let class_id = RwSignal::new(String::new());
    let theme = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let starts = RwSignal::new(String::new());
    let ends = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let place = RwSignal::new(String::new());
    let online = RwSignal::new(String::new());
    let per_family = RwSignal::new("2".to_string());
    let capacity = RwSignal::new("60".to_string());
    let error = RwSignal::new(None::<String>);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let time = |s: RwSignal<String>| from_local_input(&s.get_untracked()).unwrap_or(0);
        let text = |s: RwSignal<String>| Some(s.get_untracked().trim().to_string()).filter(|v| !v.is_empty());
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(0);
        let bulk = !scope.get_untracked().is_empty();
        let input = MeetingInput {
            class_id: (!bulk).then(|| class_id.get_untracked().parse().ok()).flatten(),
            college_id: scope.get_untracked().parse().ok(),
            theme: theme.get_untracked(),
            description: description.get_untracked(),
            starts_at: time(starts),
            ends_at: time(ends),
            place: text(place),
            online_url: text(online),
            per_family: number(per_family),
            capacity: number(capacity),
            signup_deadline: if deadline.get_untracked().is_empty() { time(starts) } else { time(deadline) },
            campaign_id: None,
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = if bulk {
                api::meetings::create_bulk(&input).await.map(|_| "/meetings".to_string())
            } else {
                api::meetings::create(&input).await.map(|m| format!("/meetings/{}", m.id))
            };
            match result {
                Ok(path) => navigate(&path, Default::default()),
                Err(e) => {
                    let fields: Vec<String> = e.fields.values().cloned().collect();
                    let detail = if fields.is_empty() { String::new() } else { format!("：{}", fields.join("；")) };
                    error.set(Some(format!("{}{detail}", e.message)));
                }
            }
        });
    };

    view! {
        <h1>{t!("安排家长会", "Schedule a parents' meeting")}</h1>
        <form class="form card" on:submit=submit novalidate>
            <Show when=may_bulk>
                <label for="scope">{t!("范围", "For")}</label>
                <select id="scope" on:change=move |ev| scope.set(event_target_value(&ev))>
                    <option value="">{t!("一个班级", "One class")}</option>
                    <option value="all">{t!("我能管理的所有班级（每班一场）", "Every class I manage (one meeting each)")}</option>
                </select>
            </Show>
            <Show when=move || scope.get().is_empty()>
                <label for="class">{t!("班级", "Class")}</label>
                <select id="class" data-testid="meeting-class" on:change=move |ev| class_id.set(event_target_value(&ev))>
                    <option value="">{t!("请选择", "Choose")}</option>
                    {move || {
                        classes
                            .get()
                            .and_then(|r| r.ok())
                            .unwrap_or_default()
                            .into_iter()
                            .map(|c| view! { <option value=c.id.to_string()>{format!("{} · {}", c.college_name, c.name)}</option> })
                            .collect_view()
                    }}
                </select>
            </Show>
            <label for="theme">{t!("主题", "Theme")}</label>
            <input id="theme" data-testid="meeting-theme" maxlength="100" bind:value=theme />
            <label for="description">{t!("说明", "Description")}</label>
            <textarea id="description" rows="3" bind:value=description></textarea>
            <label for="starts">{t!("开始（北京时间）", "Starts (Beijing time)")}</label>
            <input id="starts" type="datetime-local" data-testid="meeting-starts" bind:value=starts />
            <label for="ends">{t!("结束（北京时间）", "Ends (Beijing time)")}</label>
            <input id="ends" type="datetime-local" data-testid="meeting-ends" bind:value=ends />
            <label for="deadline">{t!("报名截止（默认为开始时间）", "Sign-up deadline (default: the start)")}</label>
            <input id="deadline" type="datetime-local" bind:value=deadline />
            <label for="place">{t!("地点", "Place")}</label>
            <input id="place" data-testid="meeting-place" bind:value=place />
            <label for="online">{t!("线上会议链接（https://…）", "Online meeting link (https://…)")}</label>
            <input id="online" type="url" bind:value=online />
            <label for="per-family">{t!("每户最多人数", "People per family")}</label>
            <input id="per-family" type="number" min="1" max="10" bind:value=per_family />
            <label for="capacity">{t!("现场总人数", "Seats in the room")}</label>
            <input id="capacity" type="number" min="1" data-testid="meeting-capacity" bind:value=capacity />
            <Show when=move || error.get().is_some()>
                <p class="alert" role="alert" data-testid="meeting-error">{move || error.get()}</p>
            </Show>
            <button class="btn btn-primary" type="submit" data-testid="meeting-save">{t!("保存", "Save")}</button>
        </form>
    }
}
