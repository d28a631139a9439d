//! The parent's page, `/f`, as its own slim program (see `lib.rs`): no router, no staff pages.
//! No panic hook either: its message formatting costs kilobytes that parents download.

fn main() {
    leptos::mount::mount_to_body(frontend::pages::family::FamilyApp);
}
