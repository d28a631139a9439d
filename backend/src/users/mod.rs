//! Staff accounts, run by the Student Affairs Office: list, create (with a one-time activation
//! link, `activation`), re-scope, disable and enable. A college leader may list their own
//! college's staff. The one `UserRow` every reader of accounts uses.

pub mod activation;

use shared::users::{AccountStatus, AccountUpdate, CreatedAccount, NewAccount, UserAccount, UserQuery};
use shared::{Department, Role, UserId};
use sqlx::AnyConnection;

use crate::auth::{session, StaffUser};
use crate::db::{Db, Sql};
use crate::error::{Error, Result};
use crate::form::{is_unique_violation, Fields};
use crate::i18n::Msg;
use crate::org::{self, NewUser};
use crate::AppState;

/// A staff account's row, as [`COLUMNS`] selects it from `users u` with [`JOINS`]: the one shape
/// the session check (into `StaffUser`), the account list (into `UserAccount`) and the visit
/// import's staff lookup all read.
#[derive(sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub college_id: Option<i64>,
    pub college_name: Option<String>,
    pub lang: String,
    /// 1 when two-step verification is on.
    pub totp: i64,
    pub disabled: i64,
    pub has_password: i64,
    /// Service staff's department code.
    pub department: Option<String>,
    pub email: Option<String>,
}

pub const COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.college_id, c.name AS college_name, u.lang, \
     CAST(CASE WHEN t.user_id IS NULL THEN 0 ELSE 1 END AS BIGINT) AS totp, \
     CAST(CASE WHEN u.disabled_at IS NULL THEN 0 ELSE 1 END AS BIGINT) AS disabled, \
     CAST(CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS BIGINT) AS has_password, u.department, u.email";
/// What [`COLUMNS`] needs besides `users u`.
pub const JOINS: &str =
    "LEFT JOIN colleges c ON c.id = u.college_id LEFT JOIN user_totp t ON t.user_id = u.id AND t.enabled = 1";

impl UserRow {
    pub fn role(&self) -> Result<Role> {
        Role::from_code(&self.role).ok_or_else(|| anyhow::anyhow!("unknown role {:?}", self.role).into())
    }

    fn into_account(self) -> Result<UserAccount> {
        let role = self.role()?;
        let status = match (self.disabled, self.has_password) {
            (0, 0) => AccountStatus::Pending,
            (0, _) => AccountStatus::Active,
            _ => AccountStatus::Disabled,
        };
        Ok(UserAccount {
            id: self.id.into(),
            username: self.username,
            display_name: self.display_name,
            role,
            college_id: self.college_id,
            college_name: self.college_name,
            status,
            department: self.department.as_deref().and_then(shared::Department::from_code),
            totp_enabled: self.totp == 1,
            email: self.email,
        })
    }
}

/// Accounts waiting for their owners: no password chosen yet, not disabled.
const PENDING: &str = " AND u.password_hash IS NULL AND u.disabled_at IS NULL";

/// At most this many links in one go: a school's staff, not a spam cannon.
const MAX_PENDING_LINKS: i64 = 2000;

/// A new activation link for every account of the college (the school's without one) that has
/// not been activated, in one transaction: each earlier link of those accounts stops working
/// (admins). The links are in this answer only — to hand out, or to export.
pub async fn activation_links(
    state: &AppState,
    user: &StaffUser,
    college_id: Option<i64>,
) -> Result<Vec<CreatedAccount>> {
    user.require(&[Role::Admin])?;
    let mut sql = select();
    sql.push(PENDING);
    if let Some(id) = college_id {
        sql.push(" AND u.college_id = ").bind(id);
    }
    sql.push(" ORDER BY c.name, u.role, u.display_name, u.id LIMIT ").bind(MAX_PENDING_LINKS);
    let rows: Vec<UserRow> = sql.fetch_all(&state.db.read).await?;
    let mut tx = state.db.write.begin().await?;
    let mut issued = Vec::with_capacity(rows.len());
    for row in rows {
        let account = row.into_account()?;
        let activation = activation::issue(&mut tx, account.id, user.id).await?;
        issued.push(CreatedAccount { user: account, activation });
    }
    tx.commit().await?;
    let scope = college_id.map_or_else(|| "the school".to_string(), |id| format!("college {id}"));
    let detail = format!("activation links for {} accounts not yet activated in {scope}", issued.len());
    crate::audit::record(&state.db, user.id, "account", None, &["activation"], &detail).await?;
    Ok(issued)
}

/// What signing in checks a password against.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: UserId,
    pub password_hash: Option<String>,
}

/// The active account with this (lower-case) username, if any.
pub async fn credentials(db: &Db, username: &str) -> Result<Option<Credentials>> {
    Ok(sqlx::query_as("SELECT id, password_hash FROM users WHERE lower(username) = $1 AND active = 1")
        .bind(username.to_string())
        .fetch_optional(&db.read)
        .await?)
}

/// `SELECT` [`COLUMNS`] `FROM users u` [`JOINS`] `WHERE 1 = 1`: callers append conditions on `u`.
pub fn select() -> Sql {
    Sql::new(&format!("SELECT {COLUMNS} FROM users u {JOINS} WHERE 1 = 1"))
}

async fn load(conn: &mut AnyConnection, id: UserId) -> Result<UserAccount> {
    let mut sql = select();
    sql.push(" AND u.id = ").bind(id);
    let row: Option<UserRow> =
        sql.query().fetch_optional(&mut *conn).await?.map(|r| sqlx::FromRow::from_row(&r)).transpose()?;
    row.ok_or(Error::NotFound)?.into_account()
}

/// Staff accounts, by college and name. Admins see all; a college leader their college's.
pub async fn list_users(state: &AppState, user: &StaffUser, query: UserQuery) -> Result<Vec<UserAccount>> {
    // Admins any college, a college leader only their own (read-only); 403 for others.
    let college = crate::org::staff::pickable_college(user, query.college_id)?;
    let mut sql = select();
    if let Some(id) = college {
        sql.push(" AND u.college_id = ").bind(id);
    }
    if let Some(role) = query.role {
        sql.push(" AND u.role = ").bind(role.code());
    }
    if !query.include_inactive.unwrap_or(false) {
        sql.push(" AND u.disabled_at IS NULL");
    }
    if query.pending == Some(true) {
        sql.push(PENDING);
    }
    if let Some(q) = query.q.as_deref().map(shared::domain::normalize).filter(|q| !q.is_empty()) {
        let pattern = crate::org::students::like_pattern(&q.to_lowercase());
        sql.push(" AND (lower(u.username) LIKE ").bind(pattern.clone()).push(" ESCAPE '\\'");
        sql.push(" OR lower(u.display_name) LIKE ").bind(pattern).push(" ESCAPE '\\')");
    }
    sql.push(" ORDER BY c.name, u.role, u.display_name, u.id LIMIT 1000");
    let rows: Vec<UserRow> = sql.fetch_all(&state.db.read).await?;
    rows.into_iter().map(UserRow::into_account).collect()
}

/// Checks name, role, college and department together: an admin belongs to no college, service
/// staff to a department and no college, everyone else to one college and no department.
async fn check_scope(
    state: &AppState,
    fields: &mut Fields,
    display_name: &str,
    role: Role,
    college_id: Option<i64>,
    department: Option<Department>,
) -> Result<String> {
    let display_name = fields.required("display_name", display_name, 50);
    match (role.needs_department(), department) {
        (true, None) => {
            fields.add("department", Msg::new("请选择所属服务部门", "Choose this person's service department"))
        }
        (false, Some(_)) => fields.add(
            "department",
            Msg::new("只有服务部门人员属于服务部门", "Only service department staff belong to a department"),
        ),
        _ => {}
    }
    match (role, college_id) {
        (Role::Admin, Some(_)) => fields.add(
            "college_id",
            Msg::new("学工处管理员不属于某个学院，请不要选择学院", "A Student Affairs admin belongs to no college"),
        ),
        (Role::ServiceStaff, Some(_)) => fields.add(
            "college_id",
            Msg::new("服务部门人员不属于某个学院，请不要选择学院", "Service department staff belong to no college"),
        ),
        (Role::SchoolLeader, Some(_)) => fields.add(
            "college_id",
            Msg::new("校领导不属于某个学院，请不要选择学院", "A school leader belongs to no college"),
        ),
        (Role::Admin | Role::ServiceStaff | Role::SchoolLeader, None) => {}
        (_, None) => fields.add("college_id", Msg::new("请选择所属学院", "Choose the college this person belongs to")),
        (_, Some(id)) => {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM colleges WHERE id = $1")
                .bind(id)
                .fetch_one(&state.db.read)
                .await?;
            if n == 0 {
                fields.add("college_id", Msg::new("找不到该学院", "No such college"));
            }
        }
    }
    Ok(display_name)
}

/// An e-mail address lettre can send to, or none when left empty.
fn check_email(fields: &mut Fields, email: Option<&str>) -> Option<String> {
    let email = email.map(str::trim).filter(|e| !e.is_empty())?;
    match email.parse::<lettre::Address>() {
        Ok(address) if email.len() <= 254 => Some(address.to_string()),
        _ => {
            fields.add(
                "email",
                Msg::new(
                    "请填写有效的电子邮箱地址，例如 wang@example.edu.cn",
                    "Enter a valid e-mail address, such as wang@example.edu.cn",
                ),
            );
            None
        }
    }
}

const USERNAME_TAKEN: Msg = Msg::new("该用户名已被使用", "This username is already taken");

/// Creates a staff account without a password and answers with its activation link, once.
pub async fn create_user(state: &AppState, user: &StaffUser, body: NewAccount) -> Result<CreatedAccount> {
    user.require(&[Role::Admin])?;
    let mut fields = Fields::new();
    let username = shared::domain::normalize(&body.username).to_lowercase();
    let valid_username = (2..=32).contains(&username.chars().count())
        && username.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !valid_username {
        fields.add(
            "username",
            Msg::new(
                "用户名为 2 到 32 位小写字母、数字或 . _ -，以字母或数字开头",
                "A username has 2 to 32 lowercase letters, digits or . _ -, starting with a letter or digit",
            ),
        );
    }
    let display_name =
        check_scope(state, &mut fields, &body.display_name, body.role, body.college_id, body.department).await?;
    let email = check_email(&mut fields, body.email.as_deref());
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE lower(username) = $1")
        .bind(username.clone())
        .fetch_one(&state.db.read)
        .await?;
    if taken > 0 && !fields.has("username") {
        fields.add("username", USERNAME_TAKEN);
    }
    fields.finish()?;

    let new = NewUser {
        username,
        display_name,
        role: body.role,
        college_id: body.college_id,
        password_hash: None,
        active: false,
    };
    let mut tx = state.db.write.begin().await?;
    let id = org::create_user(&mut tx, &new).await.map_err(|e| {
        if is_unique_violation(&e) {
            Error::field("username", USERNAME_TAKEN)
        } else {
            e.into()
        }
    })?;
    let id = UserId(id);
    org::set_department(&mut tx, id, body.department).await?;
    sqlx::query("UPDATE users SET email = $1 WHERE id = $2").bind(email).bind(id).execute(&mut *tx).await?;
    let activation = activation::issue(&mut tx, id, user.id).await?;
    let account = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(CreatedAccount { user: account, activation })
}

/// Renames and re-scopes an account (role and college). Takes effect on its next request.
pub async fn update_user(state: &AppState, user: &StaffUser, id: UserId, body: AccountUpdate) -> Result<UserAccount> {
    user.require(&[Role::Admin])?;
    let mut conn = state.db.read.acquire().await?;
    load(&mut conn, id).await?;
    drop(conn);
    if id == user.id && body.role != Role::Admin {
        return Err(Error::Conflict(Msg::new("不能取消自己的管理员角色", "You cannot remove your own admin role")));
    }
    let mut fields = Fields::new();
    let display_name =
        check_scope(state, &mut fields, &body.display_name, body.role, body.college_id, body.department).await?;
    let email = check_email(&mut fields, body.email.as_deref());
    fields.finish()?;
    sqlx::query(
        "UPDATE users SET display_name = $1, role = $2, college_id = $3, department = $4, email = $5 WHERE id = $6",
    )
    .bind(display_name)
    .bind(body.role.code())
    .bind(body.college_id)
    .bind(body.department.map(|d| d.code().to_string()))
    .bind(email)
    .bind(id)
    .execute(&state.db.write)
    .await?;
    let mut conn = state.db.write.acquire().await?;
    load(&mut conn, id).await
}

/// Switches an account off: its sessions and activation links end at once.
pub async fn disable_user(state: &AppState, user: &StaffUser, id: UserId) -> Result<UserAccount> {
    user.require(&[Role::Admin])?;
    if id == user.id {
        return Err(Error::Conflict(Msg::new("不能停用自己的账号", "You cannot disable your own account")));
    }
    set_active(state, id, false).await?;
    // After the flag, so that a request racing with this finds the account off.
    session::delete_for_user(&state.db, id).await?;
    activation::revoke_all(&state.db, id).await?;
    let mut conn = state.db.write.acquire().await?;
    load(&mut conn, id).await
}

/// Switches a disabled account back on.
pub async fn enable_user(state: &AppState, user: &StaffUser, id: UserId) -> Result<UserAccount> {
    user.require(&[Role::Admin])?;
    set_active(state, id, true).await?;
    let mut conn = state.db.write.acquire().await?;
    load(&mut conn, id).await
}

async fn set_active(state: &AppState, id: UserId, active: bool) -> Result<()> {
    // An account that never chose a password stays unable to sign in when enabled.
    let query = if active {
        sqlx::query(
            "UPDATE users SET disabled_at = NULL, active = CASE WHEN password_hash IS NULL THEN 0 ELSE 1 END \
             WHERE id = $1",
        )
        .bind(id)
    } else {
        sqlx::query("UPDATE users SET disabled_at = $1, active = 0 WHERE id = $2").bind(crate::db::now()).bind(id)
    };
    if query.execute(&state.db.write).await?.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}
