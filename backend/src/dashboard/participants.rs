//! Who took part in a campaign's visits, by role (the report's staff line): authors and members,
//! each person counted once per role, each visit once per role.

use shared::participants::RoleParticipation;
use shared::{CampaignId, Role};

use crate::auth::Scope;
use crate::db::{Db, Sql};
use crate::error::Result;

#[derive(sqlx::FromRow)]
struct Row {
    role: String,
    people: i64,
    visits: i64,
}

/// The campaign's visits within `scope` (by the visited student's class), by the role of the
/// staff who wrote or joined them. Read on demand by the report, not by the live dashboard.
pub async fn participants(db: &Db, campaign_id: CampaignId, scope: Scope) -> Result<Vec<RoleParticipation>> {
    crate::campaigns::load(&mut *db.read.acquire().await?, campaign_id).await?;
    let mut sql = Sql::new(
        "SELECT u.role AS role, COUNT(DISTINCT p.user_id) AS people, COUNT(DISTINCT p.visit_id) AS visits \
         FROM (SELECT v.id AS visit_id, v.author_id AS user_id, v.student_id AS student_id FROM visits v \
               WHERE v.campaign_id = ",
    );
    sql.bind(campaign_id);
    sql.push(
        " UNION SELECT v.id, vm.user_id, v.student_id FROM visits v JOIN visit_members vm ON vm.visit_id = v.id \
          WHERE v.campaign_id = ",
    );
    sql.bind(campaign_id);
    sql.push(
        ") p JOIN users u ON u.id = p.user_id JOIN students s ON s.id = p.student_id \
         JOIN classes cl ON cl.id = s.class_id WHERE 1 = 1",
    );
    scope.restrict(&mut sql, "cl");
    sql.push(" GROUP BY u.role");
    let rows: Vec<Row> = sql.fetch_all(&db.read).await?;
    let mut out: Vec<RoleParticipation> = rows
        .into_iter()
        .filter_map(|r| Some(RoleParticipation { role: Role::from_code(&r.role)?, people: r.people, visits: r.visits }))
        .collect();
    out.sort_by_key(|r| Role::ALL.iter().position(|x| *x == r.role));
    Ok(out)
}
