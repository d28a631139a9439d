//! The Jiafang web app. Client-side rendered with Leptos and compiled to WebAssembly by Trunk.
//!
//! Two programs share this library: the staff app (`main.rs`, from `index.html`) and the parent's
//! page (`bin/family.rs`, from `family.html`, served at `/f`). The parent's page is opened on
//! phones over slow mobile networks, so it is its own slim build: link-time optimisation leaves
//! out everything it does not call (the router, the staff pages, the offline store).

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod session;
