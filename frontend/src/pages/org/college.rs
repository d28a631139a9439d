use leptos::prelude::*;

use super::class_list::ClassList;
use crate::components::route::{not_found, route_id};
use crate::components::staff_only::StaffOnly;
use crate::components::status::error_list;

/// `/colleges/:id`: the college's classes.
#[component]
pub fn CollegePage() -> impl IntoView {
    let id = route_id::<i64>();
    view! {
        <StaffOnly>
            <ErrorBoundary fallback=error_list>
                {move || id().map(|id| view! { <ClassList college_id=id /> }).ok_or_else(not_found)}
            </ErrorBoundary>
        </StaffOnly>
    }
}
