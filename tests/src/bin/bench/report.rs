//! The benchmark report: one row per figure, written as `report.md` (a table for people) and
//! `report.json` (for tools), with each budget judged.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

/// Which side of the limit a figure must stay on.
#[derive(Clone, Copy, Debug, Serialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    AtMost,
    AtLeast,
}

#[derive(Clone, Debug, Serialize)]
pub struct Budget {
    pub bound: Bound,
    pub limit: f64,
}

impl Budget {
    pub fn at_most(limit: f64) -> Option<Self> {
        Some(Self { bound: Bound::AtMost, limit })
    }
    pub fn at_least(limit: f64) -> Option<Self> {
        Some(Self { bound: Bound::AtLeast, limit })
    }
    fn holds(&self, value: f64) -> bool {
        match self.bound {
            Bound::AtMost => value <= self.limit,
            Bound::AtLeast => value >= self.limit,
        }
    }
}

/// A figure that depends on the machine's speed, also given relative to a baseline measured in
/// the same run (`value / baseline`), because absolute times vary from run to run.
#[derive(Clone, Debug, Serialize)]
pub struct Ratio {
    pub value: f64,
    /// What the baseline was, e.g. "GET /api/health under the same load: 9,800/s".
    pub baseline: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    /// The benchmark that produced it, e.g. "storm (SQLite)".
    pub group: String,
    /// What was measured, e.g. "accepted answers per second".
    pub name: String,
    pub value: f64,
    /// "ms", "s", "KiB", "MB", "/s", "ratio"…
    pub unit: String,
    pub budget: Option<Budget>,
    pub ratio: Option<Ratio>,
    /// Sizes, conditions, or why a budget cannot hold here.
    pub note: String,
}

impl Figure {
    pub fn new(group: &str, name: &str, value: f64, unit: &str) -> Self {
        Self {
            group: group.into(),
            name: name.into(),
            value,
            unit: unit.into(),
            budget: None,
            ratio: None,
            note: String::new(),
        }
    }
    pub fn budget(mut self, budget: Option<Budget>) -> Self {
        self.budget = budget;
        self
    }
    pub fn ratio(mut self, value: f64, baseline: impl Into<String>) -> Self {
        self.ratio = Some(Ratio { value, baseline: baseline.into() });
        self
    }
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = note.into();
        self
    }
    /// "within", "over", or "—" without a budget.
    pub fn verdict(&self) -> &'static str {
        match &self.budget {
            None => "—",
            Some(b) if b.holds(self.value) => "within",
            Some(_) => "over",
        }
    }
}

#[derive(Serialize)]
pub struct Report {
    pub quick: bool,
    pub machine: String,
    pub started: String,
    pub figures: Vec<Figure>,
    /// Benchmarks that failed to run at all, with the error.
    pub failures: Vec<(String, String)>,
}

impl Report {
    pub fn markdown(&self) -> String {
        let mut md = String::from("# Jiafang benchmarks\n\n");
        let _ = writeln!(md, "Run {} on {}.", self.started, self.machine);
        if self.quick {
            md.push_str("\nQuick run: small sizes, budgets shown but not judged.\n");
        }
        md.push_str("\n| benchmark | figure | value | budget | verdict | ratio to baseline | notes |\n");
        md.push_str("|---|---|---|---|---|---|---|\n");
        for f in &self.figures {
            let budget = f.budget.as_ref().map_or("—".to_string(), |b| {
                let sign = if b.bound == Bound::AtMost { "≤" } else { "≥" };
                format!("{sign} {} {}", number(b.limit), f.unit)
            });
            let verdict = if self.quick && f.budget.is_some() { "not judged" } else { f.verdict() };
            let ratio = f.ratio.as_ref().map_or("—".to_string(), |r| format!("{} ({})", number(r.value), r.baseline));
            let _ = writeln!(
                md,
                "| {} | {} | {} {} | {budget} | {verdict} | {ratio} | {} |",
                f.group,
                f.name,
                number(f.value),
                f.unit,
                f.note.replace('|', "\\|").replace('\n', " ")
            );
        }
        for (group, error) in &self.failures {
            let _ = writeln!(
                md,
                "| {group} | did not run | — | — | failed | — | {} |",
                error.replace('|', "\\|").replace('\n', " ")
            );
        }
        md
    }

    pub fn write(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        std::fs::write(dir.join("report.md"), self.markdown())?;
        std::fs::write(dir.join("report.json"), serde_json::to_vec_pretty(self)?)?;
        Ok(())
    }
}

/// Three significant figures, with thousands separated, so the table reads at a glance.
fn number(v: f64) -> String {
    if v.abs() >= 100.0 || v.fract() == 0.0 {
        let rounded = v.round() as i64;
        let digits = rounded.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if rounded < 0 {
            out.insert(0, '-');
        }
        out
    } else if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(number(3_250.4), "3,250");
        assert_eq!(number(45.67), "45.7");
        assert_eq!(number(0.256), "0.26");
        assert_eq!(number(1_000_000.0), "1,000,000");
    }

    #[test]
    fn budgets_are_judged_on_the_right_side() {
        let fast = Figure::new("g", "p99", 40.0, "ms").budget(Budget::at_most(50.0));
        let slow = Figure::new("g", "answers", 2_000.0, "/s").budget(Budget::at_least(3_000.0));
        assert_eq!((fast.verdict(), slow.verdict()), ("within", "over"));
    }
}
