//! Staff sign-in: passwords, a second factor (TOTP), database-backed sessions, attempt limits and
//! the extractors that guard every route.

pub mod account;
pub mod extract;
pub mod limits;
pub mod password;
pub mod recovery;
pub mod second_factor;
pub mod session;
pub mod totp;

pub use extract::{Scope, SignedIn, StaffUser};
