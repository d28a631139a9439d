//! The two staff programs this library builds (issue 18): the desk app (`main.rs`, at `/`) with
//! every page, and the field app (`bin/field.rs`, at `/field/`) with only what a counselor uses
//! on a tablet in a family's home — their campaigns, students and plans, the visit form and its
//! offline outbox, follow-ups and the meeting page. Trunk cannot split one wasm into lazily
//! loaded parts, so the field app is a build of its own that never names a desk page and is a
//! third of the size.
//!
//! The pages are the same code in both. The field app's router has the base `/field`, which
//! `use_navigate` and `<Redirect>` add by themselves; `<A href>` does not add it to an absolute
//! path, so shared pages write their links through `href`. A link to a page the field app has
//! not got lands on its fallback, which loads that page in the desk app (`field::ToDesk`).

use std::cell::Cell;

use shared::Role;

/// Where the field app is served, without the trailing slash (its router's base).
pub const FIELD: &str = "/field";

thread_local! {
    /// `""` in the desk app, `FIELD` in the field app (set once by its `main`).
    static BASE: Cell<&'static str> = const { Cell::new("") };
}

/// Called first thing by the field app's `main`.
pub fn enter_field() {
    BASE.with(|base| base.set(FIELD));
}

/// The running app's base path: `""` (desk) or `/field`.
pub fn base() -> &'static str {
    BASE.with(Cell::get)
}

pub fn in_field() -> bool {
    !base().is_empty()
}

/// An app path (`/visits/3`) as a link within the running app.
pub fn href(path: &str) -> String {
    format!("{}{path}", base())
}

/// The base of the app a role lands in after signing in: counselors and class advisors work in
/// the field, everyone else at the desk. Either may open the other app afterwards.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Counselor | Role::ClassAdvisor => FIELD,
        Role::Admin | Role::CollegeLeader | Role::ServiceStaff | Role::SchoolLeader => "",
    }
}

/// The address of the service worker that keeps this app's files for offline use: each app has
/// its own (`sw.js` is copied into both dist folders), controlling only its own scope.
pub fn service_worker() -> String {
    href("/sw.js")
}
