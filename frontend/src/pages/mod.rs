pub mod family;
pub mod home;
pub mod login;
pub mod meetings;
pub mod not_found;
pub mod org;
pub mod visits;
