//! Campaigns (专项行动): their rules and their store. The status only moves forward, and a closed
//! campaign is read-only. Who may change them is the API's to check (admins).

use chrono::NaiveDate;
use shared::campaigns::{Campaign, CampaignInput, CampaignStatus, StatusChange};
use shared::visits::VisitCampaign;
use shared::CampaignId;
use sqlx::AnyConnection;

use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::form::{is_unique_violation, Fields};
use crate::i18n::Msg;

/// A `campaigns` row as stored: the one shape every reader of campaigns uses.
#[derive(sqlx::FromRow)]
pub struct CampaignRow {
    id: i64,
    name: String,
    starts_on: String,
    ends_on: String,
    status: String,
    target_students: Option<i64>,
    target_in_person_pct: Option<i64>,
    hardship_in_person: i64,
}

impl CampaignRow {
    fn into_campaign(self) -> Result<Campaign> {
        let status = CampaignStatus::from_code(&self.status)
            .ok_or_else(|| anyhow::anyhow!("unknown campaign status {:?}", self.status))?;
        Ok(Campaign {
            id: self.id.into(),
            name: self.name,
            starts_on: self.starts_on,
            ends_on: self.ends_on,
            status,
            target_students: self.target_students,
            target_in_person_pct: self.target_in_person_pct,
            hardship_in_person: self.hardship_in_person != 0,
        })
    }
}

const COLUMNS: &str =
    "SELECT id, name, starts_on, ends_on, status, target_students, target_in_person_pct, hardship_in_person FROM campaigns";

pub const CLOSED: Msg = Msg::new("该活动已结束，不能再修改", "This campaign is closed and can no longer be changed");

/// A campaign by id, or 404.
pub async fn load(conn: &mut AnyConnection, id: CampaignId) -> Result<Campaign> {
    let row: Option<CampaignRow> =
        sqlx::query_as(&format!("{COLUMNS} WHERE id = $1")).bind(id.get()).fetch_optional(conn).await?;
    row.ok_or(Error::NotFound)?.into_campaign()
}

/// 409 when the campaign is closed: nothing of it may change any more.
pub async fn check_open(conn: &mut AnyConnection, id: CampaignId) -> Result<Campaign> {
    let campaign = load(conn, id).await?;
    if campaign.status == CampaignStatus::Closed {
        return Err(Error::Conflict(CLOSED));
    }
    Ok(campaign)
}

fn date(fields: &mut Fields, field: &str, text: &str) -> Option<NaiveDate> {
    let text = shared::domain::normalize(text);
    let parsed = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok().filter(|_| text.len() == 10);
    if parsed.is_none() {
        fields.add(field, Msg::new("请输入日期，格式为 YYYY-MM-DD", "Enter a date as YYYY-MM-DD"));
    }
    parsed
}

/// The input checked and normalised: 422 with a message per wrong field.
fn validate(input: &CampaignInput) -> Result<CampaignInput> {
    let mut fields = Fields::new();
    let name = fields.required("name", &input.name, 100);
    let starts = date(&mut fields, "starts_on", &input.starts_on);
    let ends = date(&mut fields, "ends_on", &input.ends_on);
    if let (Some(starts), Some(ends)) = (starts, ends) {
        if ends < starts {
            fields.add("ends_on", Msg::new("结束日期不能早于开始日期", "The end date cannot be before the start date"));
        }
    }
    let target_students = fields.range("target_students", input.target_students, 0..=10_000_000);
    let target_in_person_pct = fields.range("target_in_person_pct", input.target_in_person_pct, 0..=100);
    fields.finish()?;
    let iso = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
    Ok(CampaignInput {
        name,
        starts_on: iso(starts),
        ends_on: iso(ends),
        target_students,
        target_in_person_pct,
        hardship_in_person: input.hardship_in_person,
    })
}

fn duplicate_name() -> Error {
    Error::field("name", Msg::new("已有同名的活动", "A campaign with this name already exists"))
}

async fn name_taken(db: &Db, name: &str, except: Option<CampaignId>) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns WHERE name = $1 AND id <> $2")
        .bind(name.to_string())
        .bind(except.map_or(0, CampaignId::get))
        .fetch_one(&db.read)
        .await?;
    Ok(n > 0)
}

/// Every campaign, the newest first.
pub async fn list(db: &Db) -> Result<Vec<Campaign>> {
    let rows: Vec<CampaignRow> =
        sqlx::query_as(&format!("{COLUMNS} ORDER BY starts_on DESC, id DESC")).fetch_all(&db.read).await?;
    rows.into_iter().map(CampaignRow::into_campaign).collect()
}

/// Campaigns under way, in which visits are planned and logged.
pub async fn active(db: &Db) -> Result<Vec<VisitCampaign>> {
    let rows: Vec<CampaignRow> =
        sqlx::query_as(&format!("{COLUMNS} WHERE status = 'active' ORDER BY starts_on DESC, id DESC"))
            .fetch_all(&db.read)
            .await?;
    Ok(rows
        .into_iter()
        .map(|r| VisitCampaign { id: r.id.into(), name: r.name, starts_on: r.starts_on, ends_on: r.ends_on })
        .collect())
}

/// A campaign's id by its name (the command line names campaigns).
pub async fn id_by_name(db: &Db, name: &str) -> Result<Option<CampaignId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns WHERE name = $1")
        .bind(name.to_string())
        .fetch_optional(&db.read)
        .await?;
    Ok(id.map(CampaignId::from))
}

/// Creates a campaign as a draft (admins).
pub async fn create(db: &Db, input: &CampaignInput) -> Result<Campaign> {
    let c = validate(input)?;
    if name_taken(db, &c.name, None).await? {
        return Err(duplicate_name());
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO campaigns (name, starts_on, ends_on, status, target_students, target_in_person_pct, created_at, \
         hardship_in_person) VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.name)
    .bind(c.starts_on)
    .bind(c.ends_on)
    .bind(c.target_students)
    .bind(c.target_in_person_pct)
    .bind(now())
    .bind(i64::from(c.hardship_in_person))
    .fetch_one(&db.write)
    .await
    .map_err(|e| if is_unique_violation(&e) { duplicate_name() } else { e.into() })?;
    let mut conn = db.write.acquire().await?;
    load(&mut conn, id.into()).await
}

/// Changes a campaign's name, dates and targets (admins); 409 once it is closed.
pub async fn update(db: &Db, id: CampaignId, input: &CampaignInput) -> Result<Campaign> {
    let mut tx = db.write.begin().await?;
    check_open(&mut tx, id).await?;
    let c = validate(input)?;
    if name_taken(db, &c.name, Some(id)).await? {
        return Err(duplicate_name());
    }
    sqlx::query(
        "UPDATE campaigns SET name = $1, starts_on = $2, ends_on = $3, target_students = $4, \
         target_in_person_pct = $5, hardship_in_person = $6 WHERE id = $7",
    )
    .bind(c.name)
    .bind(c.starts_on)
    .bind(c.ends_on)
    .bind(c.target_students)
    .bind(c.target_in_person_pct)
    .bind(i64::from(c.hardship_in_person))
    .bind(id.get())
    .execute(&mut *tx)
    .await
    .map_err(|e| if is_unique_violation(&e) { duplicate_name() } else { e.into() })?;
    let campaign = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(campaign)
}

/// Moves a campaign forward: draft → active → closed (admins).
pub async fn change_status(db: &Db, id: CampaignId, change: &StatusChange) -> Result<Campaign> {
    let mut tx = db.write.begin().await?;
    let current = check_open(&mut tx, id).await?;
    if !current.status.can_become(change.status) {
        return Err(Error::Conflict(Msg::new(
            "活动状态只能向前推进：草稿 → 进行中 → 已结束",
            "A campaign's status only moves forward: draft → active → closed",
        )));
    }
    // The condition on the old status makes two racing changes apply once. Closing records
    // when: the retention periods count from then (`crate::retention`).
    let closed_at = (change.status == CampaignStatus::Closed).then(now);
    let done = sqlx::query(
        "UPDATE campaigns SET status = $1, closed_at = COALESCE($4, closed_at) WHERE id = $2 AND status = $3",
    )
    .bind(change.status.code())
    .bind(id.get())
    .bind(current.status.code())
    .bind(closed_at)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(Error::Conflict(Msg::new(
            "活动状态已被他人修改，请刷新",
            "Someone else changed the status; reload",
        )));
    }
    let campaign = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(campaign)
}
