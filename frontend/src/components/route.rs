//! What every page reads from its route.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric `:id` of the current route as the id type the page expects, if it is one.
pub fn route_id<Id: std::str::FromStr + 'static>() -> impl Fn() -> Option<Id> + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").and_then(|id| id.parse::<Id>().ok())
}

/// The error shown for a route whose id is not a number.
pub fn not_found() -> shared::ApiError {
    let lang = crate::i18n::stored_lang();
    shared::ApiError::new("not_found", lang.pick("找不到该内容", "Not found"))
}
