//! The dashboard's tables by college and by counselor.

use leptos::prelude::*;
use shared::dashboard::GroupRow;
use shared::visits::fen_to_yuan;

use crate::t;

#[component]
pub fn GroupTable(
    title_zh: &'static str,
    title_en: &'static str,
    rows: Vec<GroupRow>,
    testid: &'static str,
) -> impl IntoView {
    view! {
        <h2>{t!(title_zh, title_en)}</h2>
        <div class="table-wrap">
            <table class="dash-table" data-testid=testid>
                <thead>
                    <tr>
                        <th>{t!("名称", "Name")}</th>
                        <th>{t!("学生", "Students")}</th>
                        <th>{t!("已覆盖", "Reached")}</th>
                        <th>{t!("实地", "In person")}</th>
                        <th>{t!("云端", "Cloud")}</th>
                        <th>{t!("待跟进", "Follow-ups open")}</th>
                        <th>{t!("祝福包", "Packages")}</th>
                        <th>{t!("慰问金（元）", "Grants (yuan)")}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-testid=format!("{testid}-{}", r.id)>
                            <td>{r.name}</td>
                            <td>{r.students}</td>
                            <td>{r.reached}</td>
                            <td>{r.in_person}</td>
                            <td>{r.cloud}</td>
                            <td>{r.follow_ups_open}</td>
                            <td>{r.packages}</td>
                            <td>{fen_to_yuan(r.grant_fen)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
