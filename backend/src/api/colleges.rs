//! Colleges, as far as the caller may see them.

use axum::extract::State;
use shared::org::{Class, College};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::classes::{self, ClassRow};
use crate::auth::{Scope, StaffUser};
use crate::db::Sql;
use crate::error::{Error, Json, Path, Result};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_colleges)).routes(routes!(college_classes))
}

#[derive(sqlx::FromRow)]
struct CollegeRow {
    id: i64,
    name: String,
    classes: i64,
    students: i64,
}

/// Colleges with at least one class the caller may see (all of them for admins).
#[utoipa::path(get, path = "/api/colleges", tag = "organisation",
    responses((status = 200, body = Vec<College>), (status = 401, body = shared::ApiError)))]
async fn list_colleges(State(state): State<AppState>, user: StaffUser) -> Result<Json<Vec<College>>> {
    let scope = user.scope();
    let mut sql = Sql::new(
        "SELECT co.id, co.name, COUNT(DISTINCT cl.id) AS classes, COUNT(s.id) AS students \
         FROM colleges co LEFT JOIN classes cl ON cl.college_id = co.id \
         LEFT JOIN students s ON s.class_id = cl.id WHERE 1 = 1",
    );
    if scope != Scope::All {
        scope.restrict(&mut sql, "cl");
    }
    sql.push(" GROUP BY co.id, co.name ORDER BY co.name");
    let rows: Vec<CollegeRow> = sql.fetch_all(&state.db.read).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| College { id: r.id, name: r.name, classes: r.classes, students: r.students })
            .collect(),
    ))
}

/// The classes of one college that the caller may see.
#[utoipa::path(get, path = "/api/colleges/{id}/classes", tag = "organisation",
    params(("id" = i64, Path, description = "College id")),
    responses((status = 200, body = Vec<Class>), (status = 401, body = shared::ApiError),
              (status = 403, body = shared::ApiError), (status = 404, body = shared::ApiError)))]
async fn college_classes(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Class>>> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM colleges WHERE id = $1").bind(id).fetch_optional(&state.db.read).await?;
    exists.ok_or(Error::NotFound)?;
    let mut sql = classes::select();
    sql.push(" AND cl.college_id = ").bind(id);
    user.scope().restrict(&mut sql, "cl");
    sql.push(classes::GROUP_ORDER);
    let rows: Vec<ClassRow> = sql.fetch_all(&state.db.read).await?;
    if rows.is_empty() && user.scope() != Scope::All {
        return Err(Error::Forbidden);
    }
    Ok(Json(rows.into_iter().map(Class::from).collect()))
}
