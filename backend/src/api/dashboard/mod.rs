//! The campaign dashboard: `GET /api/campaigns/{id}/summary` (the figures, charts and tables,
//! live) and `GET /api/campaigns/{id}/export.xlsx`. The CLI `jiafang report` goes through
//! [`summary`] too.

mod breakdown;
pub mod export;
mod figures;
mod filter;
pub mod report;
mod tallied;
pub mod tally;

use axum::extract::State;
use shared::dashboard::{CampaignSummary, Progress, SummaryQuery};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{Scope, StaffUser};
use crate::db::Db;
use crate::error::{Error, Json, Path, Query, Result};
use crate::AppState;

pub use figures::HOUSEHOLD_KEY;
pub use filter::Filter;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_summary)).routes(routes!(export::export_xlsx))
}

/// The campaign's figures within the caller's scope and the filters, beside the previous campaign's.
#[utoipa::path(get, path = "/api/campaigns/{id}/summary", tag = "dashboard", params(("id" = i64, Path), SummaryQuery),
    responses((status = 200, body = CampaignSummary), (status = 401, body = shared::ApiError),
              (status = 404, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
async fn get_summary(
    State(state): State<AppState>,
    user: StaffUser,
    Path(id): Path<i64>,
    Query(query): Query<SummaryQuery>,
) -> Result<Json<CampaignSummary>> {
    Ok(Json(summary(&state.db, id, &query, user.scope()).await?))
}

/// The campaign's id by name (for the CLI).
pub async fn campaign_id(db: &Db, name: &str) -> Result<i64> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM campaigns WHERE name = $1").bind(name).fetch_optional(&db.read).await?;
    id.ok_or(Error::NotFound)
}

/// Where the figures come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The tallies when the filters allow (no mode, no dates), else the raw rows.
    Best,
    /// Always the raw rows: the reference the tallies are checked against.
    Raw,
}

pub async fn summary(db: &Db, campaign_id: i64, query: &SummaryQuery, scope: Scope) -> Result<CampaignSummary> {
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
    campaign_id: i64,
    query: &SummaryQuery,
    scope: Scope,
    source: Source,
) -> Result<CampaignSummary> {
    let campaign = super::campaigns::load(&mut *db.read.acquire().await?, campaign_id).await?;
    let filter = Filter::new(campaign_id, query, scope)?;
    let previous_id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM campaigns WHERE starts_on < $1 ORDER BY starts_on DESC, id DESC LIMIT 1")
            .bind(campaign.starts_on.clone())
            .fetch_optional(&db.read)
            .await?;
    let previous = match previous_id {
        Some(id) => Some(super::campaigns::load(&mut *db.read.acquire().await?, id).await?),
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
    ) = tokio::try_join!(
        figures_of(db, filter, tallied),
        previous_figures,
        by_day,
        by_area(false),
        by_area(true),
        meetings_by_college,
        by_group(false),
        by_group(true),
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
    })
}
