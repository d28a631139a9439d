pub mod copy;
pub mod form_errors;
pub mod header;
pub mod route;
pub mod staff_only;
pub mod status;
pub mod student_link;
