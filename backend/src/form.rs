//! Reading a form's fields: normalised text with length limits, collected field errors in both
//! languages, and the checks several resources share.

use crate::error::{Error, Result};
use crate::i18n::Msg;

/// Field errors gathered while reading a request body, answered together as one 422.
#[derive(Debug, Default)]
pub struct Fields(Vec<(String, Msg)>);

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    pub fn add(&mut self, field: &str, msg: Msg) {
        if !self.has(field) {
            self.0.push((field.to_string(), msg));
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| f == field)
    }

    /// Normalised text that must not be empty, at most `max` characters.
    pub fn required(&mut self, field: &str, value: &str, max: usize) -> String {
        let text = shared::domain::normalize(value);
        if text.is_empty() {
            self.add(field, Msg::new("请填写此项", "This field is required"));
        } else {
            self.check_len(field, &text, max);
        }
        text
    }

    /// Normalised text, `None` when empty, at most `max` characters.
    pub fn optional(&mut self, field: &str, value: Option<&str>, max: usize) -> Option<String> {
        let text = shared::domain::normalize(value.unwrap_or(""));
        if text.is_empty() {
            return None;
        }
        self.check_len(field, &text, max);
        Some(text)
    }

    fn check_len(&mut self, field: &str, text: &str, max: usize) {
        if text.chars().count() > max || text.chars().any(char::is_control) {
            self.add(
                field,
                Msg::owned(
                    format!("最多 {max} 个字符，且不能包含换行等控制字符"),
                    format!("At most {max} characters, without line breaks or other control characters"),
                ),
            );
        }
    }

    /// A whole number within `range`, if given.
    pub fn range(&mut self, field: &str, value: Option<i64>, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
        if let Some(v) = value {
            if !range.contains(&v) {
                self.add(
                    field,
                    Msg::owned(
                        format!("应在 {} 到 {} 之间", range.start(), range.end()),
                        format!("Must be between {} and {}", range.start(), range.end()),
                    ),
                );
            }
        }
        value
    }

    /// 422 with every field error, or nothing.
    pub fn finish(self) -> Result<()> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self.0))
        }
    }
}

/// Whether a database error is a broken UNIQUE constraint (two requests racing for one name).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_one_message_per_field() {
        let mut f = Fields::new();
        assert_eq!(f.required("name", "  ２０２４ ", 10), "2024");
        assert_eq!(f.optional("city", Some("   "), 10), None);
        f.required("a", "", 10);
        f.required("a", "x".repeat(20).as_str(), 10);
        f.optional("b", Some("line\nbreak"), 50);
        f.range("pct", Some(101), 0..=100);
        match f.finish() {
            Err(Error::Validation(fields)) => {
                let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
                assert_eq!(names, ["a", "b", "pct"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
