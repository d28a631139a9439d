//! A student's parents and guardians by hand: add, change, remove. The same people may do it
//! as may edit the student; a guardian's phone is sensitive, so changes to it are audited.

use shared::domain::DomainError;
use shared::org::Guardian;
use shared::org_edit::GuardianInput;
use shared::{GuardianId, Lang, PhoneNumber, StudentId};

use super::edit::{check_editable, class_of_student};
use crate::audit;
use crate::auth::StaffUser;
use crate::error::{Error, Result};
use crate::form::Fields;
use crate::i18n::Msg;
use crate::org::{self, NewGuardian};
use crate::AppState;

const MAX_PER_STUDENT: i64 = 10;

/// The input checked: a name, an optional relation and an optional mainland mobile number.
fn validate(input: &GuardianInput) -> Result<(String, Option<String>, Option<PhoneNumber>)> {
    let mut fields = Fields::new();
    let name = fields.required("name", &input.name, 50);
    let relation = fields.optional("relation", input.relation.as_deref(), 20);
    let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
        None => None,
        Some(text) => match PhoneNumber::parse(text) {
            Ok(phone) => Some(phone),
            Err(e) => {
                fields.add("phone", phone_msg(e));
                None
            }
        },
    };
    fields.finish()?;
    Ok((name, relation, phone))
}

fn phone_text(phone: &Option<PhoneNumber>) -> Option<String> {
    phone.as_ref().map(|p| p.as_str().to_string())
}

fn phone_msg(e: DomainError) -> Msg {
    Msg::new(e.message(Lang::Zh), e.message(Lang::En))
}

/// The student of a guardian, after checking the caller may edit that student.
async fn editable_guardian(
    state: &AppState,
    user: &StaffUser,
    guardian_id: GuardianId,
) -> Result<(StudentId, Option<String>)> {
    let row: Option<(StudentId, Option<String>)> =
        sqlx::query_as("SELECT student_id, phone FROM guardians WHERE id = $1")
            .bind(guardian_id)
            .fetch_optional(&state.db.read)
            .await?;
    let (student_id, phone) = row.ok_or(Error::NotFound)?;
    check_editable(state, user, class_of_student(state, student_id).await?).await?;
    Ok((student_id, phone))
}

async fn audit_phone(state: &AppState, user: &StaffUser, student_id: StudentId, detail: &str) -> Result<()> {
    audit::record(&state.db, user.id, "update", Some(student_id), &["guardian_phone"], detail).await?;
    Ok(())
}

/// Adds a parent or guardian to a student.
pub async fn add_guardian(
    state: &AppState,
    user: &StaffUser,
    student_id: StudentId,
    body: GuardianInput,
) -> Result<Guardian> {
    check_editable(state, user, class_of_student(state, student_id).await?).await?;
    let (name, relation, phone) = validate(&body)?;
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM guardians WHERE student_id = $1")
        .bind(student_id)
        .fetch_one(&state.db.read)
        .await?;
    if count >= MAX_PER_STUDENT {
        return Err(Error::Conflict(Msg::new("每名学生最多登记 10 位家长", "A student can have at most 10 guardians")));
    }
    let guardian = NewGuardian { name: name.clone(), relation: relation.clone(), phone: phone_text(&phone) };
    let mut tx = state.db.write.begin().await?;
    let id = org::add_guardian(&mut tx, student_id, &guardian).await?;
    tx.commit().await?;
    if phone.is_some() {
        audit_phone(state, user, student_id, "guardian added").await?;
    }
    Ok(Guardian { id, name, relation, phone })
}

/// Changes a parent's or guardian's name, relation or phone.
pub async fn update_guardian(
    state: &AppState,
    user: &StaffUser,
    id: GuardianId,
    body: GuardianInput,
) -> Result<Guardian> {
    let (student_id, old_phone) = editable_guardian(state, user, id).await?;
    let (name, relation, phone) = validate(&body)?;
    let new_phone = phone_text(&phone);
    let guardian = NewGuardian { name: name.clone(), relation: relation.clone(), phone: new_phone.clone() };
    let mut tx = state.db.write.begin().await?;
    org::save_guardian(&mut tx, student_id.get(), Some(id.get()), &guardian).await?;
    tx.commit().await?;
    if old_phone != new_phone {
        audit_phone(state, user, student_id, "guardian phone changed").await?;
    }
    Ok(Guardian { id, name, relation, phone })
}

/// Removes a parent or guardian from a student.
pub async fn delete_guardian(state: &AppState, user: &StaffUser, id: GuardianId) -> Result<()> {
    let (student_id, phone) = editable_guardian(state, user, id).await?;
    let mut tx = state.db.write.begin().await?;
    org::delete_guardian(&mut tx, student_id, id).await?;
    tx.commit().await?;
    if phone.is_some() {
        audit_phone(state, user, student_id, "guardian removed").await?;
    }
    Ok(())
}
