//! Home visits (家访): campaigns, students and plans, the visit form (kept on the device first,
//! sent when the network allows), a visit's page with its history, and follow-ups.

pub mod campaign;
pub mod case_panel;
pub mod concerns;
pub mod detail;
pub mod follow_ups;
pub mod form;
pub mod import;
pub mod index;
pub mod log;
pub mod offline;
pub mod pending;
pub mod photos;
pub mod plan_form;
