//! The kinds of message switched off per campaign (`campaign_messages_off`, migration 0017): the
//! store, and the checks every place that queues a message makes. A meeting outside any
//! campaign sends every kind.

use shared::messages::{CampaignMessages, MessageSwitch};
use shared::CampaignId;
use sqlx::AnyConnection;

use crate::db::Db;
use crate::error::Result;

/// The kinds switched off for `campaign` (404 if there is no such campaign).
pub async fn of_campaign(conn: &mut AnyConnection, campaign: CampaignId) -> Result<CampaignMessages> {
    crate::campaigns::load(&mut *conn, campaign).await?;
    let codes: Vec<String> = sqlx::query_scalar("SELECT kind FROM campaign_messages_off WHERE campaign_id = $1")
        .bind(campaign.get())
        .fetch_all(&mut *conn)
        .await?;
    let off = MessageSwitch::ALL.into_iter().filter(|k| codes.iter().any(|c| c == k.code())).collect();
    Ok(CampaignMessages { off })
}

/// Replaces the kinds switched off (admins); 409 once the campaign is closed.
pub async fn set(db: &Db, campaign: CampaignId, wanted: &CampaignMessages) -> Result<CampaignMessages> {
    let mut tx = db.write.begin().await?;
    crate::campaigns::check_open(&mut tx, campaign).await?;
    sqlx::query("DELETE FROM campaign_messages_off WHERE campaign_id = $1")
        .bind(campaign.get())
        .execute(&mut *tx)
        .await?;
    for kind in MessageSwitch::ALL.into_iter().filter(|k| wanted.off.contains(k)) {
        // Two admins saving at once: the later save's rows are already there, not an error.
        sqlx::query("INSERT INTO campaign_messages_off (campaign_id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(campaign.get())
            .bind(kind.code())
            .execute(&mut *tx)
            .await?;
    }
    let now = of_campaign(&mut tx, campaign).await?;
    tx.commit().await?;
    Ok(now)
}

/// `NOT EXISTS (…)`: `kind` is not switched off for the campaign of the meeting whose id is the
/// SQL expression `meeting` — for a statement that queues many messages at once.
pub fn on_for_meeting(meeting: &str, kind: MessageSwitch) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM campaign_messages_off o JOIN meetings om ON om.campaign_id = o.campaign_id \
         WHERE om.id = {meeting} AND o.kind = '{}')",
        kind.code()
    )
}

/// Whether `campaign` (none: yes) sends `kind`.
pub async fn campaign_sends(db: &Db, campaign: Option<i64>, kind: MessageSwitch) -> Result<bool> {
    let Some(campaign) = campaign else { return Ok(true) };
    let n: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM campaign_messages_off WHERE campaign_id = $1 AND kind = $2",
    )
    .bind(campaign)
    .bind(kind.code())
    .fetch_one(&db.read)
    .await?;
    Ok(n == 0)
}
