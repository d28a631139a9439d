//! Closing the loop from a parents' meeting to the home visit: each concern a family raised
//! (`meetings::Topic`) belongs to one of the visit's eight aspects, the counselor sees a student's
//! open concerns of the campaign when planning and logging the visit, and marks which ones the
//! visit addressed, with an optional short reply the family then reads on their page.

use serde::{Deserialize, Serialize};

use crate::meetings::Topic;
use crate::{Aspect, CampaignId, ConcernId, MeetingId, StudentId};

/// The most concerns one visit marks as addressed.
pub const MAX_ADDRESSED: usize = 20;

/// The most characters of the reply the family reads.
pub const MAX_REPLY: usize = 200;

/// The one place a concern's topic is mapped to the visit aspect it belongs to (see the table in
/// `docs/architecture.md`). No topic leads to party member and cadre cultivation or school
/// promotion: families do not raise those.
pub fn aspect_of(topic: Topic) -> Aspect {
    match topic {
        Topic::Academic | Topic::Major => Aspect::Academic,
        Topic::Postgraduate => Aspect::Career,
        Topic::Employment => Aspect::Employment,
        Topic::MentalHealth => Aspect::MentalHealth,
        Topic::FamilyFinances => Aspect::FinancialAid,
        Topic::Other => Aspect::OverallQuality,
    }
}

/// Query of `GET /api/visits/concerns`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ConcernQuery {
    #[cfg_attr(feature = "openapi", param(value_type = i64))]
    pub campaign_id: CampaignId,
    /// One student only.
    #[cfg_attr(feature = "openapi", param(value_type = Option<i64>))]
    pub student_id: Option<StudentId>,
}

/// A concern raised at one of the campaign's parents' meetings that no visit has addressed yet.
/// Mental health and family finances only for staff whose own scope holds the student.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenConcern {
    pub id: ConcernId,
    pub student_id: StudentId,
    pub meeting_id: MeetingId,
    pub topic: Topic,
    pub text: String,
    /// Unix seconds.
    pub created_at: i64,
}

impl OpenConcern {
    pub fn aspect(&self) -> Aspect {
        aspect_of(self.topic)
    }
}

/// In a new visit: a concern it addressed, with the reply the family reads (may be empty).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AddressedConcern {
    pub concern_id: ConcernId,
    #[serde(default)]
    pub reply: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_an_aspect_and_the_sensitive_ones_keep_theirs() {
        for topic in Topic::ALL {
            assert!(Aspect::ALL.contains(&aspect_of(topic)));
        }
        assert_eq!(aspect_of(Topic::MentalHealth), Aspect::MentalHealth);
        assert_eq!(aspect_of(Topic::FamilyFinances), Aspect::FinancialAid);
        assert_eq!(aspect_of(Topic::Employment), Aspect::Employment);
    }
}
