//! The campaign dashboard: `GET /api/campaigns/{id}/summary` (the figures, charts and tables,
//! live) and `GET /api/campaigns/{id}/export.xlsx`. The CLI `jiafang report` goes through
//! [`summary`] too.

mod breakdown;
pub mod export;
mod figures;
mod filter;
pub mod report;

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

pub async fn summary(db: &Db, campaign_id: i64, query: &SummaryQuery, scope: Scope) -> Result<CampaignSummary> {
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
    let previous_figures = async {
        match &previous_filter {
            Some(f) => Ok(Some(figures::figures(db, f).await?.0)),
            None => Ok(None),
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
        figures::figures(db, &filter),
        previous_figures,
        breakdown::by_day(db, &filter),
        breakdown::by_area(db, &filter, false),
        breakdown::by_area(db, &filter, true),
        breakdown::meetings_by_college(db, &filter),
        breakdown::by_group(db, &filter, false),
        breakdown::by_group(db, &filter, true),
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
