//! Active staff by role and college, for the pickers of class staff and visit teams: admins
//! any college, a college leader their own (and, for teams, the school-wide staff who may join
//! any college's team).

use shared::users::{StaffQuery, StaffRef};
use shared::Role;

use crate::auth::StaffUser;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::AppState;

#[derive(Clone, sqlx::FromRow)]
pub struct StaffRow {
    pub id: i64,
    pub display_name: String,
    pub role: String,
    pub college_id: Option<i64>,
}

impl StaffRow {
    pub fn into_ref(self) -> Result<StaffRef> {
        let role = Role::from_code(&self.role).ok_or_else(|| anyhow::anyhow!("unknown role {:?}", self.role))?;
        Ok(StaffRef { id: self.id.into(), display_name: self.display_name, role, college_id: self.college_id })
    }
}

/// The college whose staff the caller may pick from: admins any (or all), a college leader
/// only their own; 403 for everyone else.
pub fn pickable_college(user: &StaffUser, asked: Option<i64>) -> Result<Option<i64>> {
    match user.role {
        Role::Admin => Ok(asked),
        Role::CollegeLeader => {
            let own = user.college_id.ok_or(Error::Forbidden)?;
            if asked.is_some_and(|c| c != own) {
                return Err(Error::Forbidden);
            }
            Ok(Some(own))
        }
        _ => Err(Error::Forbidden),
    }
}

/// Only admins and the leader of a college manage its classes' staff and its visit teams.
pub fn check_manager(user: &StaffUser, college_id: i64) -> Result<()> {
    match user.role {
        Role::Admin => Ok(()),
        Role::CollegeLeader if user.college_id == Some(college_id) => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

/// Active staff, by name, for pickers.
pub async fn list_staff(state: &AppState, user: &StaffUser, query: StaffQuery) -> Result<Vec<StaffRef>> {
    let college = pickable_college(user, query.college_id)?;
    let mut sql = Sql::new("SELECT id, display_name, role, college_id FROM users WHERE disabled_at IS NULL");
    if let Some(id) = college {
        sql.push(" AND (college_id = ").bind(id);
        if query.school_wide {
            sql.push(" OR role IN ('admin', 'school_leader')");
        }
        sql.push(")");
    }
    if let Some(role) = query.role {
        sql.push(" AND role = ").bind(role.code());
    }
    sql.push(" ORDER BY display_name, id LIMIT 1000");
    let rows: Vec<StaffRow> = sql.fetch_all(&state.db.read).await?;
    rows.into_iter().map(StaffRow::into_ref).collect()
}
