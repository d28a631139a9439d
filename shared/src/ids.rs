//! Typed ids for the rows that cross the most boundaries, so that a student's id cannot be
//! passed where a meeting's is expected. On the wire each is the plain integer it wraps
//! (`#[serde(transparent)]`); in the OpenAPI document an integer (int64); in the back end's
//! queries too (`sqlx(transparent)`, behind the `sqlx` feature the front end never enables).

use std::fmt;
use std::str::FromStr;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl $name {
            /// The integer stored in the database and sent on the wire.
            pub const fn get(self) -> i64 {
                self.0
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                Self(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )*};
}

ids! {
    /// A student (`students.id`).
    StudentId;
    /// A parents' meeting (`meetings.id`).
    MeetingId;
    /// A student's guardian (`guardians.id`).
    GuardianId;
    /// A home visit (`visits.id`).
    VisitId;
    /// A home-visit campaign (`campaigns.id`).
    CampaignId;
    /// A staff account (`users.id`).
    UserId;
    /// A class (`classes.id`).
    ClassId;
    /// A concern a family raised before a parents' meeting (`meeting_concerns.id`).
    ConcernId;
    /// A follow-up action agreed on a visit (`follow_ups.id`).
    FollowUpId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_the_wire_an_id_is_its_integer() {
        assert_eq!(serde_json::to_string(&StudentId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<MeetingId>("7").unwrap(), MeetingId(7));
        assert_eq!(serde_json::to_string(&Some(ClassId(3))).unwrap(), "3");
        assert!(serde_json::from_str::<UserId>("\"7\"").is_err());
        assert_eq!("12".parse::<VisitId>().unwrap(), VisitId(12));
        assert_eq!(CampaignId(5).to_string(), "5");
        assert_eq!(i64::from(GuardianId(9)), 9);
    }
}
