use serde::{Deserialize, Serialize};

use crate::Lang;

/// The eight aspects (八个方面) a home visit covers, in the school's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Aspect {
    FinancialAid,
    Academic,
    Career,
    PartyCadre,
    MentalHealth,
    Employment,
    SchoolPromotion,
    OverallQuality,
}

impl Aspect {
    pub const ALL: [Aspect; 8] = [
        Aspect::FinancialAid,
        Aspect::Academic,
        Aspect::Career,
        Aspect::PartyCadre,
        Aspect::MentalHealth,
        Aspect::Employment,
        Aspect::SchoolPromotion,
        Aspect::OverallQuality,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Aspect::FinancialAid => "financial_aid",
            Aspect::Academic => "academic",
            Aspect::Career => "career",
            Aspect::PartyCadre => "party_cadre",
            Aspect::MentalHealth => "mental_health",
            Aspect::Employment => "employment",
            Aspect::SchoolPromotion => "school_promotion",
            Aspect::OverallQuality => "overall_quality",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Aspect::FinancialAid => "资助育人",
            Aspect::Academic => "学业帮扶",
            Aspect::Career => "生涯规划",
            Aspect::PartyCadre => "党员干部培养",
            Aspect::MentalHealth => "心理健康服务",
            Aspect::Employment => "就业指导",
            Aspect::SchoolPromotion => "学校宣传",
            Aspect::OverallQuality => "综合素质提升",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Aspect::FinancialAid => "Financial-aid education",
            Aspect::Academic => "Academic support",
            Aspect::Career => "Career planning",
            Aspect::PartyCadre => "Party member and cadre cultivation",
            Aspect::MentalHealth => "Mental health services",
            Aspect::Employment => "Job placement guidance",
            Aspect::SchoolPromotion => "School promotion",
            Aspect::OverallQuality => "Overall quality improvement",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        lang.pick(self.label_zh(), self.label_en())
    }

    /// Accepts the code or the Chinese or English label, as written in a spreadsheet.
    pub fn parse(text: &str) -> Option<Aspect> {
        let text = text.trim();
        Aspect::ALL.into_iter().find(|a| {
            a.code().eq_ignore_ascii_case(text) || a.label_zh() == text || a.label_en().eq_ignore_ascii_case(text)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for a in Aspect::ALL {
            assert_eq!(Aspect::parse(a.code()), Some(a));
            assert_eq!(Aspect::parse(a.label_zh()), Some(a));
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.code()));
        }
        assert_eq!(Aspect::parse(" 心理健康服务 "), Some(Aspect::MentalHealth));
        assert_eq!(Aspect::parse("astrology"), None);
    }
}
