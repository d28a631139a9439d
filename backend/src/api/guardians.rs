//! A student's parents and guardians by hand: add, change, remove. The same people may do it
//! as may edit the student; a guardian's phone is sensitive, so changes to it are audited.

use crate::api::dashboard::tally;
use axum::extract::State;
use axum::http::StatusCode;
use shared::domain::DomainError;
use shared::org::Guardian;
use shared::org_edit::GuardianInput;
use shared::{Lang, PhoneNumber};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::form::Fields;
use super::org_edit::{check_editable, class_of_student};
use crate::audit;
use crate::auth::StaffUser;
use crate::error::{Error, Json, Path, Result};
use crate::i18n::Msg;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(add_guardian)).routes(routes!(update_guardian, delete_guardian))
}

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

fn phone_msg(e: DomainError) -> Msg {
    Msg::new(e.message(Lang::Zh), e.message(Lang::En))
}

/// The student of a guardian, after checking the caller may edit that student.
async fn editable_guardian(state: &AppState, user: &StaffUser, guardian_id: i64) -> Result<(i64, Option<String>)> {
    let row: Option<(i64, Option<String>)> = sqlx::query_as("SELECT student_id, phone FROM guardians WHERE id = $1")
        .bind(guardian_id)
        .fetch_optional(&state.db.read)
        .await?;
    let (student_id, phone) = row.ok_or(Error::NotFound)?;
    check_editable(state, user, class_of_student(state, student_id).await?).await?;
    Ok((student_id, phone))
}

async fn audit_phone(state: &AppState, user: &StaffUser, student_id: i64, detail: &str) -> Result<()> {
    audit::record(&state.db, user.id, "update", Some(student_id), &["guardian_phone"], detail).await?;
    Ok(())
}

/// Adds a parent or guardian to a student.
#[utoipa::path(post, path = "/api/students/{id}/guardians", tag = "organisation", request_body = GuardianInput,
    params(("id" = i64, Path, description = "Student id")),
    responses((status = 200, body = Guardian), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 409, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn add_guardian(
    State(state): State<AppState>,
    user: StaffUser,
    Path(student_id): Path<i64>,
    Json(body): Json<GuardianInput>,
) -> Result<Json<Guardian>> {
    check_editable(&state, &user, class_of_student(&state, student_id).await?).await?;
    let (name, relation, phone) = validate(&body)?;
    let (count, last): (i64, Option<i64>) =
        sqlx::query_as("SELECT COUNT(*), CAST(MAX(position) AS BIGINT) FROM guardians WHERE student_id = $1")
            .bind(student_id)
            .fetch_one(&state.db.read)
            .await?;
    if count >= MAX_PER_STUDENT {
        return Err(Error::Conflict(Msg::new("每名学生最多登记 10 位家长", "A student can have at most 10 guardians")));
    }
    // A new phone can change the student's household on the dashboard.
    let mut tx = state.db.write.begin().await?;
    tally::student(&mut tx, student_id, -1).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO guardians (student_id, position, name, relation, phone) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(student_id)
    .bind(last.map_or(0, |p| p + 1))
    .bind(name.clone())
    .bind(relation.clone())
    .bind(phone.as_ref().map(|p| p.as_str().to_string()))
    .fetch_one(&mut *tx)
    .await?;
    tally::student(&mut tx, student_id, 1).await?;
    tx.commit().await?;
    if phone.is_some() {
        audit_phone(&state, &user, student_id, "guardian added").await?;
    }
    Ok(Json(Guardian { id, name, relation, phone }))
}

/// Changes a parent's or guardian's name, relation or phone.
#[utoipa::path(put, path = "/api/guardians/{id}", tag = "organisation", request_body = GuardianInput,
    params(("id" = i64, Path, description = "Guardian id")),
    responses((status = 200, body = Guardian), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError),
              (status = 422, body = shared::ApiError)))]
async fn update_guardian(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Json(body): Json<GuardianInput>,
) -> Result<Json<Guardian>> {
    let (student_id, old_phone) = editable_guardian(&state, &user, id).await?;
    let (name, relation, phone) = validate(&body)?;
    let new_phone = phone.as_ref().map(|p| p.as_str().to_string());
    let mut tx = state.db.write.begin().await?;
    tally::student(&mut tx, student_id, -1).await?;
    sqlx::query("UPDATE guardians SET name = $1, relation = $2, phone = $3 WHERE id = $4")
        .bind(name.clone())
        .bind(relation.clone())
        .bind(new_phone.clone())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tally::student(&mut tx, student_id, 1).await?;
    tx.commit().await?;
    if old_phone != new_phone {
        audit_phone(&state, &user, student_id, "guardian phone changed").await?;
    }
    Ok(Json(Guardian { id, name, relation, phone }))
}

/// Removes a parent or guardian from a student.
#[utoipa::path(delete, path = "/api/guardians/{id}", tag = "organisation",
    params(("id" = i64, Path, description = "Guardian id")),
    responses((status = 204), (status = 401, body = shared::ApiError), (status = 403, body = shared::ApiError),
              (status = 404, body = shared::ApiError)))]
async fn delete_guardian(State(state): State<AppState>, user: StaffUser, Path(id): Path<i64>) -> Result<StatusCode> {
    let (student_id, phone) = editable_guardian(&state, &user, id).await?;
    let mut tx = state.db.write.begin().await?;
    tally::student(&mut tx, student_id, -1).await?;
    sqlx::query("DELETE FROM guardians WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tally::student(&mut tx, student_id, 1).await?;
    tx.commit().await?;
    if phone.is_some() {
        audit_phone(&state, &user, student_id, "guardian removed").await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
