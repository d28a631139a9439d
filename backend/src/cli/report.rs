//! `jiafang report --campaign NAME --format json|xlsx|html [--output FILE]`: the same summary as
//! the dashboard, for the whole school.

use std::io::Write;
use std::path::Path;

use shared::dashboard::{report_details, report_sentence, CampaignSummary, GroupRow, SummaryQuery};
use shared::participants::{participants_sentence, RoleParticipation};
use shared::Aspect;

use crate::auth::Scope;
use crate::db::Db;
use crate::{campaigns, dashboard};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Json,
    Xlsx,
    Html,
}

pub async fn run(database_url: &str, campaign: &str, format: Format, output: Option<&Path>) -> anyhow::Result<()> {
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    let id =
        campaigns::id_by_name(&db, campaign).await?.ok_or_else(|| anyhow::anyhow!("no campaign named {campaign}"))?;
    let query = SummaryQuery::default();
    let summary = dashboard::summary(&db, id, &query, Scope::All).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let bytes = match format {
        Format::Json => serde_json::to_vec_pretty(&summary)?,
        Format::Html => {
            let participants =
                dashboard::participants(&db, id, Scope::All).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            html(&summary, &participants).into_bytes()
        }
        Format::Xlsx => {
            let filter = dashboard::Filter::new(id.get(), &query, Scope::All).map_err(|e| anyhow::anyhow!("{e}"))?;
            let visits =
                dashboard::export::visit_rows(&db, &filter, false).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            let suggestions =
                dashboard::feedback_suggestions(&db, &filter).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            dashboard::export::workbook(&summary, &visits, &suggestions, false)?
        }
    };
    match output {
        Some(path) => std::fs::write(path, bytes)?,
        None => std::io::stdout().write_all(&bytes)?,
    }
    Ok(())
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn table(title: &str, rows: &[GroupRow]) -> String {
    let mut html = format!(
        "<h2>{}</h2><table><tr><th>名称</th><th>学生数</th><th>已覆盖</th><th>实地</th><th>云端</th><th>待跟进</th></tr>",
        esc(title)
    );
    for r in rows {
        html.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.name),
            r.students,
            r.reached,
            r.in_person,
            r.cloud,
            r.follow_ups_open
        ));
    }
    html.push_str("</table>");
    html
}

/// A plain, printable HTML summary in Chinese.
pub fn html(s: &CampaignSummary, participants: &[RoleParticipation]) -> String {
    let f = &s.figures;
    let mut html = format!(
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>{name}总结</title>\
         <style>@page{{size:A4;margin:18mm}}body{{font-family:sans-serif}}table{{border-collapse:collapse}}\
         td,th{{border:1px solid #999;padding:2px 6px;text-align:right}}</style></head><body>\
         <h1>{name}工作总结</h1><p>{}</p><p>{}</p><p>{}</p>",
        esc(&report_sentence(f)),
        esc(&report_details(f)),
        esc(&participants_sentence(participants)),
        name = esc(&s.campaign.name)
    );
    html.push_str("<h2>八个方面</h2><table><tr><th>方面</th><th>家访次数</th></tr>");
    for a in &s.aspects {
        let label = Aspect::ALL.into_iter().find(|x| x.code() == a.aspect).map(|x| x.label_zh()).unwrap_or("");
        html.push_str(&format!("<tr><td>{}</td><td>{}</td></tr>", esc(label), a.visits));
    }
    html.push_str("</table>");
    html.push_str(&table("按学院", &s.by_college));
    html.push_str(&table("按辅导员", &s.by_counselor));
    html.push_str(&feedback(s));
    html.push_str("</body></html>\n");
    html
}

/// Parents' feedback: the sentence, the averages by college and the newest suggestions.
fn feedback(s: &CampaignSummary) -> String {
    let mut html =
        format!("<h2>家长评价</h2><p>{}</p>", esc(&shared::feedback::report_sentence(&s.feedback_by_college)));
    if !s.feedback_by_college.is_empty() {
        html.push_str("<table><tr><th>学院</th><th>评价数</th><th>平均分</th></tr>");
        for c in &s.feedback_by_college {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&c.college),
                c.ratings.responses,
                c.ratings.average_text()
            ));
        }
        html.push_str("</table>");
    }
    if !s.feedback_suggestions.is_empty() {
        html.push_str("<h3>家长意见建议（节选）</h3><ul>");
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
