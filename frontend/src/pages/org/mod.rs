//! The organisation browser: colleges → classes → students.

pub mod class;
pub mod class_list;
pub mod class_staff;
pub mod college;
pub mod guardian_edit;
pub mod history;
pub mod rights;
pub mod search;
pub mod student;
pub mod student_edit;
pub mod student_table;
