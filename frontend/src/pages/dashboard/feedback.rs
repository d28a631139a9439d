//! Parents' feedback after the campaign's meetings, per college (how many rated, the average),
//! on the dashboard (the printed report renders its own on the server: `dashboard::report`).

use leptos::prelude::*;
use shared::feedback::CollegeFeedback;

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
