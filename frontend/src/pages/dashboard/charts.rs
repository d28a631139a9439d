//! Charts drawn by the app as SVG (no chart library, no inline styles: colours come from
//! classes in style.css, sizes from SVG presentation attributes).

use leptos::prelude::*;
use shared::dashboard::{AreaCount, DayCount};

/// One bar: its label, its value (`None`: suppressed, shown as "<5") and the text beside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: Option<i64>,
    pub note: String,
}

impl Bar {
    pub fn new(label: impl Into<String>, value: Option<i64>) -> Bar {
        let note = match value {
            Some(v) => v.to_string(),
            None => "<5".into(),
        };
        Bar { label: label.into(), value, note }
    }
}

const WIDTH: i64 = 560;
const LABEL: i64 = 120;
const ROW: i64 = 26;

/// Horizontal bars, one row each, scaled to the largest value.
#[component]
pub fn HBars(bars: Vec<Bar>, #[prop(into)] testid: String, #[prop(into)] title: String) -> impl IntoView {
    let max = bars.iter().filter_map(|b| b.value).max().unwrap_or(0).max(1);
    let height = (bars.len() as i64).max(1) * ROW;
    let span = WIDTH - LABEL - 60;
    view! {
        <svg class="chart" data-testid=testid viewBox=format!("0 0 {WIDTH} {height}") role="img" aria-label=title
            width="100%" preserveAspectRatio="xMinYMin meet">
            {bars.into_iter().enumerate().map(|(i, b)| {
                let y = i as i64 * ROW;
                let w = b.value.map(|v| (v * span / max).max(if v > 0 { 2 } else { 0 })).unwrap_or(0);
                let class = match b.value { Some(0) => "bar-empty", None => "bar-suppressed", _ => "bar" };
                view! {
                    <g class=class>
                        <text x="0" y=y + 17 class="chart-label">{b.label.clone()}</text>
                        <rect x=LABEL y=y + 4 width=w height=ROW - 8 rx="3" />
                        <text x=LABEL + w + 6 y=y + 17 class="chart-value">{b.note.clone()}</text>
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

pub const MODES: [(&str, &str, &str); 3] =
    [("in_person", "实地", "In person"), ("cloud", "云端", "Cloud"), ("phone", "电话", "Phone")];

/// Visits per day, stacked by mode.
#[component]
pub fn DayChart(days: Vec<DayCount>) -> impl IntoView {
    let mut dates: Vec<String> = days.iter().map(|d| d.date.clone()).collect();
    dates.dedup();
    let count = |date: &str, mode: &str| {
        days.iter().filter(|d| d.date == date && d.mode == mode).map(|d| d.visits).sum::<i64>()
    };
    let totals: Vec<i64> = dates.iter().map(|d| MODES.iter().map(|(m, _, _)| count(d, m)).sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let (w, h) = (760i64, 200i64);
    // At least twenty slots, so that a few days do not make wall-sized bars.
    let step = w / (dates.len() as i64).max(20);
    let bar = (step - 2).max(1);
    let first = dates.first().cloned().unwrap_or_default();
    let last = dates.last().cloned().unwrap_or_default();
    let columns = dates
        .iter()
        .enumerate()
        .map(|(i, date)| {
            let mut top = h;
            MODES
                .iter()
                .map(|(mode, _, _)| {
                    let n = count(date, mode);
                    let bh = n * (h - 10) / max;
                    top -= bh;
                    view! {
                        <rect class=format!("mode-{mode}") x=i as i64 * step y=top width=bar height=bh>
                            <title>{format!("{date} {mode} {n}")}</title>
                        </rect>
                    }
                })
                .collect_view()
        })
        .collect_view();
    view! {
        <svg class="chart" data-testid="chart-days" viewBox=format!("0 0 {w} {}", h + 20) width="100%" role="img"
            aria-label="visits per day">
            {columns}
            <text x="0" y=h + 16 class="chart-label">{first}</text>
            <text x=w y=h + 16 class="chart-label" text-anchor="end">{last}</text>
        </svg>
        <p class="legend">
            {MODES.into_iter().map(|(mode, zh, en)| view! {
                <span class=format!("key mode-{mode}")>{crate::t!(zh, en)}</span>
            }).collect_view()}
        </p>
    }
}

/// The fourteen cities, each with its count; a city without a visit says so.
pub fn city_bars(by_city: &[AreaCount], none: &str) -> Vec<Bar> {
    shared::dashboard::LIAONING_CITIES
        .iter()
        .map(|city| match by_city.iter().find(|a| a.city == *city) {
            Some(a) => Bar::new(*city, a.students),
            None => Bar { label: (*city).into(), value: Some(0), note: none.into() },
        })
        .collect()
}
