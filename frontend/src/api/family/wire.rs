//! The parent's page talks JSON without serde: the browser's own `JSON.parse` and
//! `JSON.stringify`, and a few lines per type here. serde_json and the derived decoders were a
//! tenth of this page's download, which has a budget of 90 KiB on a slow phone network
//! (issues 8 and 18); the staff app keeps serde. The shapes are those of `shared::family`; the field
//! names are the constants of `names.rs`, checked against serde's by a native test, and the
//! browser tests of the parent's page read every field.

use js_sys::{Object, Reflect, JSON};
use shared::family::{
    AnswerInput, ClassLinkInfo, ConcernInput, EnterRequest, FamilyAnswer, FamilyConcern, FamilyPage, FeedbackInput,
    IdentifyRequest,
};
use shared::meetings::{AnswerStatus, Attendance, Topic};
use shared::privacy::{ConsentInput, PrivacyNotice, SensitiveConsent};
use shared::ApiError;
use wasm_bindgen::{JsCast, JsValue};

use super::names::{
    answer_input, api_error, class_link_info, concern_input, enter_request, family_answer, family_concern, family_page,
    feedback_input, identify_request, privacy_notice, sensitive_consent,
};
use crate::api;

/// A JSON object from the server.
pub struct Obj(JsValue);

impl Obj {
    fn parse(text: &str) -> Option<Obj> {
        JSON::parse(text).ok().filter(JsValue::is_object).map(Obj)
    }

    fn get(&self, key: &str) -> JsValue {
        Reflect::get(&self.0, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
    }

    fn str(&self, key: &str) -> Option<String> {
        self.get(key).as_string()
    }

    fn int(&self, key: &str) -> Option<i64> {
        self.get(key).as_f64().map(|n| n as i64)
    }

    fn bool(&self, key: &str) -> Option<bool> {
        self.get(key).as_bool()
    }

    /// A field that may be `null` (or missing): `None` only when it holds something else.
    fn opt<T>(&self, key: &str, read: impl FnOnce(JsValue) -> Option<T>) -> Option<Option<T>> {
        let value = self.get(key);
        if value.is_null() || value.is_undefined() {
            Some(None)
        } else {
            read(value).map(Some)
        }
    }

    /// A text that may be `null`.
    fn opt_str(&self, key: &str) -> Option<Option<String>> {
        self.opt(key, |v| v.as_string())
    }

    fn object<T: FromJs>(value: JsValue) -> Option<T> {
        value.is_object().then(|| T::from_js(&Obj(value))).flatten()
    }
}

/// An answer the parent's page reads.
pub trait FromJs: Sized {
    fn from_js(o: &Obj) -> Option<Self>;
}

/// A request body it sends.
pub trait ToJs {
    fn fields(&self) -> Vec<(&'static str, JsValue)>;
}

fn text(value: &str) -> JsValue {
    JsValue::from_str(value)
}

fn number(value: i64) -> JsValue {
    JsValue::from_f64(value as f64)
}

fn encode(body: &dyn ToJs) -> String {
    let object = Object::new();
    for (key, value) in body.fields() {
        let _ = Reflect::set(&object, &text(key), &value);
    }
    JSON::stringify(&object).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// Sends a request and reads the answer as `T`, or the API's error.
pub async fn call<T: FromJs>(method: &str, path: &str, body: Option<&dyn ToJs>) -> Result<T, ApiError> {
    let response = api::send(method, path, body.map(encode)).await?;
    read(response, path).await
}

/// Reads the answer to a request that family.html's start-up script sent (see `early_enter`).
pub async fn read_sent<T: FromJs>(sent: js_sys::Promise, path: &str) -> Result<T, ApiError> {
    read(api::sent_response(sent).await?, path).await
}

async fn read<T: FromJs>(response: web_sys::Response, path: &str) -> Result<T, ApiError> {
    let body = api::text(&response).await?;
    let decode =
        |text: &str| Obj::parse(text).and_then(|o| T::from_js(&o)).ok_or_else(|| "unexpected answer".to_string());
    api::answer_with(response.status(), &body, path, decode, |text| {
        Obj::parse(text).and_then(|o| ApiError::from_js(&o))
    })
}

impl FromJs for ApiError {
    /// The parent's page has one line for an error: a refusal of named fields ("check what is
    /// marked", 422) is shown by the fields' own messages, which say what is wrong.
    fn from_js(o: &Obj) -> Option<Self> {
        let fields = o.get(api_error::FIELDS);
        let said: Vec<String> = if fields.is_object() {
            Object::values(&Object::from(fields)).iter().filter_map(|v| v.as_string()).collect()
        } else {
            Vec::new()
        };
        let message = if said.is_empty() { o.str(api_error::MESSAGE)? } else { said.join(" ") };
        Some(ApiError::new(&o.str(api_error::CODE)?, message))
    }
}

impl FromJs for ClassLinkInfo {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(ClassLinkInfo { class_name: o.str(class_link_info::CLASS_NAME)?, theme: o.str(class_link_info::THEME)? })
    }
}

impl FromJs for FamilyAnswer {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(FamilyAnswer {
            answer: Attendance::from_code(&o.str(family_answer::ANSWER)?)?,
            status: AnswerStatus::from_code(&o.str(family_answer::STATUS)?)?,
            people: o.int(family_answer::PEOPLE)?,
            waitlist_position: o.opt(family_answer::WAITLIST_POSITION, |v| v.as_f64().map(|n| n as i64))?,
            queue_seq: o.int(family_answer::QUEUE_SEQ)?,
        })
    }
}

impl FromJs for FamilyConcern {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(FamilyConcern {
            id: o.int(family_concern::ID)?,
            topic: Topic::from_code(&o.str(family_concern::TOPIC)?)?,
            text: o.str(family_concern::TEXT)?,
            addressed: o.bool(family_concern::ADDRESSED)?,
            reply: o.opt_str(family_concern::REPLY)?,
        })
    }
}

impl FromJs for FeedbackInput {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(FeedbackInput { rating: o.int(feedback_input::RATING)?, suggestions: o.str(feedback_input::SUGGESTIONS)? })
    }
}

impl FromJs for FamilyPage {
    fn from_js(o: &Obj) -> Option<Self> {
        let concerns: js_sys::Array = o.get(family_page::CONCERNS).dyn_into().ok()?;
        Some(FamilyPage {
            student_name: o.str(family_page::STUDENT_NAME)?,
            class_name: o.str(family_page::CLASS_NAME)?,
            guardian_name: o.str(family_page::GUARDIAN_NAME)?,
            theme: o.str(family_page::THEME)?,
            description: o.str(family_page::DESCRIPTION)?,
            starts_at: o.int(family_page::STARTS_AT)?,
            ends_at: o.int(family_page::ENDS_AT)?,
            place: o.opt_str(family_page::PLACE)?,
            has_online: o.bool(family_page::HAS_ONLINE)?,
            online_url: o.opt_str(family_page::ONLINE_URL)?,
            per_family: o.int(family_page::PER_FAMILY)?,
            signup_deadline: o.int(family_page::SIGNUP_DEADLINE)?,
            can_change: o.bool(family_page::CAN_CHANGE)?,
            held: o.bool(family_page::HELD)?,
            answer: o.opt(family_page::ANSWER, Obj::object)?,
            concerns: concerns.iter().map(Obj::object).collect::<Option<_>>()?,
            feedback: o.opt(family_page::FEEDBACK, Obj::object)?,
            can_give_feedback: o.bool(family_page::CAN_GIVE_FEEDBACK)?,
            messages_off: o.bool(family_page::MESSAGES_OFF)?,
        })
    }
}

impl ToJs for EnterRequest {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![(enter_request::TOKEN, text(&self.token))]
    }
}

impl ToJs for IdentifyRequest {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![
            (identify_request::TOKEN, text(&self.token)),
            (identify_request::STUDENT_NO, text(&self.student_no)),
            (identify_request::STUDENT_NAME, text(&self.student_name)),
            (identify_request::LAST_FOUR, text(&self.last_four)),
        ]
    }
}

impl ToJs for AnswerInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![(answer_input::ANSWER, text(self.answer.code())), (answer_input::PEOPLE, number(self.people))]
    }
}

impl ToJs for ConcernInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![(concern_input::TOPIC, text(self.topic.code())), (concern_input::TEXT, text(&self.text))]
    }
}

impl ToJs for FeedbackInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![(feedback_input::RATING, number(self.rating)), (feedback_input::SUGGESTIONS, text(&self.suggestions))]
    }
}

impl FromJs for SensitiveConsent {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(SensitiveConsent {
            given_at: o.int(sensitive_consent::GIVEN_AT)?,
            notice_version: o.int(sensitive_consent::NOTICE_VERSION)?,
        })
    }
}

impl FromJs for PrivacyNotice {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(PrivacyNotice {
            notice_version: o.int(privacy_notice::NOTICE_VERSION)?,
            school_name: o.str(privacy_notice::SCHOOL_NAME)?,
            contact: o.str(privacy_notice::CONTACT)?,
            consent: o.opt(privacy_notice::CONSENT, Obj::object)?,
        })
    }
}

impl ToJs for ConsentInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![(super::names::consent_input::NOTICE_VERSION, number(self.notice_version))]
    }
}
