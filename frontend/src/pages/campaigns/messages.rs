//! Which messages the campaign sends (issue 16): a box per kind — the guardians' invitations,
//! reminders and waitlist notices, and the staff notices. Every staff member sees them; admins
//! switch them while the campaign is open, each change saved at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::messages::{CampaignMessages, MessageSwitch};
use shared::{CampaignId, Role};

use crate::api;
use crate::i18n::use_lang;
use crate::session::use_session;
use crate::t;

#[component]
pub fn MessagesSection(campaign_id: CampaignId, closed: bool) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let editable = move || !closed && session.me.get().is_some_and(|me| me.role == Role::Admin);
    let settings = RwSignal::new(None::<CampaignMessages>);
    let error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::campaigns::messages(campaign_id).await {
            Ok(s) => settings.set(Some(s)),
            Err(e) => error.set(Some(e.message)),
        }
    });
    let switch = move |kind: MessageSwitch, on: bool| {
        let Some(mut wanted) = settings.get_untracked() else { return };
        wanted.off.retain(|k| *k != kind);
        if !on {
            wanted.off.push(kind);
        }
        spawn_local(async move {
            match api::campaigns::set_messages(campaign_id, &wanted).await {
                Ok(s) => {
                    settings.set(Some(s));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.message)),
            }
        });
    };
    view! {
        <h2>{t!("消息", "Messages")}</h2>
        <p class="muted">
            {t!(
                "取消勾选的消息在本活动中不再生成（已生成的不受影响）。",
                "Unticked kinds of message are no longer queued in this campaign (those already queued stay)."
            )}
        </p>
        <ul class="rows" data-testid="campaign-messages">
            {MessageSwitch::ALL.into_iter().map(|kind| {
                let on = move || settings.get().is_some_and(|s| s.is_on(kind));
                view! {
                    <li>
                        <label>
                            <input type="checkbox" data-testid=format!("message-{}", kind.code())
                                prop:checked=on prop:disabled=move || !editable() || settings.get().is_none()
                                on:change=move |ev| switch(kind, event_target_checked(&ev)) />
                            " " {move || kind.label(lang.get())}
                        </label>
                    </li>
                }
            }).collect_view()}
        </ul>
        <Show when=move || error.get().is_some()>
            <p class="alert" role="alert">{move || error.get()}</p>
        </Show>
    }
}
