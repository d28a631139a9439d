//! Privacy (issue 19): the notice parents read, the school's details it names (edited by
//! admins), and a guardian's separate consent to sensitive concerns (PIPL art. 29).

use serde::{Deserialize, Serialize};

/// The version of the notice's text (in the parent's page, `pages/family/privacy.rs`, and
/// `docs/privacy.md`). Raise it whenever that text changes: a consent records the version it was
/// given under, and the page shows the notice again to a parent who saw an older one.
pub const NOTICE_VERSION: i64 = 1;

/// At most this many characters for each of the school's details.
pub const MAX_SETTING: usize = 200;

/// The school's details the notice names: who handles the data and whom to ask. Empty until an
/// admin saves them (the notice then says "the school").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    /// The school, as the handler of the personal information (个人信息处理者).
    pub school_name: String,
    /// Whom to ask about one's personal information: an office, a phone number, an address.
    pub contact: String,
}

/// A guardian's consent to send concerns on sensitive topics, while it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SensitiveConsent {
    /// When it was given (unix seconds).
    pub given_at: i64,
    /// The notice's version it was given under.
    pub notice_version: i64,
}

/// `GET /api/family/privacy`: the notice's version and the school's details, and the signed-in
/// guardian's consent to sensitive concerns (`None`: not given, or withdrawn).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PrivacyNotice {
    pub notice_version: i64,
    pub school_name: String,
    pub contact: String,
    pub consent: Option<SensitiveConsent>,
}

/// `POST /api/family/consent`: the version of the notice the parent read when agreeing; an
/// older one than `NOTICE_VERSION` is refused (422), so a consent always names what was shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    pub notice_version: i64,
}
