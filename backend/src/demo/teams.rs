//! The demo's winter teams: school leaders (校领导) and the Student Affairs Office on the
//! colleges' visits, as the school's own report describes them.

use sqlx::AnyConnection;

/// The winter campaign's teams, one per college, led by the school leaders in turn with the
/// Student Affairs Office as a member; the team's leader joined each of the college's in-person
/// visits, the Office every third.
pub async fn leaders_on_winter_visits(conn: &mut AnyConnection, winter: i64) -> anyhow::Result<()> {
    let leaders: Vec<i64> = sqlx::query_scalar("SELECT id FROM users WHERE role = 'school_leader' ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    let admin: i64 = sqlx::query_scalar("SELECT MIN(id) FROM users WHERE role = 'admin'").fetch_one(&mut *conn).await?;
    let colleges: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM colleges ORDER BY id").fetch_all(&mut *conn).await?;
    for (i, (college_id, college)) in colleges.iter().enumerate() {
        let team: i64 = sqlx::query_scalar(
            "INSERT INTO teams (campaign_id, college_id, name, leader_id) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(winter)
        .bind(college_id)
        .bind(format!("{college}寒假家访小组"))
        .bind(leaders.get(i % leaders.len().max(1)).copied())
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query("INSERT INTO team_members (team_id, user_id) VALUES ($1, $2)")
            .bind(team)
            .bind(admin)
            .execute(&mut *conn)
            .await?;
    }
    for (who, every) in [("t.leader_id".to_string(), 1), (admin.to_string(), 3)] {
        sqlx::query(&format!(
            "INSERT INTO visit_members (visit_id, user_id) SELECT v.id, {who} FROM visits v \
             JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id \
             JOIN teams t ON t.campaign_id = v.campaign_id AND t.college_id = cl.college_id \
             WHERE v.campaign_id = $1 AND v.mode = 'in_person' AND v.id % {every} = 0 AND t.leader_id IS NOT NULL"
        ))
        .bind(winter)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}
