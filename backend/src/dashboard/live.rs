//! The live dashboard's change tag (issue 15): the dashboard polls its summary every few seconds
//! with `If-None-Match`, and the server answers 304 without computing the summary when this tag
//! is unchanged. The tag is derived from the tallies in the database, not from anything in one
//! process, so it holds with several stateless instances on one PostgreSQL database.
//!
//! Every write that moves a tally row of `dash_classes` or `dash_class_sizes` also adds one to
//! that row's `version` (migration 0012, [`super::tally`]); a family's feedback touches its
//! meeting's class row too. The tag hashes, for the campaign and the one before it, the number
//! and the sum of the versions of the class rows within the filters (not the scope: the
//! coverage charts show the whole school), the class sizes within filters and scope, the
//! campaign's own row, the filters and the scope. A visit, an answer, attendance, a held mark,
//! feedback or a roster change anywhere the summary looks changes it; renaming a class or a
//! college does not (the dashboard shows that at its next change or reload).

use sha2::{Digest, Sha256};
use shared::dashboard::SummaryQuery;
use shared::CampaignId;
use sqlx::Row;

use super::filter::Filter;
use crate::auth::Scope;
use crate::db::{Db, Sql};
use crate::error::Result;

/// The tag of what `dashboard::summary(db, campaign_id, query, scope)` would answer now, as a
/// strong ETag (`"…"`). 404 and 422 as the summary gives them.
pub async fn tag(db: &Db, campaign_id: CampaignId, query: &SummaryQuery, scope: Scope) -> Result<String> {
    let campaign = crate::campaigns::load(&mut *db.read.acquire().await?, campaign_id).await?;
    let filter = Filter::new(campaign_id.get(), query, scope)?;
    // The campaign and the one before it by start date (whose figures the summary shows beside).
    let mut classes = Sql::new(" FROM dash_classes d JOIN classes cl ON cl.id = d.class_id WHERE (d.campaign_id = ");
    classes.bind(campaign_id.get()).push(" OR d.campaign_id = (SELECT p.id FROM campaigns p WHERE p.starts_on < ");
    classes.bind(campaign.starts_on.clone()).push(" ORDER BY p.starts_on DESC, p.id DESC LIMIT 1))");
    classes.push_sql(&filter.classes(false));
    let mut sizes = Sql::new(" FROM dash_class_sizes d JOIN classes cl ON cl.id = d.class_id WHERE 1 = 1");
    sizes.push_sql(&filter.classes(true));
    let mut sql = Sql::new("SELECT ");
    for (i, from) in [&classes, &sizes].into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(SELECT CAST(COUNT(*) AS BIGINT)").push_sql(from).push("), ");
        sql.push("(SELECT CAST(COALESCE(SUM(d.version), 0) AS BIGINT)").push_sql(from).push(")");
    }
    let row = sql.query().fetch_one(&db.read).await?;
    let mut hash = Sha256::new();
    for i in 0..4 {
        hash.update(row.try_get::<i64, _>(i)?.to_le_bytes());
    }
    hash.update(serde_json::to_vec(&campaign).map_err(anyhow::Error::from)?);
    hash.update(serde_json::to_vec(query).map_err(anyhow::Error::from)?);
    hash.update(format!("{scope:?}").as_bytes());
    let digest = hash.finalize();
    Ok(format!("\"d{}\"", hex::encode(&digest[..12])))
}

/// Whether an `If-None-Match` header value names `tag` (a list, weak or strong, or `*`).
pub fn matches(if_none_match: &str, tag: &str) -> bool {
    if_none_match.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == tag || t == "*")
}

#[cfg(test)]
mod tests {
    #[test]
    fn if_none_match_lists() {
        assert!(super::matches("\"da1\"", "\"da1\""));
        assert!(super::matches("W/\"x\", \"da1\"", "\"da1\""));
        assert!(super::matches("*", "\"da1\""));
        assert!(!super::matches("\"da2\"", "\"da1\""));
    }
}
