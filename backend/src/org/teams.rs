//! Visit teams (家访小组): per campaign and college, with a leader and members drawn from the
//! staff of that college and from school-wide staff (school leaders and the Student Affairs
//! Office led the seed's teams). Admins and the college's leader make and change them; other staff
//! see the teams they belong to.

use shared::campaigns::{NewTeam, Team, TeamDetail, TeamUpdate};
use shared::{CampaignId, Role, UserId};
use sqlx::AnyConnection;

use super::staff::{check_manager, StaffRow};
use crate::auth::StaffUser;
use crate::campaigns::check_open;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::form::{is_unique_violation, Fields};
use crate::i18n::Msg;
use crate::AppState;

#[derive(sqlx::FromRow)]
struct TeamRow {
    id: i64,
    campaign_id: i64,
    college_id: i64,
    college_name: String,
    name: String,
    leader_id: Option<UserId>,
    leader_name: Option<String>,
    leader_role: Option<String>,
    leader_college_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    team_id: i64,
    #[sqlx(flatten)]
    staff: StaffRow,
}

/// Teams matching `filter` (conditions on `t`), with leaders and members by name.
async fn details(state: &AppState, filter: &Sql) -> Result<Vec<TeamDetail>> {
    let mut sql = Sql::new(
        "SELECT t.id, t.campaign_id, t.college_id, co.name AS college_name, t.name, t.leader_id, \
                l.display_name AS leader_name, l.role AS leader_role, l.college_id AS leader_college_id \
         FROM teams t JOIN colleges co ON co.id = t.college_id LEFT JOIN users l ON l.id = t.leader_id WHERE 1 = 1",
    );
    sql.push_sql(filter).push(" ORDER BY co.name, t.name, t.id");
    let rows: Vec<TeamRow> = sql.fetch_all(&state.db.read).await?;
    let mut members = Sql::new(
        "SELECT tm.team_id, u.id, u.display_name, u.role, u.college_id \
         FROM team_members tm JOIN users u ON u.id = tm.user_id JOIN teams t ON t.id = tm.team_id WHERE 1 = 1",
    );
    members.push_sql(filter).push(" ORDER BY u.display_name, u.id");
    let members: Vec<MemberRow> = members.fetch_all(&state.db.read).await?;
    rows.into_iter()
        .map(|r| {
            let leader = match (r.leader_id, r.leader_name, r.leader_role) {
                (Some(id), Some(display_name), Some(role)) => {
                    Some(StaffRow { id: id.get(), display_name, role, college_id: r.leader_college_id }.into_ref()?)
                }
                _ => None,
            };
            let members = members
                .iter()
                .filter(|m| m.team_id == r.id)
                .map(|m| m.staff.clone().into_ref())
                .collect::<Result<Vec<_>>>()?;
            let team = Team {
                id: r.id,
                campaign_id: r.campaign_id.into(),
                college_id: r.college_id,
                name: r.name,
                leader_id: r.leader_id,
                member_ids: members.iter().map(|m| m.id).collect(),
            };
            Ok(TeamDetail { team, college_name: r.college_name, leader, members })
        })
        .collect()
}

/// The teams of a campaign the caller may see: all for admins, their college's for a college
/// leader, the ones they lead or belong to for anyone else.
pub async fn list_teams(state: &AppState, user: &StaffUser, id: CampaignId) -> Result<Vec<TeamDetail>> {
    let mut conn = state.db.read.acquire().await?;
    crate::campaigns::load(&mut conn, id).await?;
    drop(conn);
    let mut filter = Sql::new(" AND t.campaign_id = ");
    filter.bind(id.get());
    match (user.role, user.college_id) {
        (Role::Admin, _) => {}
        (Role::CollegeLeader, Some(college)) => {
            filter.push(" AND t.college_id = ").bind(college);
        }
        _ => {
            filter.push(" AND (t.leader_id = ").bind(user.id);
            filter.push(" OR t.id IN (SELECT team_id FROM team_members WHERE user_id = ").bind(user.id).push("))");
        }
    }
    details(state, &filter).await
}

/// The team's name, leader and members checked: everyone must be active staff of its college,
/// or school-wide staff (school leaders, the Student Affairs Office), who may join any college's.
async fn validate(state: &AppState, college_id: i64, update: &TeamUpdate) -> Result<TeamUpdate> {
    let mut fields = Fields::new();
    let name = fields.required("name", &update.name, 50);
    let mut member_ids = update.member_ids.clone();
    member_ids.sort_unstable();
    member_ids.dedup();
    if member_ids.len() > 50 {
        fields.add("member_ids", Msg::new("一个小组最多 50 名成员", "A team has at most 50 members"));
    }
    let wanted: Vec<UserId> = member_ids.iter().copied().chain(update.leader_id).collect();
    if !wanted.is_empty() && !fields.has("member_ids") {
        let mut sql = Sql::new(
            "SELECT id FROM users WHERE disabled_at IS NULL AND (role IN ('admin', 'school_leader') OR college_id = ",
        );
        sql.bind(college_id).push(") AND id IN (");
        for (i, id) in wanted.iter().enumerate() {
            sql.push(if i == 0 { "" } else { ", " }).bind(*id);
        }
        sql.push(")");
        let found: Vec<UserId> =
            sql.fetch_all::<(UserId,)>(&state.db.read).await?.into_iter().map(|(id,)| id).collect();
        let outsider = Msg::new(
            "只能选择本学院在职的工作人员，或校领导、学工处人员",
            "Choose active staff of the team's college, school leaders or Student Affairs staff",
        );
        if update.leader_id.is_some_and(|l| !found.contains(&l)) {
            fields.add("leader_id", outsider.clone());
        }
        if member_ids.iter().any(|m| !found.contains(m)) {
            fields.add("member_ids", outsider);
        }
    }
    fields.finish()?;
    Ok(TeamUpdate { name, leader_id: update.leader_id, member_ids })
}

fn duplicate_name() -> Error {
    Error::field("name", Msg::new("本学院在该活动中已有同名小组", "This college already has a team of this name"))
}

async fn save(conn: &mut AnyConnection, team_id: i64, team: &TeamUpdate) -> Result<()> {
    sqlx::query("UPDATE teams SET name = $1, leader_id = $2 WHERE id = $3")
        .bind(team.name.clone())
        .bind(team.leader_id)
        .bind(team_id)
        .execute(&mut *conn)
        .await
        .map_err(|e| if is_unique_violation(&e) { duplicate_name() } else { e.into() })?;
    sqlx::query("DELETE FROM team_members WHERE team_id = $1").bind(team_id).execute(&mut *conn).await?;
    for member in &team.member_ids {
        sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
            .bind(team_id)
            .bind(*member)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn one(state: &AppState, team_id: i64) -> Result<TeamDetail> {
    let mut filter = Sql::new(" AND t.id = ");
    filter.bind(team_id);
    details(state, &filter).await?.into_iter().next().ok_or(Error::NotFound)
}

/// Makes a team in a campaign (admins, or the leader of the team's college); 409 once the
/// campaign is closed.
pub async fn create_team(
    state: &AppState,
    user: &StaffUser,
    campaign_id: CampaignId,
    body: NewTeam,
) -> Result<TeamDetail> {
    user.require(&[Role::Admin, Role::CollegeLeader])?;
    let mut conn = state.db.read.acquire().await?;
    check_open(&mut conn, campaign_id).await?;
    drop(conn);
    let college: Option<i64> = sqlx::query_scalar("SELECT id FROM colleges WHERE id = $1")
        .bind(body.college_id)
        .fetch_optional(&state.db.read)
        .await?;
    let Some(college_id) = college else {
        return Err(Error::field("college_id", Msg::new("找不到该学院", "No such college")));
    };
    check_manager(user, college_id)?;
    let update = TeamUpdate { name: body.name, leader_id: body.leader_id, member_ids: body.member_ids };
    let team = validate(state, college_id, &update).await?;
    let mut tx = state.db.write.begin().await?;
    check_open(&mut tx, campaign_id).await?;
    let id: i64 =
        sqlx::query_scalar("INSERT INTO teams (campaign_id, college_id, name) VALUES ($1, $2, $3) RETURNING id")
            .bind(campaign_id.get())
            .bind(college_id)
            .bind(team.name.clone())
            .fetch_one(&mut *tx)
            .await
            .map_err(|e| if is_unique_violation(&e) { duplicate_name() } else { e.into() })?;
    save(&mut tx, id, &team).await?;
    tx.commit().await?;
    one(state, id).await
}

/// The campaign and college of a team, or 404.
async fn team_home(state: &AppState, team_id: i64) -> Result<(CampaignId, i64)> {
    let home: Option<(i64, i64)> = sqlx::query_as("SELECT campaign_id, college_id FROM teams WHERE id = $1")
        .bind(team_id)
        .fetch_optional(&state.db.read)
        .await?;
    home.map(|(campaign, college)| (campaign.into(), college)).ok_or(Error::NotFound)
}

/// Renames a team and sets its leader and members (admins, or the college's leader).
pub async fn update_team(state: &AppState, user: &StaffUser, id: i64, body: TeamUpdate) -> Result<TeamDetail> {
    let (campaign_id, college_id) = team_home(state, id).await?;
    check_manager(user, college_id)?;
    let team = validate(state, college_id, &body).await?;
    let mut tx = state.db.write.begin().await?;
    check_open(&mut tx, campaign_id).await?;
    save(&mut tx, id, &team).await?;
    tx.commit().await?;
    one(state, id).await
}

/// Removes a team (admins, or the college's leader).
pub async fn delete_team(state: &AppState, user: &StaffUser, id: i64) -> Result<()> {
    let (campaign_id, college_id) = team_home(state, id).await?;
    check_manager(user, college_id)?;
    let mut tx = state.db.write.begin().await?;
    check_open(&mut tx, campaign_id).await?;
    sqlx::query("DELETE FROM team_members WHERE team_id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM teams WHERE id = $1").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}
