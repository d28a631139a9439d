//! The one way the app talks to the server. One typed function per endpoint — its path, method,
//! request and answer types in one place — grouped by feature; the HTTP plumbing in `http.rs`.
//! Pages never write an `/api/…` path themselves (`xtask`'s test `api_paths_only_in_the_seam`
//! fails when one appears outside this folder): a route that changes is changed here.
//!
//! The parent's slim build (`family/`) decodes its answers without serde, with the paths and
//! field names declared in `family/names.rs`, which a native test checks against the serde
//! names of `shared::family`.

mod http;

pub mod audit;
pub mod auth;
pub mod campaigns;
pub mod cases;
pub mod family;
pub mod follow_ups;
pub mod imports;
pub mod meetings;
pub mod org;
pub mod privacy;
pub mod settings;
pub mod users;
pub mod visits;

pub(crate) use http::{answer, answer_with, send, sent_response, text};
use http::{delete, fetch, get, post, put, put_bytes, upload};
pub use http::{encode, on_unauthorized};
