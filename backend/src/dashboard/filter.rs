//! The WHERE clauses every figure shares: the campaign, the caller's filters and scope.

use shared::dashboard::SummaryQuery;
use shared::{ClassId, UserId, VisitMode};

use crate::auth::Scope;
use crate::db::Sql;
use crate::error::{Error, Result};
use crate::i18n::Msg;

/// A checked filter set for one campaign.
#[derive(Debug, Clone)]
pub struct Filter {
    pub campaign_id: i64,
    pub college_id: Option<i64>,
    pub class_id: Option<i64>,
    pub counselor_id: Option<i64>,
    pub mode: Option<VisitMode>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub scope: Scope,
}

fn is_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok()
}

impl Filter {
    pub fn new(campaign_id: i64, query: &SummaryQuery, scope: Scope) -> Result<Filter> {
        let mut errors = Vec::new();
        let mode = match query.mode.as_deref().filter(|m| !m.is_empty()) {
            None => None,
            Some(code) => {
                let mode = VisitMode::parse(code).ok();
                if mode.is_none() {
                    errors.push(("mode".into(), Msg::new("家访方式无效", "Unknown visit mode")));
                }
                mode
            }
        };
        let date = |field: &str, value: &Option<String>, errors: &mut Vec<(String, Msg)>| {
            let value = value.clone().filter(|v| !v.is_empty());
            if value.as_deref().is_some_and(|v| !is_date(v)) {
                errors.push((field.into(), Msg::new("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD")));
            }
            value
        };
        let from = date("from", &query.from, &mut errors);
        let to = date("to", &query.to, &mut errors);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(Filter {
            campaign_id,
            college_id: query.college_id,
            class_id: query.class_id.map(ClassId::get),
            counselor_id: query.counselor_id.map(UserId::get),
            mode,
            from,
            to,
            scope,
        })
    }

    /// ` AND ...` on the `classes` row `cl`: the organisational filters and, if `scoped`, the scope.
    pub fn classes(&self, scoped: bool) -> Sql {
        let mut sql = Sql::new("");
        if let Some(id) = self.college_id {
            sql.push(" AND cl.college_id = ").bind(id);
        }
        if let Some(id) = self.class_id {
            sql.push(" AND cl.id = ").bind(id);
        }
        if let Some(id) = self.counselor_id {
            sql.push(" AND cl.counselor_id = ").bind(id);
        }
        if scoped {
            self.scope.restrict(&mut sql, "cl");
        }
        sql
    }

    /// `FROM visits v JOIN students s JOIN classes cl WHERE ...`: the campaign's visits that count.
    pub fn visits(&self, scoped: bool) -> Sql {
        self.visits_joined(scoped, "")
    }

    /// [`Filter::visits`] with more joins (`joins` starts with a space).
    pub fn visits_joined(&self, scoped: bool, joins: &str) -> Sql {
        let mut sql = Sql::new(&format!(
            " FROM visits v JOIN students s ON s.id = v.student_id JOIN classes cl ON cl.id = s.class_id{joins} \
             WHERE v.campaign_id = "
        ));
        sql.bind(self.campaign_id);
        sql.push_sql(&self.visit_conditions(scoped));
        sql
    }

    /// ` AND ...` on the visit `v` (mode, dates) and its class `cl`.
    pub fn visit_conditions(&self, scoped: bool) -> Sql {
        let mut sql = self.own_conditions();
        sql.push_sql(&self.classes(scoped));
        sql
    }

    /// ` AND ...` on the visit `v` alone: mode and dates.
    pub fn own_conditions(&self) -> Sql {
        let mut sql = Sql::new("");
        if let Some(mode) = self.mode {
            sql.push(" AND v.mode = ").bind(mode.code());
        }
        if let Some(from) = &self.from {
            sql.push(" AND v.visited_on >= ").bind(from.clone());
        }
        if let Some(to) = &self.to {
            sql.push(" AND v.visited_on <= ").bind(to.clone());
        }
        sql
    }

    /// Whether the class filters or the scope leave out any class.
    pub fn narrows_classes(&self, scoped: bool) -> bool {
        self.college_id.is_some()
            || self.class_id.is_some()
            || self.counselor_id.is_some()
            || (scoped && self.scope != Scope::All)
    }

    /// `FROM visits v ... WHERE ...` for figures that read only the visit's own columns: without
    /// the joins when no class is left out, so the campaign's index alone answers.
    pub fn visits_lean(&self) -> Sql {
        if self.narrows_classes(true) {
            return self.visits(true);
        }
        let mut sql = Sql::new(" FROM visits v WHERE v.campaign_id = ");
        sql.bind(self.campaign_id);
        sql.push_sql(&self.own_conditions());
        sql
    }

    /// The same filters for another campaign (the previous one).
    pub fn for_campaign(&self, campaign_id: i64) -> Filter {
        Filter { campaign_id, ..self.clone() }
    }
}
