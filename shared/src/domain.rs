//! Values that can only hold valid data ("parse, don't validate").

use serde::{Deserialize, Serialize};
use std::fmt;

use crate::Lang;

/// Trims a cell or field and turns full-width ASCII (Ａ, １, ＠, the ideographic space) into its
/// half-width form, as Chinese input methods produce it.
pub fn normalize(text: &str) -> String {
    let half: String = text
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .collect();
    half.trim().to_string()
}

/// A student number (学号): 4 to 20 letters or digits, unique school-wide.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "2023010101"))]
#[serde(try_from = "String", into = "String")]
pub struct StudentNo(String);

impl StudentNo {
    pub fn parse(text: &str) -> Result<StudentNo, DomainError> {
        let text = normalize(text);
        // Excel may hand a number over as "2023010101.0".
        let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
        let len = text.chars().count();
        if !(4..=20).contains(&len) || !text.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(DomainError::StudentNo);
        }
        Ok(StudentNo(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mainland China mobile number: 11 digits starting with 1, second digit 3–9.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "13800138000"))]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(text: &str) -> Result<PhoneNumber, DomainError> {
        let digits: String = normalize(text).chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let digits = digits.strip_suffix(".0").unwrap_or(digits);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if !valid {
            return Err(DomainError::Phone);
        }
        Ok(PhoneNumber(digits.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The last four digits, which a parent types to prove who they are on a class link.
    pub fn last_four(&self) -> &str {
        &self.0[7..]
    }
}

macro_rules! string_newtype_impls {
    ($t:ty) => {
        impl TryFrom<String> for $t {
            type Error = DomainError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                <$t>::parse(&value)
            }
        }
        impl From<$t> for String {
            fn from(value: $t) -> String {
                value.0
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
string_newtype_impls!(StudentNo);
string_newtype_impls!(PhoneNumber);

/// Why a value was refused; the text is shown to the user in their language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainError {
    StudentNo,
    Phone,
    Gender,
    Hardship,
    VisitMode,
}

impl DomainError {
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            DomainError::StudentNo => {
                lang.pick("学号应为 4 到 20 位字母或数字", "A student number has 4 to 20 letters or digits")
            }
            DomainError::Phone => {
                lang.pick("请输入 11 位手机号码（以 1 开头）", "Enter an 11-digit mobile number starting with 1")
            }
            DomainError::Gender => lang.pick("性别应为 男 或 女", "Gender must be M or F"),
            DomainError::Hardship => lang.pick(
                "经济困难等级应为 一般困难、困难 或 特别困难",
                "Hardship level must be empty, moderate, hardship or severe",
            ),
            DomainError::VisitMode => {
                lang.pick("家访方式应为 上门、云端 或 电话", "Visit mode must be in person, cloud or phone")
            }
        }
    }
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message(Lang::En))
    }
}

impl std::error::Error for DomainError {}

/// Declares a closed set of codes with Chinese and English labels and the words a spreadsheet
/// may use for each.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident, $err:expr, { $($variant:ident => $code:literal, $zh:literal, $en:literal, [$($alias:literal),*];)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($zh, $en)),+ }
            }

            /// Reads the code, either label or a common spreadsheet spelling.
            pub fn parse(text: &str) -> Result<$name, DomainError> {
                let text = normalize(text);
                $(
                    if text.eq_ignore_ascii_case($code) || text == $zh || text.eq_ignore_ascii_case($en)
                        $(|| text.eq_ignore_ascii_case($alias))* {
                        return Ok($name::$variant);
                    }
                )+
                Err($err)
            }
        }
    };
}

coded_enum!(
    /// 性别.
    Gender, DomainError::Gender, {
        Male => "male", "男", "Male", ["M", "男性"];
        Female => "female", "女", "Female", ["F", "女性"];
    }
);

coded_enum!(
    /// Financial hardship (家庭经济困难), sensitive personal information.
    Hardship, DomainError::Hardship, {
        Moderate => "moderate", "一般困难", "Moderate hardship", [];
        Hardship => "hardship", "困难", "Hardship", [];
        Severe => "severe", "特别困难", "Severe hardship", [];
    }
);

coded_enum!(
    /// How a visit reached the family.
    VisitMode, DomainError::VisitMode, {
        InPerson => "in_person", "上门家访", "In person", ["上门", "实地家访", "实地"];
        Cloud => "cloud", "云端家访", "Cloud (video)", ["云端", "云连线", "一对一云连线", "video"];
        Phone => "phone", "电话家访", "Phone", ["电话"];
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_spaces_are_normalised() {
        assert_eq!(normalize("  １３８００１３８０００\u{3000}"), "13800138000");
        assert_eq!(PhoneNumber::parse("１３８ ００１３-８０００").unwrap().as_str(), "13800138000");
    }

    #[test]
    fn phones_must_be_mainland_mobiles() {
        assert!(PhoneNumber::parse("13912345678").is_ok());
        assert!(PhoneNumber::parse("+8613912345678").is_ok());
        assert!(PhoneNumber::parse("13912345678.0").is_ok());
        for bad in ["1391234567", "12912345678", "23912345678", "1391234567a", "", "024-12345678"] {
            assert_eq!(PhoneNumber::parse(bad), Err(DomainError::Phone), "{bad}");
        }
        assert_eq!(PhoneNumber::parse("13912345678").unwrap().last_four(), "5678");
    }

    #[test]
    fn student_numbers() {
        assert_eq!(StudentNo::parse(" 2023010101 ").unwrap().as_str(), "2023010101");
        assert_eq!(StudentNo::parse("2023010101.0").unwrap().as_str(), "2023010101");
        assert!(StudentNo::parse("12").is_err());
        assert!(StudentNo::parse("2023 0101").is_err());
        assert!(serde_json::from_str::<StudentNo>("\"x\"").is_err());
    }

    #[test]
    fn coded_enums_read_spreadsheet_words() {
        assert_eq!(Gender::parse("男"), Ok(Gender::Male));
        assert_eq!(Gender::parse("f"), Ok(Gender::Female));
        assert_eq!(Hardship::parse("特别困难"), Ok(Hardship::Severe));
        assert_eq!(VisitMode::parse("上门"), Ok(VisitMode::InPerson));
        assert_eq!(VisitMode::parse("cloud"), Ok(VisitMode::Cloud));
        assert!(Hardship::parse("rich").is_err());
    }
}
