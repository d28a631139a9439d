//! The template's columns (docs/roster-template.md) and how a header finds its column.

use crate::i18n::Msg;

/// A column of the roster template, in the template's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    StudentNo,
    Name,
    Gender,
    College,
    Major,
    Grade,
    Class,
    Counselor,
    Province,
    City,
    District,
    Address,
    GuardianName,
    GuardianRelation,
    GuardianPhone,
    Hardship,
}

impl Field {
    pub const ALL: [Field; 16] = [
        Field::StudentNo,
        Field::Name,
        Field::Gender,
        Field::College,
        Field::Major,
        Field::Grade,
        Field::Class,
        Field::Counselor,
        Field::Province,
        Field::City,
        Field::District,
        Field::Address,
        Field::GuardianName,
        Field::GuardianRelation,
        Field::GuardianPhone,
        Field::Hardship,
    ];

    /// The Chinese header, the one exports write.
    pub fn zh(self) -> &'static str {
        match self {
            Field::StudentNo => "学号",
            Field::Name => "姓名",
            Field::Gender => "性别",
            Field::College => "学院",
            Field::Major => "专业",
            Field::Grade => "年级",
            Field::Class => "班级",
            Field::Counselor => "辅导员",
            Field::Province => "省份",
            Field::City => "城市",
            Field::District => "区县",
            Field::Address => "家庭住址",
            Field::GuardianName => "家长姓名",
            Field::GuardianRelation => "关系",
            Field::GuardianPhone => "家长电话",
            Field::Hardship => "经济困难等级",
        }
    }

    /// The English header, also the field's code in reports.
    pub fn code(self) -> &'static str {
        match self {
            Field::StudentNo => "student_no",
            Field::Name => "name",
            Field::Gender => "gender",
            Field::College => "college",
            Field::Major => "major",
            Field::Grade => "grade",
            Field::Class => "class",
            Field::Counselor => "counselor",
            Field::Province => "province",
            Field::City => "city",
            Field::District => "district",
            Field::Address => "address",
            Field::GuardianName => "guardian_name",
            Field::GuardianRelation => "guardian_relation",
            Field::GuardianPhone => "guardian_phone",
            Field::Hardship => "hardship_level",
        }
    }

    pub fn required(self) -> bool {
        matches!(self, Field::StudentNo | Field::Name | Field::College | Field::Class)
    }

    /// Home address, guardian phone and hardship level.
    pub fn sensitive(self) -> bool {
        matches!(self, Field::Address | Field::GuardianPhone | Field::Hardship)
    }

    /// A bit of a `u16` set of fields.
    pub fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// The column a header names: Chinese or English, ignoring surrounding spaces (full-width
    /// ones too) and letter case.
    pub fn from_header(header: &str) -> Option<Field> {
        let key = shared::domain::normalize(header).to_lowercase();
        Field::ALL.into_iter().find(|f| key == f.zh() || key == f.code())
    }

    pub fn missing_columns(missing: &[Field]) -> Msg {
        let zh: Vec<&str> = missing.iter().map(|f| f.zh()).collect();
        let en: Vec<&str> = missing.iter().map(|f| f.code()).collect();
        Msg::owned(
            format!("缺少必需的列：{}（表头应在第一个非空行）", zh.join("、")),
            format!("Required columns are missing: {} (the header is the first non-empty row)", en.join(", ")),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn headers_match_in_either_language_ignoring_case_and_spaces() {
        assert_eq!(Field::from_header(" 学号 "), Some(Field::StudentNo));
        assert_eq!(Field::from_header("Student_No"), Some(Field::StudentNo));
        assert_eq!(Field::from_header("\u{3000}HARDSHIP_LEVEL"), Some(Field::Hardship));
        assert_eq!(Field::from_header("备注"), None);
        assert!(Field::ALL.iter().enumerate().all(|(i, f)| *f as usize == i));
    }
}
