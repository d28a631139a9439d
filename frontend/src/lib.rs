//! The Jiafang web app. Client-side rendered with Leptos and compiled to WebAssembly by Trunk.
//!
//! Three programs share this library: the staff's desk app (`main.rs`, from `index.html`, at `/`),
//! the counselors' field app (`bin/field.rs`, from `field.html`, at `/field/`, see `apps.rs`) and
//! the parent's page (`bin/family.rs`, from `family.html`, served at `/f`). The field app and the
//! parent's page are opened on tablets and phones over slow mobile networks, so each is its own
//! slim build: link-time optimisation leaves out everything it does not call (the parent's page:
//! the router, the staff pages, the offline store; the field app: the desk's pages).

pub mod api;
pub mod app;
pub mod apps;
pub mod components;
pub mod field;
pub mod i18n;
pub mod pages;
pub mod session;
