//! The printable year-end report of a campaign (issue 17, item 9), rendered on the server as
//! HTML with inline SVG charts: `GET /api/campaigns/{id}/report` gives the `<article>` the web
//! page shows (within the caller's scope), `jiafang report --format html` the same article in a
//! whole document for the school. Its print rules are `frontend/report.css`, the one style sheet
//! both use (the web app links it; the command embeds it).

mod areas;
mod svg;

use shared::dashboard::{aid_sentence, report_details, report_sentence, CampaignSummary, GroupRow, SummaryQuery};
use shared::visits::fen_to_yuan;
use shared::{Aspect, CampaignId, Lang, VisitMode};

pub use areas::{OutOfProvince, Uncovered, HOME_PROVINCE};

use shared::participants::{participants_sentence, RoleParticipation};

use super::Filter;
use crate::auth::Scope;
use crate::db::Db;
use crate::error::Result;
use crate::visits::case_report::{self, ReportCase};

/// The print style sheet, shared with the web app.
pub const CSS: &str = include_str!("../../../../frontend/report.css");

pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Everything the report shows beyond the dashboard's summary.
#[derive(Debug, Clone, Default)]
pub struct Places {
    pub out_of_province: OutOfProvince,
    pub uncovered: Vec<Uncovered>,
    /// The staff who took part, by role (`dashboard::participants`).
    pub participants: Vec<RoleParticipation>,
    /// Typical cases with their photos (`visits::case_report`).
    pub cases: Vec<ReportCase>,
}

/// The report's `<article>` for the campaign: figures within `figures` (a school leader's is the
/// whole school), the typical cases — students' stories and photos — within `records`.
pub async fn article(db: &Db, campaign_id: CampaignId, figures: Scope, records: Scope) -> Result<String> {
    let summary = super::summary(db, campaign_id, &SummaryQuery::default(), figures).await?;
    article_of(db, &summary, figures, records).await
}

/// The article for a summary already computed (for the whole campaign within `figures`).
pub async fn article_of(db: &Db, summary: &CampaignSummary, figures: Scope, records: Scope) -> Result<String> {
    let id = summary.campaign.id;
    let filter = Filter::new(id.get(), &SummaryQuery::default(), figures)?;
    let (out_of_province, uncovered, participants, cases) = tokio::try_join!(
        areas::out_of_province(db, &filter),
        areas::uncovered(db, &filter),
        super::participants(db, id, figures),
        async { Ok(case_report::typical_cases(db, id, records).await?) },
    )?;
    Ok(render(summary, &Places { out_of_province, uncovered, participants, cases }))
}

/// A whole HTML document around the article (the command line's file).
pub fn document(title: &str, article: &str) -> String {
    format!(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{}</title><style>{CSS}</style>\
         </head><body>{article}</body></html>\n",
        esc(title)
    )
}

pub fn render(s: &CampaignSummary, places: &Places) -> String {
    let f = &s.figures;
    let mut html = format!(
        "<article class=\"report\" lang=\"zh\" data-testid=\"report\"><h1>{}工作总结</h1>\
         <p class=\"muted\">活动时间：{} 至 {}</p><p data-testid=\"report-sentence\">{}</p><p>{}</p>",
        esc(&s.campaign.name),
        esc(&s.campaign.starts_on),
        esc(&s.campaign.ends_on),
        esc(&report_sentence(f)),
        esc(&report_details(f)),
    );
    html.push_str(&format!(
        "<p data-testid=\"report-participants\">{}</p>",
        esc(&participants_sentence(&places.participants))
    ));
    let o = &places.out_of_province;
    html.push_str(&format!(
        "<p data-testid=\"report-out-of-province\">省外生源学生{}人，已覆盖{}人，其中实地走访{}人。</p>",
        o.students, o.reached, o.in_person
    ));
    if let Some(top) = s.aspects.iter().filter(|a| a.visits > 0).max_by_key(|a| a.visits) {
        html.push_str(&format!("<p>家访内容涵盖八个方面，其中“{}”最多。</p>", label_of(&top.aspect)));
    }
    if let (Some(p), Some(pf)) = (&s.previous, &s.previous_figures) {
        html.push_str(&format!(
            "<p>与{}相比，覆盖学生{}人（上次{}人），实地走访家庭{}户（上次{}户）。</p>",
            esc(&p.name),
            f.students_reached,
            pf.students_reached,
            f.in_person_households,
            pf.in_person_households
        ));
    }
    html.push_str(&uncovered(&places.uncovered));
    html.push_str(&charts(s));
    html.push_str(&aid(s));
    html.push_str(&table("按学院", "report-colleges", &s.by_college));
    html.push_str(&table("按辅导员", "report-counselors", &s.by_counselor));
    html.push_str(&feedback(s));
    html.push_str(&case_report::cases_html(&places.cases));
    html.push_str("</article>");
    html
}

fn uncovered(rows: &[Uncovered]) -> String {
    let mut html = String::from("<h2>未覆盖区县</h2><p data-testid=\"report-uncovered\">");
    if rows.is_empty() {
        html.push_str("有学生的区县均已覆盖。");
    } else {
        let list: Vec<String> =
            rows.iter().map(|u| format!("{}{}（{}人）", esc(&u.city), esc(&u.district), u.students)).collect();
        html.push_str(&format!("以下{}个区县有学生但本次尚未覆盖：{}。", rows.len(), list.join("、")));
    }
    html.push_str("</p><p class=\"muted\">没有学生的区县不计入。</p>");
    html
}

fn charts(s: &CampaignSummary) -> String {
    let modes = [VisitMode::InPerson, VisitMode::Cloud, VisitMode::Phone];
    let mut days: Vec<(String, Vec<i64>)> = Vec::new();
    for d in &s.by_day {
        if days.last().is_none_or(|(date, _)| *date != d.date) {
            days.push((d.date.clone(), vec![0; modes.len()]));
        }
        if let (Some(k), Some(last)) = (modes.iter().position(|m| m.code() == d.mode), days.last_mut()) {
            last.1[k] += d.visits;
        }
    }
    let names: Vec<&str> = modes.iter().map(|m| m.label(Lang::Zh)).collect();
    let mut html = String::from("<h2>图表</h2>");
    html.push_str(&svg::stacked("report-days", "每日家访（按方式）", &days, &names));
    let cities: Vec<(String, i64, String)> = shared::dashboard::LIAONING_CITIES
        .iter()
        .map(|city| match s.by_city.iter().find(|c| c.city == *city) {
            Some(c) => (city.to_string(), c.students.unwrap_or(0), c.students.map_or("<5".into(), |n| n.to_string())),
            None => (city.to_string(), 0, "未覆盖".into()),
        })
        .collect();
    html.push_str(&svg::hbars("report-cities", "城市覆盖（学生人数）", &cities));
    let aspects: Vec<(String, i64, String)> =
        s.aspects.iter().map(|a| (label_of(&a.aspect), a.visits, a.visits.to_string())).collect();
    html.push_str(&svg::hbars("report-aspects", "八个方面（家访次数）", &aspects));
    let meetings: Vec<(String, i64, String)> = s
        .meetings_by_college
        .iter()
        .map(|m| (m.college.clone(), m.held, format!("{}/{}班，到会{}户", m.held, m.classes, m.attendance)))
        .collect();
    html.push_str(&svg::hbars("report-meetings", "家长会（按学院，已召开班级）", &meetings));
    html
}

fn label_of(code: &str) -> String {
    Aspect::ALL.into_iter().find(|x| x.code() == code).map(|x| x.label_zh()).unwrap_or("").to_string()
}

fn aid(s: &CampaignSummary) -> String {
    format!("<h2>资助与慰问</h2><p data-testid=\"report-aid\">{}</p>", esc(&aid_sentence(&s.figures)))
}

fn table(title: &str, testid: &str, rows: &[GroupRow]) -> String {
    let mut html = format!(
        "<h2>{}</h2><table data-testid=\"{testid}\"><thead><tr><th>名称</th><th>学生数</th><th>已覆盖</th>\
         <th>实地</th><th>云端</th><th>待跟进</th><th>祝福包</th><th>慰问金（元）</th></tr></thead><tbody>",
        esc(title)
    );
    for r in rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.name),
            r.students,
            r.reached,
            r.in_person,
            r.cloud,
            r.follow_ups_open,
            r.packages,
            fen_to_yuan(r.grant_fen)
        ));
    }
    html.push_str("</tbody></table>");
    html
}

/// Parents' feedback: the sentence, the averages by college and the newest suggestions.
fn feedback(s: &CampaignSummary) -> String {
    let mut html = format!(
        "<h2>家长评价</h2><p data-testid=\"report-feedback-sentence\">{}</p>",
        esc(&shared::feedback::report_sentence(&s.feedback_by_college))
    );
    if !s.feedback_by_college.is_empty() {
        html.push_str(
            "<table data-testid=\"report-feedback\"><thead><tr><th>学院</th><th>评价数</th><th>平均分</th></tr>\
             </thead><tbody>",
        );
        for c in &s.feedback_by_college {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.college),
                c.ratings.responses,
                c.ratings.average_text()
            ));
        }
        html.push_str("</tbody></table>");
    }
    if !s.feedback_suggestions.is_empty() {
        html.push_str("<h3>家长意见建议（节选）</h3><ul data-testid=\"report-suggestions\">");
        for x in &s.feedback_suggestions {
            html.push_str(&format!(
                "<li>{}（{} {}，{}）</li>",
                esc(&x.text),
                esc(&x.college),
                esc(&x.class),
                esc(&x.date)
            ));
        }
        html.push_str("</ul>");
    }
    html
}
