//! Who is signed in. Loaded once at start from `/api/auth/me`; cleared at sign-out or when the
//! server says the session has ended.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::Me;

use crate::api;
use crate::pages::visits::offline;

#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    /// False until the first `/api/auth/me` has answered.
    pub ready: RwSignal<bool>,
}

pub fn provide() -> Session {
    let session = Session { me: RwSignal::new(None), ready: RwSignal::new(false) };
    provide_context(session);
    spawn_local(async move {
        // Without network, the person who signed in on this device last (visits work offline).
        let me = match api::get::<Me>("/api/auth/me").await {
            Ok(me) => {
                offline::remember_me(&me);
                Some(me)
            }
            Err(e) if e.code == "network" => offline::remembered_me(),
            Err(_) => None,
        };
        session.me.set(me);
        session.ready.set(true);
    });
    api::on_unauthorized(move || session.me.set(None));
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

pub async fn sign_out(session: Session) {
    // Visits, lists and the key kept on this device go first (the server's Clear-Site-Data
    // repeats it); the user may choose to stay if visits have not been sent yet.
    if !offline::wipe().await {
        return;
    }
    let _ = api::post::<_, ()>("/api/auth/logout", &()).await;
    session.me.set(None);
}
