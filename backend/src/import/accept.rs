//! An accepted row's values: optional ones that cannot be used are warnings, and each class
//! the file names is recorded once, with its counselor.

use shared::imports::IssueKind;
use shared::{Gender, Hardship, PhoneNumber, StudentNo};

use super::fields::Field;
use super::roster::{ClassEntry, RosterRow, Row};
use crate::i18n::Msg;

impl Row<'_> {
    fn interned(&mut self, field: Field) -> Option<u32> {
        let value = self.opt(field)?.to_string();
        Some(self.b.roster.strings.id(&value))
    }

    fn boxed(&self, field: Field) -> Option<Box<str>> {
        self.opt(field).map(Into::into)
    }

    /// Parses an optional value; one that does not parse is a warning and leaves the stored one.
    fn parsed<T>(&mut self, field: Field, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let value = self.opt(field)?.to_string();
        let parsed = parse(&value);
        if parsed.is_none() {
            self.unusable(field, &value);
        }
        parsed
    }

    pub(super) fn accept(mut self, number: StudentNo) {
        let gender = self.parsed(Field::Gender, |v| Gender::parse(v).ok());
        let hardship = self.parsed(Field::Hardship, |v| Hardship::parse(v).ok());
        let guardian_phone =
            self.parsed(Field::GuardianPhone, |v| PhoneNumber::parse(v).ok()).map(|p| p.as_str().into());
        let grade = self.parsed(Field::Grade, |v| {
            v.strip_suffix(".0").unwrap_or(v).parse::<i32>().ok().filter(|y| (1900..=2200).contains(y))
        });
        let major = self.interned(Field::Major);
        let class = self.class(major, grade);
        let row = RosterRow {
            row: self.row,
            student_no: number.as_str().into(),
            name: self.get(Field::Name).into(),
            class,
            gender,
            major,
            grade,
            province: self.interned(Field::Province),
            city: self.interned(Field::City),
            district: self.interned(Field::District),
            address: self.boxed(Field::Address),
            guardian_name: self.boxed(Field::GuardianName),
            guardian_relation: self.interned(Field::GuardianRelation),
            guardian_phone,
            hardship,
            keep: self.keep,
            warned: !self.issues.is_empty(),
        };
        self.b.seen.insert(row.student_no.clone(), self.row);
        let roster = &mut self.b.roster;
        roster.warning_rows += u64::from(row.warned);
        roster.rows.push(row);
        for issue in std::mem::take(&mut self.issues) {
            self.b.record(issue);
        }
    }

    /// The row's class, recorded with the first row's major, grade and counselor.
    fn class(&mut self, major: Option<u32>, grade: Option<i32>) -> u32 {
        let college = self.interned(Field::College).unwrap_or_default();
        let name: Box<str> = self.get(Field::Class).into();
        let counselor = self.interned(Field::Counselor);
        let next = self.b.roster.classes.len() as u32;
        let id = *self.b.class_ids.entry((college, name.clone())).or_insert(next);
        if id == next {
            self.b.roster.classes.push(ClassEntry::new(college, &name, major, grade));
        }
        let row = self.row;
        let entry = &mut self.b.roster.classes[id as usize];
        match (entry.counselor, counselor) {
            (None, Some(c)) => {
                entry.counselor = Some(c);
                entry.counselor_row = row;
            }
            (Some(first), Some(c)) if first != c => {
                let first_row = entry.counselor_row;
                let strings = &self.b.roster.strings;
                let (first, this) = (strings.get(first).to_string(), strings.get(c).to_string());
                let header = self.b.roster.header(Field::Counselor).to_string();
                let msg = Msg::owned(
                    format!("班级“{name}”的{header}在第 {first_row} 行是“{first}”，本行的“{this}”未采用"),
                    format!("Row {first_row} gives {first} as the counselor of {name}; {this} in this row is not used"),
                );
                self.issue(Some(Field::Counselor), IssueKind::Warning, msg);
            }
            _ => {}
        }
        id
    }
}
