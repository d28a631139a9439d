//! Who is signed in. Loaded once at start from `/api/auth/me`; cleared at sign-out or when the
//! server says the session has ended.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::Me;

use crate::api;
use crate::pages::visits::offline::{self, sign_out as pending_sign_out};

#[derive(Clone, Copy)]
pub struct Session {
    pub me: RwSignal<Option<Me>>,
    /// False until the first `/api/auth/me` has answered.
    pub ready: RwSignal<bool>,
}

pub fn provide() -> Session {
    let session = Session { me: RwSignal::new(None), ready: RwSignal::new(false) };
    provide_context(session);
    pending_sign_out::watch();
    spawn_local(async move {
        let me = if pending_sign_out::pending() {
            // Signed out without network: that session is never used again; it is ended on the
            // server now if the network allows.
            pending_sign_out::finish().await;
            None
        } else {
            match api::auth::me().await {
                Ok(me) => Some(me),
                // Without network, the person who signed in on this device last (visits work offline).
                Err(e) if e.code == "network" => offline::remembered_me(),
                Err(e) => {
                    if e.code == "unauthorized" {
                        offline::session_ended().await;
                    }
                    None
                }
            }
        };
        session.me.set(me);
        session.ready.set(true);
    });
    api::on_unauthorized(move || {
        session.me.set(None);
        spawn_local(offline::session_ended());
    });
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Signs out: the user's waiting visits are sent if possible and otherwise stay on the device
/// for them; their lists go; the session ends on the server, or, without network, on the
/// device now and on the server when the network returns.
pub async fn sign_out(session: Session) {
    offline::leave().await;
    pending_sign_out::end_session().await;
    session.me.set(None);
}
