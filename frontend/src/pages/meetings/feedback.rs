//! The families' feedback after the meeting on its page: how many rated it, the average, each
//! star's count as a bar, and the suggestions with their dates (never who wrote them). Fetched
//! again with the page's other live parts.

use leptos::prelude::*;
use shared::feedback::{MeetingFeedback, STARS};

use crate::i18n::use_lang;
use crate::t;

#[component]
pub fn FeedbackSection(feedback: RwSignal<Option<MeetingFeedback>>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <h2>{t!("家长评价", "Parents' feedback")}</h2>
        <section class="card feedback" data-testid="feedback">
            {move || feedback.get().map(|f| {
                let r = f.ratings.clone();
                let most = r.stars.iter().copied().max().unwrap_or(0).max(1);
                view! {
                    <p data-testid="feedback-average">
                        <strong class="feedback-average">{r.average_text()}</strong>
                        {move || lang.get().pick(" 分（满分 5 分）· ", " of 5 · ")}
                        <span data-testid="feedback-responses">{r.responses}</span>
                        {move || lang.get().pick(" 份评价", " ratings")}
                    </p>
                    <ul class="plain feedback-stars" data-testid="feedback-stars">
                        {(1..=STARS).rev().map(|star| {
                            let n = r.stars.get(star - 1).copied().unwrap_or(0);
                            view! {
                                <li data-testid=format!("stars-{star}")>
                                    <span class="feedback-star" aria-label=format!("{star}★")>{"★".repeat(star)}</span>
                                    // A meter, not a styled bar: the CSP allows no inline style.
                                    <meter class="feedback-bar" min="0" max=most value=n aria-hidden="true"></meter>
                                    <span class="feedback-n">{n}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <h3>{t!("意见建议", "Suggestions")} " (" {f.suggestions.len()} ")"</h3>
                    <ul class="plain feedback-suggestions" data-testid="feedback-suggestions">
                        {f.suggestions.into_iter().map(|s| view! {
                            <li><span>{s.text}</span> " " <span class="muted">{s.date}</span></li>
                        }).collect_view()}
                    </ul>
                }
            })}
        </section>
    }
}
