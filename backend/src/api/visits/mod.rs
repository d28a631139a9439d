//! Home visits (家访) over HTTP: planning, the visit log with its history of corrections, the
//! offline sync batch, follow-ups, the open concerns from parents' meetings and the visit import.
//! The rules and the store are `crate::visits`.

pub mod cases;
pub mod concerns;
pub mod follow_ups;
pub mod import;
pub mod log;
pub mod plans;
pub mod sync;

use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(plans::router())
        .merge(concerns::router())
        .merge(cases::router())
        .merge(log::router())
        .merge(sync::router())
        .merge(follow_ups::router())
        .merge(import::router())
}
