//! Roster import for the Student Affairs Office (`/imports/roster`), and the student search
//! page's export links.

pub mod export_links;
mod preview;
mod result;
pub mod roster;
