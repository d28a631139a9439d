//! The signed-in staff member as an extractor. Deny by default: a handler that takes no
//! `StaffUser` (or a family session, later) is public, and the route matrix test lists those.

use axum::extract::FromRequestParts;
use axum::extract::MatchedPath;
use axum::http::request::Parts;
use shared::{Department, Lang, Role, UserId};

use super::second_factor;
use super::session::{self, hash_token};
use crate::db::{now, Sql};
use crate::error::{Error, Result};
use crate::users::{UserRow, COLUMNS, JOINS};
use crate::AppState;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: shared::UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub college_id: Option<i64>,
    pub college_name: Option<String>,
    pub lang: Lang,
    /// Signs in with a TOTP code too.
    pub totp: bool,
    /// Service staff's department.
    pub department: Option<Department>,
}

impl TryFrom<UserRow> for StaffUser {
    type Error = Error;

    fn try_from(row: UserRow) -> Result<StaffUser> {
        let role = row.role()?;
        Ok(StaffUser {
            id: row.id.into(),
            username: row.username,
            display_name: row.display_name,
            role,
            college_id: row.college_id,
            college_name: row.college_name,
            lang: Lang::from_code(&row.lang),
            totp: row.totp == 1,
            department: row.department.as_deref().and_then(Department::from_code),
        })
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    created_at: i64,
    last_seen: i64,
    expires_at: i64,
    #[sqlx(flatten)]
    user: UserRow,
}

/// The only routes (besides their own account's under `/api/auth/`) that service staff may
/// use: their department's referrals, closing and reopening them, the reminder badge and the
/// department list. Every other route answers them 403 here, before its handler runs, so no
/// route added later reaches them by accident (the role × route matrix proves it route by route).
pub const SERVICE_STAFF_ROUTES: &[&str] = &[
    "/api/follow-ups/referred",
    "/api/follow-ups/{id}/close",
    "/api/follow-ups/{id}/reopen",
    "/api/follow-ups/due/count",
    "/api/departments",
];

/// Any signed-in staff member, including an admin who still has to turn TOTP on: only for
/// `/api/auth/me` and the routes that turn TOTP on. Every other route takes `StaffUser`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn(pub StaffUser);

impl FromRequestParts<AppState> for StaffUser {
    type Rejection = Error;

    /// Admins must use a second factor: until they have turned it on, they get 403 everywhere.
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let SignedIn(user) = SignedIn::from_request_parts(parts, state).await?;
        if user.role == Role::Admin && !user.totp {
            return Err(second_factor::enrolment_required());
        }
        if user.role == Role::ServiceStaff {
            let route = parts.extensions.get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or_default();
            if !SERVICE_STAFF_ROUTES.iter().any(|allowed| route == *allowed || route.starts_with("/api/auth/")) {
                return Err(Error::Forbidden);
            }
        }
        Ok(user)
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        if let Some(user) = parts.extensions.get::<StaffUser>() {
            return Ok(SignedIn(user.clone()));
        }
        let config = &state.config.session;
        let token = session::token_from_headers(&parts.headers, config).ok_or(Error::Unauthorized)?;
        let token_hash = hash_token(&token);
        let sql = format!(
            "SELECT s.created_at, s.last_seen, s.expires_at, {COLUMNS} \
             FROM sessions s JOIN users u ON u.id = s.user_id {JOINS} \
             WHERE s.token_hash = $1 AND u.active = 1"
        );
        let row: Option<SessionRow> =
            sqlx::query_as(&sql).bind(token_hash.clone()).fetch_optional(&state.db.read).await?;
        let row = row.ok_or(Error::Unauthorized)?;
        let at = now();
        let expired = at >= row.expires_at
            || at - row.last_seen >= config.idle_secs
            || at - row.created_at >= config.absolute_secs;
        if expired {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&state.db.write).await?;
            return Err(Error::Unauthorized);
        }
        session::touch(&state.db, &token_hash, row.last_seen).await?;
        let user = StaffUser::try_from(row.user)?;
        tracing::Span::current().record("user_id", user.id.get());
        parts.extensions.insert(user.clone());
        Ok(SignedIn(user))
    }
}

impl StaffUser {
    /// The staff member with this id, as a session would give them.
    pub async fn load(db: &crate::db::Db, user_id: UserId) -> Result<StaffUser> {
        let sql = format!("SELECT {COLUMNS} FROM users u {JOINS} WHERE u.id = $1");
        let row: UserRow = sqlx::query_as(&sql).bind(user_id).fetch_one(&db.read).await?;
        StaffUser::try_from(row)
    }

    /// Refuses with 403 unless the user has one of these roles.
    pub fn require(&self, roles: &[Role]) -> Result<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    pub fn scope(&self) -> Scope {
        match self.role {
            Role::Admin => Scope::All,
            Role::CollegeLeader => self.college_id.map(Scope::College).unwrap_or(Scope::Nothing),
            Role::Counselor => Scope::Counselor(self.id.get()),
            Role::ClassAdvisor => Scope::Advisor(self.id.get()),
            // Service staff reach no class: they see referred follow-ups only (`follow_ups`).
            Role::ServiceStaff => Scope::Nothing,
            // School leaders reach a college's students only by leading one of its teams
            // (`visits::access`), and read the visits they took part in.
            Role::SchoolLeader => Scope::Nothing,
        }
    }
}

impl StaffUser {
    /// The classes whose campaign figures (aggregates, no one's record) the staff member sees:
    /// their scope, and the whole school for school leaders, whose own scope reaches no class.
    pub fn figures_scope(&self) -> Scope {
        match self.role {
            Role::SchoolLeader => Scope::All,
            _ => self.scope(),
        }
    }
}

/// The classes a staff member may see: admins all, a college leader their college, a counselor
/// the classes they look after, a class advisor their class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    College(i64),
    Counselor(i64),
    Advisor(i64),
    Nothing,
}

impl Scope {
    /// Appends ` AND <condition>` on the `classes` row aliased `alias`.
    pub fn restrict(&self, sql: &mut Sql, alias: &str) {
        match *self {
            Scope::All => {}
            Scope::College(id) => {
                sql.push(&format!(" AND {alias}.college_id = ")).bind(id);
            }
            Scope::Counselor(id) => {
                sql.push(&format!(" AND {alias}.counselor_id = ")).bind(id);
            }
            Scope::Advisor(id) => {
                sql.push(&format!(" AND {alias}.advisor_id = ")).bind(id);
            }
            Scope::Nothing => {
                sql.push(" AND 1 = 0");
            }
        }
    }

    /// Home address, guardian phones and hardship level: the student's counselor and class
    /// advisor, their college leader and admins — exactly those whose scope holds the student.
    pub fn sees_sensitive(&self) -> bool {
        !matches!(self, Scope::Nothing)
    }
}
