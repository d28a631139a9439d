//! The parent's page's paths and the JSON field names its serde-free decoder (`wire.rs`) reads
//! and writes, one module per type of `shared::family`. Plain constants without dependencies:
//! `xtask`'s test `family_names_match_shared` includes this file, serializes each type with
//! serde_json and checks that these are exactly its fields, so a renamed field cannot drift.

/// The routes of `/api/family/…`.
pub mod path {
    pub const ENTER: &str = "/api/family/enter";
    pub const CLASS: &str = "/api/family/class";
    pub const IDENTIFY: &str = "/api/family/identify";
    pub const ME: &str = "/api/family/me";
    pub const ANSWER: &str = "/api/family/answer";
    /// Also the prefix of `DELETE /api/family/concerns/{id}`.
    pub const CONCERNS: &str = "/api/family/concerns";
    pub const FEEDBACK: &str = "/api/family/feedback";
    pub const MEETING_ICS: &str = "/api/family/meeting.ics";
    pub const PRIVACY: &str = "/api/family/privacy";
    /// `POST` gives the consent to sensitive concerns, `DELETE` withdraws it.
    pub const CONSENT: &str = "/api/family/consent";
    /// `POST` opts the guardian out of messages, `DELETE` back in.
    pub const OPT_OUT: &str = "/api/family/opt_out";
}

/// `shared::privacy::PrivacyNotice`.
pub mod privacy_notice {
    pub const NOTICE_VERSION: &str = "notice_version";
    pub const SCHOOL_NAME: &str = "school_name";
    pub const CONTACT: &str = "contact";
    pub const CONSENT: &str = "consent";
    pub const ALL: &[&str] = &[NOTICE_VERSION, SCHOOL_NAME, CONTACT, CONSENT];
}

/// `shared::privacy::SensitiveConsent`.
pub mod sensitive_consent {
    pub const GIVEN_AT: &str = "given_at";
    pub const NOTICE_VERSION: &str = "notice_version";
    pub const ALL: &[&str] = &[GIVEN_AT, NOTICE_VERSION];
}

/// `shared::privacy::ConsentInput`.
pub mod consent_input {
    pub const NOTICE_VERSION: &str = "notice_version";
    pub const ALL: &[&str] = &[NOTICE_VERSION];
}

/// `shared::ApiError` (only the fields read: the page shows the message).
pub mod api_error {
    pub const CODE: &str = "code";
    pub const MESSAGE: &str = "message";
    /// Only present when fields are named (422), so not in `ALL`.
    pub const FIELDS: &str = "fields";
    pub const ALL: &[&str] = &[CODE, MESSAGE];
}

/// `shared::family::EnterRequest`.
pub mod enter_request {
    pub const TOKEN: &str = "token";
    pub const ALL: &[&str] = &[TOKEN];
}

/// `shared::family::IdentifyRequest`.
pub mod identify_request {
    pub const TOKEN: &str = "token";
    pub const STUDENT_NO: &str = "student_no";
    pub const STUDENT_NAME: &str = "student_name";
    pub const LAST_FOUR: &str = "last_four";
    pub const ALL: &[&str] = &[TOKEN, STUDENT_NO, STUDENT_NAME, LAST_FOUR];
}

/// `shared::family::ClassLinkInfo`.
pub mod class_link_info {
    pub const CLASS_NAME: &str = "class_name";
    pub const THEME: &str = "theme";
    pub const ALL: &[&str] = &[CLASS_NAME, THEME];
}

/// `shared::family::AnswerInput`.
pub mod answer_input {
    pub const ANSWER: &str = "answer";
    pub const PEOPLE: &str = "people";
    pub const ALL: &[&str] = &[ANSWER, PEOPLE];
}

/// `shared::family::FamilyAnswer`.
pub mod family_answer {
    pub const ANSWER: &str = "answer";
    pub const STATUS: &str = "status";
    pub const PEOPLE: &str = "people";
    pub const WAITLIST_POSITION: &str = "waitlist_position";
    pub const QUEUE_SEQ: &str = "queue_seq";
    pub const ALL: &[&str] = &[ANSWER, STATUS, PEOPLE, WAITLIST_POSITION, QUEUE_SEQ];
}

/// `shared::family::ConcernInput`.
pub mod concern_input {
    pub const TOPIC: &str = "topic";
    pub const TEXT: &str = "text";
    pub const ALL: &[&str] = &[TOPIC, TEXT];
}

/// `shared::family::FamilyConcern`.
pub mod family_concern {
    pub const ID: &str = "id";
    pub const TOPIC: &str = "topic";
    pub const TEXT: &str = "text";
    pub const ADDRESSED: &str = "addressed";
    pub const REPLY: &str = "reply";
    pub const ALL: &[&str] = &[ID, TOPIC, TEXT, ADDRESSED, REPLY];
}

/// `shared::family::FeedbackInput`, sent and read back.
pub mod feedback_input {
    pub const RATING: &str = "rating";
    pub const SUGGESTIONS: &str = "suggestions";
    pub const ALL: &[&str] = &[RATING, SUGGESTIONS];
}

/// `shared::family::FamilyPage`.
pub mod family_page {
    pub const STUDENT_NAME: &str = "student_name";
    pub const CLASS_NAME: &str = "class_name";
    pub const GUARDIAN_NAME: &str = "guardian_name";
    pub const THEME: &str = "theme";
    pub const DESCRIPTION: &str = "description";
    pub const STARTS_AT: &str = "starts_at";
    pub const ENDS_AT: &str = "ends_at";
    pub const PLACE: &str = "place";
    pub const HAS_ONLINE: &str = "has_online";
    pub const ONLINE_URL: &str = "online_url";
    pub const PER_FAMILY: &str = "per_family";
    pub const SIGNUP_DEADLINE: &str = "signup_deadline";
    pub const CAN_CHANGE: &str = "can_change";
    pub const HELD: &str = "held";
    pub const ANSWER: &str = "answer";
    pub const CONCERNS: &str = "concerns";
    pub const FEEDBACK: &str = "feedback";
    pub const CAN_GIVE_FEEDBACK: &str = "can_give_feedback";
    pub const MESSAGES_OFF: &str = "messages_off";
    pub const ALL: &[&str] = &[
        STUDENT_NAME,
        CLASS_NAME,
        GUARDIAN_NAME,
        THEME,
        DESCRIPTION,
        STARTS_AT,
        ENDS_AT,
        PLACE,
        HAS_ONLINE,
        ONLINE_URL,
        PER_FAMILY,
        SIGNUP_DEADLINE,
        CAN_CHANGE,
        HELD,
        ANSWER,
        CONCERNS,
        FEEDBACK,
        CAN_GIVE_FEEDBACK,
        MESSAGES_OFF,
    ];
}
