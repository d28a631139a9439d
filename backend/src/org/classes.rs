//! Classes, as far as the caller may see them.

use shared::org::Class;
use shared::ClassId;

use crate::auth::StaffUser;
use crate::db::{Db, Sql};
use crate::error::{Error, Result};
use crate::AppState;

#[derive(sqlx::FromRow)]
pub struct ClassRow {
    id: i64,
    college_id: i64,
    college_name: String,
    name: String,
    major: Option<String>,
    grade: Option<i64>,
    counselor_name: Option<String>,
    advisor_name: Option<String>,
    students: i64,
}

impl From<ClassRow> for Class {
    fn from(r: ClassRow) -> Class {
        Class {
            id: r.id.into(),
            college_id: r.college_id,
            college_name: r.college_name,
            name: r.name,
            major: r.major,
            grade: r.grade,
            counselor_name: r.counselor_name,
            advisor_name: r.advisor_name,
            students: r.students,
        }
    }
}

/// Classes with their college, staff and head count; callers append conditions on `cl`, then
/// `GROUP_ORDER`.
pub fn select() -> Sql {
    Sql::new(
        "SELECT cl.id, cl.college_id, co.name AS college_name, cl.name, cl.major, cl.grade, \
                cu.display_name AS counselor_name, au.display_name AS advisor_name, COUNT(s.id) AS students \
         FROM classes cl JOIN colleges co ON co.id = cl.college_id \
         LEFT JOIN users cu ON cu.id = cl.counselor_id LEFT JOIN users au ON au.id = cl.advisor_id \
         LEFT JOIN students s ON s.class_id = cl.id WHERE 1 = 1",
    )
}

pub const GROUP_ORDER: &str = " GROUP BY cl.id, cl.college_id, co.name, cl.name, cl.major, cl.grade, \
     cu.display_name, au.display_name ORDER BY cl.name";

/// Whether the class exists and whether the caller may see it: 404 and 403 respectively.
pub async fn check_visible(db: &Db, user: &StaffUser, class_id: ClassId) -> Result<()> {
    let mut sql = Sql::new("SELECT COUNT(*) FROM classes cl WHERE cl.id = ");
    sql.bind(class_id);
    if sql.fetch_scalar(&db.read).await? == 0 {
        return Err(Error::NotFound);
    }
    user.scope().restrict(&mut sql, "cl");
    if sql.fetch_scalar(&db.read).await? == 0 {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// One class.
pub async fn get_class(state: &AppState, user: &StaffUser, id: ClassId) -> Result<Class> {
    check_visible(&state.db, user, id).await?;
    let mut sql = select();
    sql.push(" AND cl.id = ").bind(id);
    sql.push(GROUP_ORDER);
    let row: ClassRow = sql.fetch_one(&state.db.read).await?;
    Ok(row.into())
}
