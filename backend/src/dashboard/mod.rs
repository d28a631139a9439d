//! The campaign dashboard's figures, charts and tables: [`summary`] answers the API's
//! `GET /api/campaigns/{id}/summary` and the CLI's `jiafang report`; `export` writes the xlsx.
//! The figures come from the tallies ([`tally`], read by `tallied`) when the filters allow,
//! else from the raw rows (`figures`, `breakdown`).

mod breakdown;
pub mod export;
mod figures;
mod filter;
pub mod live;
mod participants;
pub mod priority;
pub mod report;
mod tallied;
pub mod tally;

use shared::dashboard::{CampaignSummary, Progress, SummaryQuery};
use shared::CampaignId;

use crate::auth::Scope;
use crate::db::Db;
use crate::error::Result;

pub use figures::HOUSEHOLD_KEY;
pub use filter::Filter;
pub use participants::participants;

/// Where the figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The tallies when the filters allow (no mode, no dates), else the raw rows.
    Best,
    /// Always the raw rows: the reference the tallies are checked against.
    Raw,
}

pub async fn summary(db: &Db, campaign_id: CampaignId, query: &SummaryQuery, scope: Scope) -> Result<CampaignSummary> {
    summary_from(db, campaign_id, query, scope, Source::Best).await
}

/// One of the summary's queries, to time it alone (benchmarks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chart {
    Figures,
    ByDay,
    ByCity,
    ByDistrict,
    MeetingsByCollege,
    ByCollege,
    ByCounselor,
}

impl Chart {
    pub const ALL: [Chart; 7] = [
        Chart::Figures,
        Chart::ByDay,
        Chart::ByCity,
        Chart::ByDistrict,
        Chart::MeetingsByCollege,
        Chart::ByCollege,
        Chart::ByCounselor,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Chart::Figures => "headline figures",
            Chart::ByDay => "visits by day",
            Chart::ByCity => "coverage by city",
            Chart::ByDistrict => "coverage by district",
            Chart::MeetingsByCollege => "meetings by college",
            Chart::ByCollege => "table by college",
            Chart::ByCounselor => "table by counselor",
        }
    }
}

/// Runs one of the summary's queries from the tallies, as the summary does without mode or date
/// filters (`query`'s mode and dates are not looked at); returns the number of rows it gave.
pub async fn chart(db: &Db, campaign_id: i64, query: &SummaryQuery, scope: Scope, chart: Chart) -> Result<usize> {
    let filter = &Filter::new(campaign_id, query, scope)?;
    Ok(match chart {
        Chart::Figures => tallied::figures(db, filter).await?.1.len(),
        Chart::ByDay => tallied::by_day(db, filter).await?.len(),
        Chart::ByCity => tallied::by_area(db, filter, false).await?.len(),
        Chart::ByDistrict => tallied::by_area(db, filter, true).await?.len(),
        Chart::MeetingsByCollege => tallied::meetings_by_college(db, filter).await?.len(),
        Chart::ByCollege => tallied::by_group(db, filter, false).await?.len(),
        Chart::ByCounselor => tallied::by_group(db, filter, true).await?.len(),
    })
}

/// The figures (without the previous campaign's) and the aspects.
async fn figures_of(
    db: &Db,
    filter: &Filter,
    tallied: bool,
) -> Result<(shared::dashboard::Figures, Vec<shared::dashboard::AspectCount>)> {
    if tallied {
        tallied::figures(db, filter).await
    } else {
        figures::figures(db, filter).await
    }
}

pub async fn summary_from(
    db: &Db,
    campaign_id: CampaignId,
    query: &SummaryQuery,
    scope: Scope,
    source: Source,
) -> Result<CampaignSummary> {
    let campaign = crate::campaigns::load(&mut *db.read.acquire().await?, campaign_id).await?;
    let filter = Filter::new(campaign_id.get(), query, scope)?;
    let previous_id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM campaigns WHERE starts_on < $1 ORDER BY starts_on DESC, id DESC LIMIT 1")
            .bind(campaign.starts_on.clone())
            .fetch_optional(&db.read)
            .await?;
    let previous = match previous_id {
        Some(id) => Some(crate::campaigns::load(&mut *db.read.acquire().await?, id.into()).await?),
        None => None,
    };
    let previous_filter = previous_id.map(|id| filter.for_campaign(id));
    // The tallies know no modes or dates: with those filters the raw rows answer.
    let tallied = source == Source::Best && filter.mode.is_none() && filter.from.is_none() && filter.to.is_none();
    let previous_figures = async {
        match &previous_filter {
            Some(f) => Ok(Some(figures_of(db, f, tallied).await?.0)),
            None => Ok(None),
        }
    };
    let filter = &filter;
    let by_area = |by_district: bool| async move {
        if tallied {
            tallied::by_area(db, filter, by_district).await
        } else {
            breakdown::by_area(db, filter, by_district).await
        }
    };
    let by_group = |by_counselor: bool| async move {
        if tallied {
            tallied::by_group(db, filter, by_counselor).await
        } else {
            breakdown::by_group(db, filter, by_counselor).await
        }
    };
    let by_day = async {
        if tallied {
            tallied::by_day(db, filter).await
        } else {
            breakdown::by_day(db, filter).await
        }
    };
    let feedback = async {
        let cond = feedback_cond(filter);
        let limit = Some(shared::feedback::SUGGESTIONS_IN_SUMMARY as i64);
        tokio::try_join!(
            crate::meetings::feedback::by_college(db, &cond),
            crate::meetings::feedback::suggestions(db, &cond, limit)
        )
    };
    let meetings_by_college = async {
        if tallied {
            tallied::meetings_by_college(db, filter).await
        } else {
            breakdown::meetings_by_college(db, filter).await
        }
    };
    // Independent queries, run side by side on the read pool.
    let (
        (figures, aspects),
        previous_figures,
        by_day,
        by_city,
        by_district,
        meetings_by_college,
        by_college,
        by_counselor,
        (feedback_by_college, feedback_suggestions),
    ) = tokio::try_join!(
        figures_of(db, filter, tallied),
        previous_figures,
        by_day,
        by_area(false),
        by_area(true),
        meetings_by_college,
        by_group(false),
        by_group(true),
        feedback,
    )?;
    let pct = |part: i64, whole: i64| (whole > 0).then(|| part * 100 / whole);
    let progress = Progress {
        target_students: campaign.target_students,
        target_in_person_pct: campaign.target_in_person_pct,
        students_pct: campaign.target_students.and_then(|t| pct(figures.students_reached, t)),
        in_person_pct: pct(figures.in_person_students, figures.students_reached),
    };
    Ok(CampaignSummary {
        progress,
        aspects,
        by_day,
        by_city,
        by_district,
        meetings_by_college,
        by_college,
        by_counselor,
        figures,
        campaign,
        previous,
        previous_figures,
        feedback_by_college,
        feedback_suggestions,
    })
}

/// ` AND ...` on a meeting's feedback (`f`, `m`, `cl`): the campaign's meetings in the classes
/// within the filters and scope. Feedback has no visit mode or date: those filters do not apply.
fn feedback_cond(filter: &Filter) -> crate::db::Sql {
    let mut sql = crate::db::Sql::new(" AND m.campaign_id = ");
    sql.bind(filter.campaign_id).push_sql(&filter.classes(true));
    sql
}

/// Every suggestion within the campaign, filters and scope, newest first (the xlsx export).
pub async fn feedback_suggestions(db: &Db, filter: &Filter) -> Result<Vec<shared::feedback::Suggestion>> {
    crate::meetings::feedback::suggestions(db, &feedback_cond(filter), None).await
}
