//! The API end to end: the real server over HTTP on a fresh database per test, SQLite unless
//! `JIAFANG_TEST_DATABASE` names a PostgreSQL server. One binary, so that it links once.

mod accounts;
mod auth;
mod backup;
mod backup_school;
mod campaigns;
mod dashboard;
mod dashboard_tallies;
mod delivery;
mod family;
mod feedback;
mod follow_ups;
mod i18n;
mod import_files;
mod imports;
mod instances;
mod limits;
mod matrix;
mod meetings;
mod org;
mod org_edit;
mod privacy;
mod roster_export;
mod search;
mod security;
mod sessions;
mod store;
mod system;
mod teams;
mod totp;
mod users;
mod visit_concerns;
mod visit_import;
mod visit_plans;
mod visits;
mod visits_sync;
