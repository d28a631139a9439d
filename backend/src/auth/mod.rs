//! Staff sign-in: passwords, database-backed sessions, attempt limits and the extractors that
//! guard every route.

pub mod extract;
pub mod limits;
pub mod password;
pub mod session;

pub use extract::{Scope, StaffUser};
