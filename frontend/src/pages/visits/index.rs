//! `/visits`: the campaigns under way.

use leptos::prelude::*;
use leptos_router::components::A;
use shared::visits::VisitCampaign;

use super::offline::cache;
use crate::api;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::t;

pub async fn campaigns() -> Result<Vec<VisitCampaign>, shared::ApiError> {
    cache::get("campaigns", api::visits::campaigns()).await
}

#[component]
pub fn VisitsHome() -> impl IntoView {
    let data = LocalResource::new(campaigns);
    view! {
        <StaffOnly>
            <h1>{t!("家访", "Home visits")}</h1>
            <p><A href=crate::apps::href("/follow-ups")>{t!("我的后续事项", "My follow-ups")}</A></p>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        data.await.map(|list| view! {
                            <ul class="tiles" data-testid="campaigns">
                                {list.into_iter().map(|c| view! {
                                    <li><A href=crate::apps::href(&format!("/visits/{}", c.id)) attr:class="tile">
                                        <strong>{c.name}</strong>
                                        <span class="muted">{format!("{} – {}", c.starts_on, c.ends_on)}</span>
                                    </A></li>
                                }).collect_view()}
                            </ul>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </StaffOnly>
    }
}
