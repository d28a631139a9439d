//! The dashboard's aid figures (issue 17, item 7): blessing packages and hardship grants
//! (慰问金) the campaign's visits delivered, and the way to the priority families' list.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::dashboard::Figures;
use shared::visits::fen_to_yuan;
use shared::CampaignId;

use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn AidCards(id: CampaignId, f: Figures, rule_on: bool) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="dash-aid" data-testid="dash-aid">
            <h2>{t!("资助与慰问", "Aid delivered")}</h2>
            <ul class="dash-cards">
                <li class="dash-card" data-testid="card-packages">
                    <span class="muted">{t!("祝福包（份）", "Blessing packages")}</span>
                    <strong>{f.packages}</strong>
                </li>
                <li class="dash-card" data-testid="card-grants">
                    <span class="muted">{t!("慰问金（元）", "Hardship grants (yuan)")}</span>
                    <strong>{fen_to_yuan(f.grant_fen)}</strong>
                    <span class="prev">{t!("人次 ", "visits ")}{f.grants}</span>
                </li>
            </ul>
            <A href=format!("/campaigns/{id}/priority") attr:class="btn btn-ghost" attr:data-testid="priority-link">
                {move || if rule_on {
                    lang.get().pick("特别困难学生实地走访（规则已启用）", "Severe-hardship students in person (rule on)")
                } else {
                    lang.get().pick("特别困难学生实地走访情况", "Severe-hardship students visited in person")
                }}
            </A>
        </section>
    }
}
