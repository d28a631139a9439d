//! The campaign report's section of typical cases (典型案例): each case's student, class, date
//! and story, with its photos inlined as `data:` URLs so that the page (and
//! `jiafang report --format html`) is one self-contained file that prints without a session.
//! The report calls `typical_cases` then `cases_html`; only cases of classes in `scope`.

use base64::Engine;
use shared::CampaignId;

use crate::auth::Scope;
use crate::db::{Db, Sql};

/// One typical case as the report shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportCase {
    pub student_name: String,
    pub class_name: String,
    pub college_name: String,
    pub date: String,
    pub story: String,
    /// Content type and bytes of each photo, in the order added.
    pub photos: Vec<(String, Vec<u8>)>,
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    visit_id: i64,
    student_name: String,
    class_name: String,
    college_name: String,
    visited_on: String,
    story: String,
}

/// The campaign's typical cases within `scope`, by visit date.
pub async fn typical_cases(db: &Db, campaign_id: CampaignId, scope: Scope) -> sqlx::Result<Vec<ReportCase>> {
    let mut sql = Sql::new(
        "SELECT v.id AS visit_id, s.name AS student_name, cl.name AS class_name, co.name AS college_name, \
                v.visited_on, c.story \
         FROM visit_cases c JOIN visits v ON v.id = c.visit_id JOIN students s ON s.id = v.student_id \
         JOIN classes cl ON cl.id = s.class_id JOIN colleges co ON co.id = cl.college_id WHERE v.campaign_id = ",
    );
    sql.bind(campaign_id);
    scope.restrict(&mut sql, "cl");
    sql.push(" ORDER BY v.visited_on, v.id");
    let rows: Vec<CaseRow> = sql.fetch_all(&db.read).await?;
    let mut cases = Vec::with_capacity(rows.len());
    for r in rows {
        let photos: Vec<(String, Vec<u8>)> =
            sqlx::query_as("SELECT content_type, content FROM visit_photos WHERE visit_id = $1 ORDER BY id")
                .bind(r.visit_id)
                .fetch_all(&db.read)
                .await?;
        cases.push(ReportCase {
            student_name: r.student_name,
            class_name: r.class_name,
            college_name: r.college_name,
            date: r.visited_on,
            story: r.story,
            photos,
        });
    }
    Ok(cases)
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The section as HTML (`<section class="typical-cases">`), in Chinese like the rest of the
/// report; a line saying there are none when the campaign has no case. Photos keep to half a
/// page's width so that a case and its photos print together on A4 (`frontend/report.css`: the
/// content security policy allows no inline styles).
pub fn cases_html(cases: &[ReportCase]) -> String {
    let mut html = String::from("<section class=\"typical-cases\"><h2>典型案例</h2>");
    if cases.is_empty() {
        html.push_str("<p>本次活动暂无典型案例。</p>");
    }
    for case in cases {
        html.push_str(&format!(
            "<article class=\"typical-case\"><h3>{} · {} · {}</h3>\
             <p class=\"case-date\">{}</p><p class=\"case-story\">{}</p>",
            esc(&case.student_name),
            esc(&case.class_name),
            esc(&case.college_name),
            esc(&case.date),
            esc(&case.story).replace('\n', "<br>"),
        ));
        for (content_type, bytes) in &case.photos {
            let data = base64::engine::general_purpose::STANDARD.encode(bytes);
            html.push_str(&format!(
                "<img class=\"case-photo\" alt=\"家访照片\" src=\"data:{};base64,{data}\">",
                esc(content_type)
            ));
        }
        html.push_str("</article>");
    }
    html.push_str("</section>");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_shows_its_story_escaped_and_its_photos_inline() {
        let case = ReportCase {
            student_name: "张<三>".into(),
            class_name: "软件1班".into(),
            college_name: "计算机学院".into(),
            date: "2024-01-22".into(),
            story: "家长\"很\"感动\n第二行".into(),
            photos: vec![("image/png".into(), vec![1, 2, 3])],
        };
        let html = cases_html(&[case]);
        assert!(html.contains("张&lt;三&gt;"), "{html}");
        assert!(html.contains("家长&quot;很&quot;感动<br>第二行"), "{html}");
        assert!(html.contains("src=\"data:image/png;base64,AQID\""), "{html}");
        assert!(cases_html(&[]).contains("暂无典型案例"));
    }
}
