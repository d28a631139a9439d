//! Types that cross the wire between the Jiafang back end and front end.
//!
//! Everything here builds for `wasm32-unknown-unknown`: no tokio, no sqlx. Request bodies reject
//! unknown fields so that a client can never smuggle in `role`, `counselor_id` or `status`.

pub mod aid;
pub mod aspects;
pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod cases;
pub mod concerns;
pub mod dashboard;
pub mod demo;
pub mod domain;
pub mod error;
pub mod family;
pub mod feedback;
pub mod follow_ups;
pub mod history;
pub mod ids;
pub mod imports;
pub mod lang;
pub mod meetings;
pub mod messages;
pub mod org;
pub mod org_edit;
pub mod outbox;
pub mod participants;
pub mod privacy;
pub mod retention;
pub mod roles;
pub mod sync;
pub mod time;
pub mod users;
pub mod visits;

pub use aspects::Aspect;
pub use domain::{Gender, Hardship, PhoneNumber, StudentNo, VisitMode};
pub use error::ApiError;
pub use follow_ups::Department;
pub use ids::{CampaignId, ClassId, ConcernId, FollowUpId, GuardianId, MeetingId, StudentId, UserId, VisitId};
pub use lang::Lang;
pub use roles::Role;

/// One page of a longer list.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Matching rows in all pages.
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
}
