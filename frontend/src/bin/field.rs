//! The field app, `/field/`, as its own program (see `apps.rs`): only the pages a counselor uses
//! on a tablet, so a third of the desk app's download.

fn main() {
    console_error_panic_hook::set_once();
    frontend::apps::enter_field();
    leptos::mount::mount_to_body(frontend::field::FieldApp);
}
