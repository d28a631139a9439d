pub mod header;
pub mod staff_only;
pub mod status;
