//! Priority families (issue 17, item 7): the students at hardship level 特别困难 within the
//! caller's scope that the campaign has not yet visited in person, per counselor. Hardship is
//! sensitive: only callers who may see it ask, and each answer is audited, one entry per student
//! listed (the filter "hardship = severe" tells each of them their level).

use shared::aid::{PriorityCounselor, PriorityList, PriorityStudent, PRIORITY_LEVEL};
use shared::{CampaignId, StudentId};

use crate::auth::StaffUser;
use crate::db::{Db, Sql};
use crate::error::{Error, Result};
use crate::{audit, campaigns};

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    student_no: String,
    name: String,
    class_id: i64,
    class_name: String,
    college_name: String,
    counselor_id: Option<i64>,
    counselor: Option<String>,
    /// 3 in person, 2 cloud, 1 phone, NULL not reached.
    contact: Option<i64>,
}

pub async fn list(db: &Db, campaign_id: CampaignId, user: &StaffUser) -> Result<PriorityList> {
    let scope = user.scope();
    if !scope.sees_sensitive() {
        return Err(Error::Forbidden);
    }
    let campaign = campaigns::load(&mut *db.read.acquire().await?, campaign_id).await?;
    // Starts from the index on `students (hardship, class_id)`: the few students at the level.
    let mut sql = Sql::new(
        "SELECT s.id, s.student_no, s.name, cl.id AS class_id, cl.name AS class_name, co.name AS college_name, \
         cl.counselor_id, u.display_name AS counselor, (SELECT CAST(MAX(CASE WHEN v.mode = 'in_person' THEN 3 \
         WHEN v.mode = 'cloud' THEN 2 ELSE 1 END) AS BIGINT) FROM visits v WHERE v.student_id = s.id AND v.campaign_id = ",
    );
    sql.bind(campaign_id.get());
    sql.push(
        ") AS contact FROM students s JOIN classes cl ON cl.id = s.class_id JOIN colleges co ON co.id = cl.college_id \
         LEFT JOIN users u ON u.id = cl.counselor_id WHERE s.hardship = ",
    );
    sql.bind(PRIORITY_LEVEL.code());
    scope.restrict(&mut sql, "cl");
    sql.push(" ORDER BY u.display_name, cl.counselor_id, cl.name, s.student_no");
    let rows: Vec<Row> = sql.fetch_all(&db.read).await?;
    let students = rows.len() as i64;
    let mut counselors: Vec<PriorityCounselor> = Vec::new();
    let mut listed: Vec<StudentId> = Vec::new();
    let mut visited_in_person = 0;
    for r in rows {
        if r.contact == Some(3) {
            visited_in_person += 1;
            continue;
        }
        listed.push(r.id.into());
        let student = PriorityStudent {
            id: r.id.into(),
            student_no: r.student_no,
            name: r.name,
            class_id: r.class_id.into(),
            class_name: r.class_name,
            college_name: r.college_name,
            reached_by: r.contact.map(|c| if c == 2 { "cloud" } else { "phone" }.to_string()),
        };
        let counselor_id = r.counselor_id.map(Into::into);
        match counselors.last_mut() {
            Some(last) if last.counselor_id == counselor_id => last.students.push(student),
            _ => counselors.push(PriorityCounselor {
                counselor_id,
                counselor: r.counselor.unwrap_or_default(),
                students: vec![student],
            }),
        }
    }
    let detail = format!(
        "campaign {} priority list (hardship = {}): {students} students, {} not yet visited in person",
        campaign.id,
        PRIORITY_LEVEL.code(),
        listed.len()
    );
    audit::record_filter(db, user.id, "read", &listed, &["hardship"], &detail).await?;
    Ok(PriorityList { rule_on: campaign.hardship_in_person, students, visited_in_person, counselors })
}
