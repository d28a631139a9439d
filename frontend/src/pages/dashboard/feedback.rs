//! Parents' feedback after the campaign's meetings, per college (how many rated, the average),
//! on the dashboard and in the printed report; the report also quotes a few suggestions.

use leptos::prelude::*;
use shared::feedback::{CollegeFeedback, Suggestion};

use crate::t;

#[component]
pub fn FeedbackTable(rows: Vec<CollegeFeedback>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="dash-table" data-testid=testid>
                <thead>
                    <tr>
                        <th>{t!("学院", "College")}</th>
                        <th>{t!("评价数", "Ratings")}</th>
                        <th>{t!("平均分", "Average")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-testid=format!("feedback-college-{}", r.college_id)>
                            <td>{r.college}</td>
                            <td>{r.ratings.responses}</td>
                            <td>{r.ratings.average_text()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The report's section: the sentence, the table and the newest suggestions (in Chinese).
#[component]
pub fn FeedbackReport(rows: Vec<CollegeFeedback>, suggestions: Vec<Suggestion>) -> impl IntoView {
    view! {
        <h2>"家长评价"</h2>
        <p data-testid="report-feedback-sentence">{shared::feedback::report_sentence(&rows)}</p>
        <FeedbackTable rows testid="report-feedback" />
        {(!suggestions.is_empty()).then(|| view! {
            <h3>"家长意见建议（节选）"</h3>
            <ul data-testid="report-suggestions">
                {suggestions.into_iter().map(|s| view! {
                    <li>{format!("{}（{} {}，{}）", s.text, s.college, s.class, s.date)}</li>
                }).collect_view()}
            </ul>
        })}
    }
}
