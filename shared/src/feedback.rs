//! Parents' feedback after a class's meeting (a rating of 1 to 5 stars and suggestions), as staff
//! see it: per meeting (`GET /api/meetings/{id}/feedback`), per college on the dashboard, in the
//! export and in the campaign report. Never who gave it: no guardian, no phone number.

use serde::{Deserialize, Serialize};

/// Ratings go from 1 to 5 stars.
pub const STARS: usize = 5;

/// How many suggestions the dashboard's summary and the printed report carry (the newest).
pub const SUGGESTIONS_IN_SUMMARY: usize = 5;

/// Ratings counted: how many answers, their sum and how many gave each number of stars.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ratings {
    pub responses: i64,
    pub rating_sum: i64,
    /// `stars[0]` gave 1 star, … `stars[4]` gave 5.
    pub stars: Vec<i64>,
}

impl Ratings {
    /// The average rating, `None` without any answer.
    pub fn average(&self) -> Option<f64> {
        (self.responses > 0).then(|| self.rating_sum as f64 / self.responses as f64)
    }

    /// The average with one decimal (`4.3`), or `—`.
    pub fn average_text(&self) -> String {
        self.average().map(|a| format!("{a:.1}")).unwrap_or_else(|| "—".into())
    }

    /// Adds one rating (1..=5; others are ignored).
    pub fn add(&mut self, rating: i64, n: i64) {
        if !(1..=STARS as i64).contains(&rating) {
            return;
        }
        self.stars.resize(STARS, 0);
        self.stars[rating as usize - 1] += n;
        self.responses += n;
        self.rating_sum += rating * n;
    }
}

/// One suggestion, without who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suggestion {
    pub text: String,
    pub rating: i64,
    /// Unix seconds when it was given (last changed).
    pub created_at: i64,
    /// `YYYY-MM-DD` in Shanghai time.
    pub date: String,
    pub college: String,
    pub class: String,
}

/// `GET /api/meetings/{id}/feedback`: the meeting's ratings and its suggestions, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingFeedback {
    pub ratings: Ratings,
    pub suggestions: Vec<Suggestion>,
}

/// Feedback of one college's meetings in a campaign (the dashboard, the export, the report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollegeFeedback {
    pub college_id: i64,
    pub college: String,
    pub ratings: Ratings,
}

/// `YYYY-MM-DD` of a Unix time, in Shanghai.
pub fn date_of(unix: i64) -> String {
    let (y, m, d, ..) = crate::time::shanghai_parts(unix);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The report's sentence on feedback, e.g. "家长会后共收到家长评价120份，平均4.5分（满分5分）。"
pub fn report_sentence(rows: &[CollegeFeedback]) -> String {
    let mut all = Ratings::default();
    for r in rows {
        for (i, n) in r.ratings.stars.iter().enumerate() {
            all.add(i as i64 + 1, *n);
        }
    }
    if all.responses == 0 {
        return "家长会后暂未收到家长评价。".into();
    }
    format!("家长会后共收到家长评价{}份，平均{}分（满分5分）。", all.responses, all.average_text())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_add_up() {
        let mut r = Ratings::default();
        r.add(5, 2);
        r.add(3, 1);
        r.add(9, 1);
        assert_eq!((r.responses, r.rating_sum, r.stars.clone()), (3, 13, vec![0, 0, 1, 0, 2]));
        assert_eq!(r.average_text(), "4.3");
        assert_eq!(Ratings::default().average_text(), "—");
        let rows = [CollegeFeedback { college_id: 1, college: "文学院".into(), ratings: r }];
        assert_eq!(report_sentence(&rows), "家长会后共收到家长评价3份，平均4.3分（满分5分）。");
        assert_eq!(date_of(1_700_000_000), "2023-11-15");
    }
}
