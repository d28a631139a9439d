//! Scheduling meetings: one class's, every class's of a college or of the school at once, and
//! changes afterwards. Who may do which is checked by the caller, except the bulk's scope.

use shared::meetings::{BulkCreated, MeetingInput};
use shared::{CampaignId, MeetingId, Role, UserId};

use crate::auth::StaffUser;
use crate::dashboard::tally::{self, Subject};
use crate::db::{now, Db, Sql};
use crate::error::{Error, Result};
use crate::i18n::Msg;

const MAX_TEXT: usize = 2000;

/// Checks and tidies a meeting's fields; 422 names each field at fault.
fn validate(input: &mut MeetingInput) -> Result<()> {
    let mut errors = Vec::new();
    input.theme = shared::domain::normalize(&input.theme);
    input.description = input.description.trim().to_string();
    input.place = input.place.as_deref().map(shared::domain::normalize).filter(|p| !p.is_empty());
    input.online_url = input.online_url.as_deref().map(str::trim).filter(|u| !u.is_empty()).map(str::to_string);
    if input.theme.is_empty() || input.theme.chars().count() > 100 {
        errors.push(("theme".into(), Msg::new("请填写主题（最多 100 字）", "Give a theme (at most 100 characters)")));
    }
    if input.description.chars().count() > MAX_TEXT {
        errors.push(("description".into(), Msg::new("说明最多 2000 字", "At most 2000 characters")));
    }
    if input.ends_at <= input.starts_at || input.starts_at <= 0 {
        errors.push(("ends_at".into(), Msg::new("结束时间应晚于开始时间", "The end must come after the start")));
    }
    if input.signup_deadline > input.ends_at || input.signup_deadline <= 0 {
        errors.push((
            "signup_deadline".into(),
            Msg::new("报名截止时间不能晚于会议结束", "The sign-up deadline cannot be after the meeting ends"),
        ));
    }
    if input.place.is_none() && input.online_url.is_none() {
        errors.push(("place".into(), Msg::new("请填写地点或线上会议链接", "Give a place, an online link or both")));
    }
    if let Some(url) = &input.online_url {
        let ok = url::Url::parse(url).is_ok_and(|u| u.scheme() == "https" && u.host().is_some()) && url.len() <= 500;
        if !ok {
            errors.push((
                "online_url".into(),
                Msg::new("线上会议链接应以 https:// 开头", "The online link must start with https://"),
            ));
        }
    }
    if !(1..=10).contains(&input.per_family) {
        errors.push(("per_family".into(), Msg::new("每户人数应为 1 到 10", "People per family: 1 to 10")));
    }
    if !(1..=10_000).contains(&input.capacity) || input.capacity < input.per_family {
        errors.push((
            "capacity".into(),
            Msg::new("总人数应为 1 到 10000，且不少于每户人数", "Capacity: 1 to 10000, and at least people per family"),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

async fn check_campaign(db: &Db, campaign_id: Option<CampaignId>) -> Result<()> {
    if let Some(id) = campaign_id {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE id = $1").bind(id).fetch_one(&db.read).await?;
        if n == 0 {
            return Err(Error::field("campaign_id", Msg::new("没有这个活动", "No such campaign")));
        }
    }
    Ok(())
}

async fn insert(conn: &mut sqlx::AnyConnection, class_id: i64, m: &MeetingInput, user_id: UserId) -> Result<i64> {
    let at = now();
    let id = sqlx::query_scalar(
        "INSERT INTO meetings (class_id, campaign_id, theme, description, starts_at, ends_at, place, online_url, \
         per_family, capacity, signup_deadline, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(class_id)
    .bind(m.campaign_id)
    .bind(m.theme.clone())
    .bind(m.description.clone())
    .bind(m.starts_at)
    .bind(m.ends_at)
    .bind(m.place.clone())
    .bind(m.online_url.clone())
    .bind(m.per_family)
    .bind(m.capacity)
    .bind(m.signup_deadline)
    .bind(user_id)
    .bind(at)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// Schedules a meeting for a class the caller has been checked to see; returns its id.
pub async fn create(db: &Db, user: &StaffUser, class_id: i64, mut input: MeetingInput) -> Result<i64> {
    validate(&mut input)?;
    check_campaign(db, input.campaign_id).await?;
    let mut conn = db.write.acquire().await?;
    insert(&mut conn, class_id, &input, user.id).await
}

/// One themed meeting for every class of a college (`college_id`) or, for an admin, of the
/// whole school: each class gets a meeting of its own, editable afterwards.
pub async fn bulk_create(db: &Db, user: &StaffUser, mut input: MeetingInput) -> Result<BulkCreated> {
    user.require(&[Role::Admin, Role::CollegeLeader])?;
    if user.role == Role::CollegeLeader && input.college_id.is_some_and(|c| Some(c) != user.college_id) {
        return Err(Error::Forbidden);
    }
    validate(&mut input)?;
    check_campaign(db, input.campaign_id).await?;
    let mut sql = Sql::new("SELECT cl.id FROM classes cl WHERE 1 = 1");
    user.scope().restrict(&mut sql, "cl");
    if let Some(college_id) = input.college_id {
        sql.push(" AND cl.college_id = ").bind(college_id);
    }
    sql.push(" ORDER BY cl.id");
    let class_ids: Vec<i64> = {
        use sqlx::Row;
        sql.query().fetch_all(&db.read).await?.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?
    };
    if class_ids.is_empty() {
        return Err(Error::field("college_id", Msg::new("没有可安排的班级", "No classes to schedule for")));
    }
    // All or nothing: one transaction on the write connection.
    let mut tx = db.write.begin().await?;
    let mut meeting_ids = Vec::with_capacity(class_ids.len());
    for class_id in class_ids {
        meeting_ids.push(insert(&mut tx, class_id, &input, user.id).await?);
    }
    tx.commit().await?;
    Ok(BulkCreated { created: meeting_ids.len() as i64, meeting_ids: meeting_ids.into_iter().map(MeetingId).collect() })
}

/// Changes a meeting (with its share of the tallies: its campaign may change). Capacity cannot drop below the seats already taken; link expiry follows
/// the new times.
pub async fn update(db: &Db, id: i64, mut input: MeetingInput) -> Result<()> {
    validate(&mut input)?;
    check_campaign(db, input.campaign_id).await?;
    let mut tx = db.write.begin().await?;
    // The campaign may change: the meeting's part of the dashboard moves with it.
    tally::apply(&mut tx, Subject::Meeting(id), -1).await?;
    let updated = sqlx::query(
        "UPDATE meetings SET campaign_id = $1, theme = $2, description = $3, starts_at = $4, ends_at = $5, \
         place = $6, online_url = $7, per_family = $8, capacity = $9, signup_deadline = $10, updated_at = $11 \
         WHERE id = $12 AND seats_taken <= $9",
    )
    .bind(input.campaign_id)
    .bind(input.theme.clone())
    .bind(input.description.clone())
    .bind(input.starts_at)
    .bind(input.ends_at)
    .bind(input.place.clone())
    .bind(input.online_url.clone())
    .bind(input.per_family)
    .bind(input.capacity)
    .bind(input.signup_deadline)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Err(Error::Conflict(Msg::new(
            "已报名的人数超过了新的总人数，请先调整名额",
            "More people have seats than the new capacity allows",
        )));
    }
    tally::apply(&mut tx, Subject::Meeting(id), 1).await?;
    super::links::follow_meeting(&mut tx, id).await?;
    // A larger room lets waiting families in.
    super::seats::promote(&mut tx, id).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks the meeting as held (once; with its share of the tallies); families can then give
/// feedback.
pub async fn mark_held(db: &Db, id: i64) -> Result<()> {
    let mut tx = db.write.begin().await?;
    tally::apply(&mut tx, Subject::Meeting(id), -1).await?;
    sqlx::query("UPDATE meetings SET held_at = COALESCE(held_at, $1) WHERE id = $2")
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tally::apply(&mut tx, Subject::Meeting(id), 1).await?;
    tx.commit().await?;
    Ok(())
}
