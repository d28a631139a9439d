//! `/campaigns/:id/report`: the printable campaign report (A4, Chinese). The server renders it
//! (`GET /api/campaigns/{id}/report`, the same article as `jiafang report --format html`, with
//! inline SVG charts); its print rules are `report.css`. The app adds only the print button.

use leptos::prelude::*;

use crate::api;
use crate::components::route::route_id;
use crate::components::staff_only::StaffOnly;
use crate::components::status::{error_list, Loading};
use crate::t;

#[component]
pub fn ReportPage() -> impl IntoView {
    let id = route_id::<shared::CampaignId>();
    let report = LocalResource::new(move || async move { api::campaigns::report(id().unwrap_or_default()).await });
    view! {
        <StaffOnly>
            <Transition fallback=Loading>
                <ErrorBoundary fallback=error_list>
                    {move || Suspend::new(async move {
                        // Escaped by the server (`dashboard::report::esc`): every text in it is.
                        report.await.map(|html| view! { <div class="report-page" inner_html=html></div> })
                    })}
                </ErrorBoundary>
            </Transition>
            <button class="btn no-print" data-testid="report-print"
                on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                {t!("打印", "Print")}
            </button>
        </StaffOnly>
    }
}
