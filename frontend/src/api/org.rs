//! Colleges, classes, students and their guardians, and the staff to pick from.

use shared::org::{Class, College, Guardian, StudentDetail, StudentSummary};
use shared::org_edit::{ClassStaff, GuardianInput, StudentUpdate};
use shared::users::StaffRef;
use shared::{ApiError, ClassId, GuardianId, Page, StudentId};

use super::{delete, encode, get, post, put};

/// `GET /api/colleges`.
pub async fn colleges() -> Result<Vec<College>, ApiError> {
    get("/api/colleges").await
}

/// `GET /api/colleges/{id}/classes`.
pub async fn classes(college_id: i64) -> Result<Vec<Class>, ApiError> {
    get(format!("/api/colleges/{college_id}/classes")).await
}

/// `GET /api/classes/{id}`.
pub async fn class(id: ClassId) -> Result<Class, ApiError> {
    get(format!("/api/classes/{id}")).await
}

/// `PUT /api/classes/{id}/staff`: its counselor and advisor.
pub async fn set_class_staff(id: ClassId, body: &ClassStaff) -> Result<Class, ApiError> {
    put(&format!("/api/classes/{id}/staff"), body).await
}

/// `GET /api/staff`, optionally only one role's, optionally only one college's.
pub async fn staff(role: Option<&str>, college_id: Option<i64>) -> Result<Vec<StaffRef>, ApiError> {
    let mut query = Vec::new();
    if let Some(role) = role {
        query.push(format!("role={role}"));
    }
    if let Some(id) = college_id {
        query.push(format!("college_id={id}"));
    }
    get(format!("/api/staff?{}", query.join("&"))).await
}

/// `GET /api/staff?college_id=…&school_wide=true`: who may join a visit team of the college —
/// its staff, school leaders and the Student Affairs Office.
pub async fn team_candidates(college_id: i64) -> Result<Vec<StaffRef>, ApiError> {
    get(format!("/api/staff?college_id={college_id}&school_wide=true")).await
}

/// `GET /api/students?q=…&page=…&per_page=…`: a search.
pub async fn search_students(q: &str, page: i64, per_page: i64) -> Result<Page<StudentSummary>, ApiError> {
    get(format!("/api/students?q={}&page={page}&per_page={per_page}", encode(q))).await
}

/// `GET /api/students?class_id=…&per_page=…`: a class's students.
pub async fn class_students(class_id: ClassId, per_page: i64) -> Result<Page<StudentSummary>, ApiError> {
    get(format!("/api/students?class_id={class_id}&per_page={per_page}")).await
}

/// `GET /api/students/{id}`.
pub async fn student(id: StudentId) -> Result<StudentDetail, ApiError> {
    get(format!("/api/students/{id}")).await
}

/// `GET /api/students/{id}/history`.
pub async fn student_history(id: StudentId) -> Result<shared::history::StudentHistory, ApiError> {
    get(format!("/api/students/{id}/history")).await
}

/// `PUT /api/students/{id}`.
pub async fn update_student(id: StudentId, body: &StudentUpdate) -> Result<(), ApiError> {
    put(&format!("/api/students/{id}"), body).await
}

/// `POST /api/students/{id}/guardians`.
pub async fn add_guardian(student_id: StudentId, body: &GuardianInput) -> Result<Guardian, ApiError> {
    post(&format!("/api/students/{student_id}/guardians"), body).await
}

/// `PUT /api/guardians/{id}`.
pub async fn update_guardian(id: GuardianId, body: &GuardianInput) -> Result<Guardian, ApiError> {
    put(&format!("/api/guardians/{id}"), body).await
}

/// `DELETE /api/guardians/{id}`.
pub async fn delete_guardian(id: GuardianId) -> Result<(), ApiError> {
    delete(&format!("/api/guardians/{id}")).await
}

/// The address of `GET /api/students/export.xlsx` for a search (a download link), with or
/// without the sensitive columns.
pub fn students_export_url(q: &str, include_sensitive: bool) -> String {
    let url = format!("/api/students/export.xlsx?q={}", encode(q));
    if include_sensitive {
        format!("{url}&include_sensitive=true")
    } else {
        url
    }
}
