//! Retention (issue 19 item 3): per campaign, how long its visit notes, sensitive notes,
//! families' concerns, photos and family links are kept after it closes (`shared::retention`,
//! defaults in `DEFAULTS`, why in docs/privacy.md), the dry run that lists what would go, and the
//! run that removes it. What the figures read stays: a visit keeps its date, mode, aspects, grant
//! and gifts, a concern its topic, so the dashboard's tallies and the report do not move; rows
//! counted nowhere (photos, links) are deleted. The daily job is `job`.

pub mod job;

use chrono::{Duration, NaiveDate};
use shared::retention::{CampaignRetention, Kept, RetentionItem, RetentionPeriods, DEFAULTS, MAX_DAYS};
use shared::{CampaignId, UserId, VisitId};
use sqlx::AnyConnection;

use crate::auth::StaffUser;
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::visits::blank::{self, Blank};

/// Beijing time, which the school's days follow.
const UTC_OFFSET: i64 = 8 * 3600;

/// The day (Beijing time) of a moment.
pub fn beijing_day(at: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp(at + UTC_OFFSET, 0).map(|d| d.date_naive()).unwrap_or_default()
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    name: String,
    ends_on: String,
    status: String,
    closed_at: Option<i64>,
    keep_visit_notes_days: Option<i64>,
    keep_sensitive_notes_days: Option<i64>,
    keep_concerns_days: Option<i64>,
    keep_photos_days: Option<i64>,
    keep_family_links_days: Option<i64>,
}

const COLUMNS: &str = "SELECT id, name, ends_on, status, closed_at, keep_visit_notes_days, \
     keep_sensitive_notes_days, keep_concerns_days, keep_photos_days, keep_family_links_days FROM campaigns";

impl Row {
    fn periods(&self) -> RetentionPeriods {
        RetentionPeriods {
            visit_notes_days: self.keep_visit_notes_days.unwrap_or(DEFAULTS.visit_notes_days),
            sensitive_notes_days: self.keep_sensitive_notes_days.unwrap_or(DEFAULTS.sensitive_notes_days),
            concerns_days: self.keep_concerns_days.unwrap_or(DEFAULTS.concerns_days),
            photos_days: self.keep_photos_days.unwrap_or(DEFAULTS.photos_days),
            family_links_days: self.keep_family_links_days.unwrap_or(DEFAULTS.family_links_days),
        }
    }

    /// The day the periods count from: the later of the end date and the day it was closed;
    /// `None` while it is not closed (nothing of an open campaign expires).
    fn counted_from(&self) -> Option<NaiveDate> {
        if self.status != "closed" {
            return None;
        }
        let end = NaiveDate::parse_from_str(&self.ends_on, "%Y-%m-%d").ok();
        end.max(self.closed_at.map(beijing_day))
    }
}

async fn row(conn: &mut AnyConnection, id: CampaignId) -> Result<Row> {
    let row: Option<Row> =
        sqlx::query_as(&format!("{COLUMNS} WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await?;
    row.ok_or(Error::NotFound)
}

/// The campaign's visits, whose notes a kind blanks.
async fn visit_ids(conn: &mut AnyConnection, campaign: i64) -> sqlx::Result<Vec<VisitId>> {
    sqlx::query_scalar("SELECT id FROM visits WHERE campaign_id = $1 ORDER BY id").bind(campaign).fetch_all(conn).await
}

fn blank_of(kind: Kept) -> Option<Blank> {
    match kind {
        Kept::VisitNotes => Some(Blank { notes: true, sensitive: false }),
        Kept::SensitiveNotes => Some(Blank { notes: false, sensitive: true }),
        _ => None,
    }
}

const CONCERNS: &str = "FROM meeting_concerns WHERE meeting_id IN (SELECT id FROM meetings WHERE campaign_id = $1) \
     AND (text <> '' OR (reply IS NOT NULL AND reply <> ''))";
const PHOTOS: &str = "FROM visit_photos WHERE visit_id IN (SELECT id FROM visits WHERE campaign_id = $1)";
const LINKS: &str =
    "FROM meeting_links WHERE guardian_id IS NOT NULL AND meeting_id IN (SELECT id FROM meetings WHERE campaign_id = $1)";

/// Rows of the campaign still holding `kind`.
async fn held(conn: &mut AnyConnection, campaign: i64, kind: Kept) -> sqlx::Result<i64> {
    let from = match kind {
        Kept::VisitNotes | Kept::SensitiveNotes => {
            let ids = visit_ids(conn, campaign).await?;
            let blank = blank_of(kind).expect("a visit kind");
            return Ok(blank::holding(conn, &ids, blank).await?.len() as i64);
        }
        Kept::Concerns => CONCERNS,
        Kept::Photos => PHOTOS,
        Kept::FamilyLinks => LINKS,
    };
    sqlx::query_scalar(&format!("SELECT COUNT(*) {from}")).bind(campaign).fetch_one(conn).await
}

/// Removes or blanks `kind` of the campaign in the caller's transaction; how many rows.
async fn remove(conn: &mut AnyConnection, campaign: i64, kind: Kept) -> sqlx::Result<u64> {
    let sql = match kind {
        Kept::VisitNotes | Kept::SensitiveNotes => {
            let ids = visit_ids(conn, campaign).await?;
            return blank::blank_notes(conn, &ids, blank_of(kind).expect("a visit kind")).await;
        }
        Kept::Concerns => format!(
            "UPDATE meeting_concerns SET text = '', reply = CASE WHEN reply IS NULL THEN NULL ELSE '' END \
             WHERE id IN (SELECT id {CONCERNS})"
        ),
        Kept::Photos => format!("DELETE {PHOTOS}"),
        // The links' sessions end with them; the messages sent with a link keep their record.
        Kept::FamilyLinks => {
            for sql in [
                format!("DELETE FROM family_sessions WHERE link_id IN (SELECT id {LINKS})"),
                format!("UPDATE meeting_messages SET link_id = NULL WHERE link_id IN (SELECT id {LINKS})"),
            ] {
                sqlx::query(&sql).bind(campaign).execute(&mut *conn).await?;
            }
            format!("DELETE {LINKS}")
        }
    };
    Ok(sqlx::query(&sql).bind(campaign).execute(&mut *conn).await?.rows_affected())
}

async fn plan(conn: &mut AnyConnection, row: &Row, at: i64) -> sqlx::Result<CampaignRetention> {
    let periods = row.periods();
    let from = row.counted_from();
    let today = beijing_day(at);
    let mut items = Vec::new();
    for kind in Kept::ALL {
        let days = kind.days(&periods);
        let expires = from.map(|f| f + Duration::days(days));
        items.push(RetentionItem {
            kind,
            days,
            expires_on: expires.map(|d| d.to_string()),
            expired: expires.is_some_and(|d| d <= today),
            held: held(conn, row.id, kind).await?,
        });
    }
    Ok(CampaignRetention {
        campaign_id: CampaignId(row.id),
        campaign_name: row.name.clone(),
        periods,
        defaults: DEFAULTS,
        counted_from: from.map(|d| d.to_string()),
        items,
    })
}

/// The campaign's periods and the dry run: what the run would remove now (admins).
pub async fn dry_run(db: &Db, user: &StaffUser, id: CampaignId) -> Result<CampaignRetention> {
    user.require(&[shared::Role::Admin])?;
    let mut conn = db.read.acquire().await?;
    let row = row(&mut conn, id).await?;
    Ok(plan(&mut conn, &row, now()).await?)
}

/// Every closed campaign's dry run (the command line's `--dry-run`).
pub async fn dry_run_all(db: &Db, at: i64) -> Result<Vec<CampaignRetention>> {
    let mut conn = db.read.acquire().await?;
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{COLUMNS} WHERE status = 'closed' ORDER BY id")).fetch_all(&mut *conn).await?;
    let mut plans = Vec::new();
    for row in &rows {
        plans.push(plan(&mut conn, row, at).await?);
    }
    Ok(plans)
}

/// Sets a campaign's periods (admins): each 0 to `MAX_DAYS` days (422 per field). Audited.
pub async fn save_periods(db: &Db, user: &StaffUser, id: CampaignId, p: RetentionPeriods) -> Result<CampaignRetention> {
    user.require(&[shared::Role::Admin])?;
    let fields = [
        ("visit_notes_days", p.visit_notes_days),
        ("sensitive_notes_days", p.sensitive_notes_days),
        ("concerns_days", p.concerns_days),
        ("photos_days", p.photos_days),
        ("family_links_days", p.family_links_days),
    ];
    let errors: Vec<(String, Msg)> = fields
        .iter()
        .filter(|(_, days)| !(0..=MAX_DAYS).contains(days))
        .map(|(name, _)| (name.to_string(), Msg::new("请填写 0 到 3650 天", "Between 0 and 3650 days")))
        .collect();
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    let done = sqlx::query(
        "UPDATE campaigns SET keep_visit_notes_days = $1, keep_sensitive_notes_days = $2, keep_concerns_days = $3, \
         keep_photos_days = $4, keep_family_links_days = $5 WHERE id = $6",
    )
    .bind(p.visit_notes_days)
    .bind(p.sensitive_notes_days)
    .bind(p.concerns_days)
    .bind(p.photos_days)
    .bind(p.family_links_days)
    .bind(id)
    .execute(&db.write)
    .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    let detail = format!("retention periods of campaign {id} set to {p:?}");
    crate::audit::record(db, user.id, "retention", None, &[], &detail).await?;
    dry_run(db, user, id).await
}

/// What one run removed: per campaign and kind, the rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Removed(pub Vec<(CampaignId, String, Kept, u64)>);

impl std::fmt::Display for Removed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return write!(f, "nothing had expired");
        }
        let parts: Vec<String> =
            self.0.iter().map(|(id, name, kind, n)| format!("campaign {id} ({name}): {} {n}", kind.code())).collect();
        write!(f, "{}", parts.join("; "))
    }
}

/// Removes everything expired at `at` in every closed campaign, one transaction per campaign
/// and kind, and audits the run (by `by`, or the job when `None`; `how` says which).
pub async fn run(db: &Db, at: i64, by: Option<UserId>, how: &str) -> Result<Removed> {
    let mut removed = Removed::default();
    for plan in dry_run_all(db, at).await? {
        for item in plan.items.iter().filter(|i| i.expired && i.held > 0) {
            let mut tx = db.write.begin().await?;
            let n = remove(&mut tx, plan.campaign_id.get(), item.kind).await?;
            tx.commit().await?;
            removed.0.push((plan.campaign_id, plan.campaign_name.clone(), item.kind, n));
        }
    }
    let detail = format!("retention run ({how}): {removed}");
    crate::audit::record_as(db, by, "retention", None, &[], &detail).await?;
    tracing::info!(%removed, how, "retention run");
    Ok(removed)
}
