//! Campaigns (专项行动): the list with a form for admins, and a campaign's page with the eight
//! aspects, its visit teams and the kinds of message it sends.

pub mod detail;
pub mod form;
pub mod list;
pub mod messages;
pub mod retention;
pub mod team_editor;
pub mod teams;

use leptos::prelude::*;
use shared::campaigns::{Campaign, CampaignStatus};

use crate::i18n::use_lang;

/// The status as a coloured label.
#[component]
pub fn StatusBadge(status: CampaignStatus) -> impl IntoView {
    let lang = use_lang();
    let class = format!("badge badge-{}", status.code());
    view! { <span class=class data-testid="campaign-status">{move || status.label(lang.get())}</span> }
}

/// "2,184 students, 5 % in person", or a dash.
pub fn targets(c: &Campaign, lang: shared::Lang) -> String {
    let mut parts = Vec::new();
    if let Some(n) = c.target_students {
        parts.push(format!("{n}{}", lang.pick(" 名学生", " students")));
    }
    if let Some(p) = c.target_in_person_pct {
        parts.push(format!("{}{p} %", lang.pick("上门家访 ", "in person ")));
    }
    if parts.is_empty() {
        "—".into()
    } else {
        parts.join(lang.pick("，", ", "))
    }
}
