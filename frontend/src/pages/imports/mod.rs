//! Roster import for the Student Affairs Office (`/imports/roster`), and the student search
//! page's export links.

pub mod export_links;
pub mod preview;
pub mod result;
pub mod roster;
