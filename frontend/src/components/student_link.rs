//! A student's name as a link to their page with the history (`/students/:id`): every staff
//! list that names a student uses it, so the history is one tap from wherever the student shows
//! up. (Not on service staff's referrals: they may not open the record.)

use leptos::prelude::*;
use leptos_router::components::A;
use shared::StudentId;

#[component]
pub fn StudentLink(id: StudentId, #[prop(into)] name: String) -> impl IntoView {
    view! { <A href=crate::apps::href(&format!("/students/{id}")) attr:data-testid="student-link">{name}</A> }
}
