//! Home visits (家访): planning, the visit log with its history of corrections, the offline
//! sync batch and follow-ups.

pub mod access;
pub mod follow_ups;
pub mod import;
pub mod log;
pub mod plan_read;
pub mod plans;
pub mod read;
pub mod store;
pub mod sync;
pub mod validate;

use utoipa_axum::router::OpenApiRouter;

use crate::db::Sql;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(plans::router())
        .merge(log::router())
        .merge(sync::router())
        .merge(follow_ups::router())
        .merge(import::router())
}

/// Appends `$1, $2, …` for each id (the caller writes the parentheses).
pub fn push_ids(sql: &mut Sql, ids: &[i64]) {
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(*id);
    }
}
