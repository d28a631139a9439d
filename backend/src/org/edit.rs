//! Changing the organisation by hand: a class's counselor and class advisor (admins, or the
//! college's leader), and a student's own data (admins, the college's leader, the student's
//! counselor; a class advisor only reads). Changes to sensitive fields go to the audit log.

use shared::org::Class;
use shared::org_edit::{ClassStaff, StudentUpdate};
use shared::{ClassId, Role, StudentId, UserId};

use super::classes::{self, ClassRow};
use super::staff::check_manager;
use crate::audit;
use crate::auth::StaffUser;
use crate::error::{Error, Result};
use crate::form::Fields;
use crate::i18n::Msg;
use crate::org;
use crate::AppState;

/// Whether the caller may change the students of a class: 404 without the class, 403 unless
/// they are an admin, its college's leader or its counselor.
pub async fn check_editable(state: &AppState, user: &StaffUser, class_id: ClassId) -> Result<()> {
    classes::check_visible(&state.db, user, class_id).await?;
    user.require(&[Role::Admin, Role::CollegeLeader, Role::Counselor])
}

/// The id of the class a student is in, or 404.
pub async fn class_of_student(state: &AppState, student_id: StudentId) -> Result<ClassId> {
    let class_id: Option<ClassId> = sqlx::query_scalar("SELECT class_id FROM students WHERE id = $1")
        .bind(student_id)
        .fetch_optional(&state.db.read)
        .await?;
    class_id.ok_or(Error::NotFound)
}

/// Adds a field error unless `user_id` is an active account of this role in this college.
async fn check_staff(
    state: &AppState,
    fields: &mut Fields,
    field: &str,
    user_id: Option<UserId>,
    role: Role,
    college_id: i64,
) -> Result<()> {
    let Some(id) = user_id else { return Ok(()) };
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM users WHERE id = $1 AND role = $2 AND college_id = $3 AND disabled_at IS NULL",
    )
    .bind(id)
    .bind(role.code())
    .bind(college_id)
    .fetch_one(&state.db.read)
    .await?;
    if n == 0 {
        let msg = match role {
            Role::Counselor => Msg::new("请选择本学院在职的辅导员", "Choose an active counselor of this college"),
            _ => Msg::new("请选择本学院在职的班主任", "Choose an active class advisor of this college"),
        };
        fields.add(field, msg);
    }
    Ok(())
}

/// Sets a class's counselor and class advisor (either may be empty).
pub async fn set_class_staff(state: &AppState, user: &StaffUser, id: ClassId, body: ClassStaff) -> Result<Class> {
    let college_id: Option<i64> = sqlx::query_scalar("SELECT college_id FROM classes WHERE id = $1")
        .bind(id)
        .fetch_optional(&state.db.read)
        .await?;
    let college_id = college_id.ok_or(Error::NotFound)?;
    check_manager(user, college_id)?;
    let mut fields = Fields::new();
    check_staff(state, &mut fields, "counselor_id", body.counselor_id, Role::Counselor, college_id).await?;
    check_staff(state, &mut fields, "advisor_id", body.advisor_id, Role::ClassAdvisor, college_id).await?;
    fields.finish()?;
    let mut conn = state.db.write.acquire().await?;
    org::set_class_staff(&mut conn, id, body.counselor_id, body.advisor_id).await?;
    drop(conn);
    let mut sql = classes::select();
    sql.push(" AND cl.id = ").bind(id).push(classes::GROUP_ORDER);
    let row: ClassRow = sql.fetch_one(&state.db.read).await?;
    Ok(row.into())
}

#[derive(sqlx::FromRow)]
struct Sensitive {
    address: Option<String>,
    hardship: Option<String>,
}

/// Changes a student's name, class, studies and home; 422 with a message per wrong field.
pub async fn update_student(state: &AppState, user: &StaffUser, id: StudentId, body: StudentUpdate) -> Result<()> {
    let class_id = class_of_student(state, id).await?;
    check_editable(state, user, class_id).await?;

    let mut fields = Fields::new();
    let name = fields.required("name", &body.name, 50);
    let major = fields.optional("major", body.major.as_deref(), 100);
    let grade = fields.range("grade", body.grade, 1990..=2100);
    let province = fields.optional("province", body.province.as_deref(), 50);
    let city = fields.optional("city", body.city.as_deref(), 50);
    let district = fields.optional("district", body.district.as_deref(), 50);
    let address = fields.optional("address", body.address.as_deref(), 200);
    if body.class_id != class_id && check_editable(state, user, body.class_id).await.is_err() {
        fields.add("class_id", Msg::new("只能转到您负责的班级", "You can only move a student to a class you manage"));
    }
    fields.finish()?;

    let before: Sensitive = sqlx::query_as("SELECT address, hardship FROM students WHERE id = $1")
        .bind(id)
        .fetch_one(&state.db.read)
        .await?;
    let hardship = body.hardship.map(|h| h.code().to_string());
    let student = org::NewStudent {
        student_no: String::new(),
        name,
        gender: body.gender.map(|g| g.code().to_string()),
        class_id: body.class_id.get(),
        major,
        grade,
        province,
        city,
        district,
        address: address.clone(),
        hardship: hardship.clone(),
    };
    let mut tx = state.db.write.begin().await?;
    org::update_student(&mut tx, id, &student).await?;
    tx.commit().await?;

    let mut changed = Vec::new();
    if before.address != address {
        changed.push("address");
    }
    if before.hardship != hardship {
        changed.push("hardship");
    }
    if !changed.is_empty() {
        audit::record(&state.db, user.id, "update", Some(id), &changed, "student edited by hand").await?;
    }
    Ok(())
}
