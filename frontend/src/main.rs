//! The staff app: every page but the parent's (see `lib.rs`).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(frontend::app::App);
}
