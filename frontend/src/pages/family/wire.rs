//! The parent's page talks JSON without serde: the browser's own `JSON.parse` and
//! `JSON.stringify`, and a few lines per type here. serde_json and the derived decoders were a
//! tenth of this page's download, which has a budget of 100 KiB on a slow phone network
//! (issue 8); the staff app keeps serde. The shapes are those of `shared::family`, whose
//! serde names these follow; the browser tests of the parent's page read every field.

use js_sys::{Object, Reflect, JSON};
use shared::family::{
    AnswerInput, ClassLinkInfo, ConcernInput, EnterRequest, FamilyAnswer, FamilyConcern, FamilyPage, FeedbackInput,
    IdentifyRequest,
};
use shared::meetings::{AnswerStatus, Attendance, Topic};
use shared::ApiError;
use wasm_bindgen::{JsCast, JsValue};

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
    /// The field messages are left out: the parent's page shows the message, which names them.
    fn from_js(o: &Obj) -> Option<Self> {
        Some(ApiError::new(&o.str("code")?, o.str("message")?))
    }
}

impl FromJs for ClassLinkInfo {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(ClassLinkInfo { class_name: o.str("class_name")?, theme: o.str("theme")? })
    }
}

impl FromJs for FamilyAnswer {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(FamilyAnswer {
            answer: Attendance::from_code(&o.str("answer")?)?,
            status: AnswerStatus::from_code(&o.str("status")?)?,
            people: o.int("people")?,
            waitlist_position: o.opt("waitlist_position", |v| v.as_f64().map(|n| n as i64))?,
            queue_seq: o.int("queue_seq")?,
        })
    }
}

impl FromJs for FamilyConcern {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(FamilyConcern { id: o.int("id")?, topic: Topic::from_code(&o.str("topic")?)?, text: o.str("text")? })
    }
}

impl FromJs for FeedbackInput {
    fn from_js(o: &Obj) -> Option<Self> {
        Some(FeedbackInput { rating: o.int("rating")?, suggestions: o.str("suggestions")? })
    }
}

impl FromJs for FamilyPage {
    fn from_js(o: &Obj) -> Option<Self> {
        let concerns: js_sys::Array = o.get("concerns").dyn_into().ok()?;
        Some(FamilyPage {
            student_name: o.str("student_name")?,
            class_name: o.str("class_name")?,
            guardian_name: o.str("guardian_name")?,
            theme: o.str("theme")?,
            description: o.str("description")?,
            starts_at: o.int("starts_at")?,
            ends_at: o.int("ends_at")?,
            place: o.opt("place", |v| v.as_string())?,
            has_online: o.bool("has_online")?,
            online_url: o.opt("online_url", |v| v.as_string())?,
            per_family: o.int("per_family")?,
            signup_deadline: o.int("signup_deadline")?,
            can_change: o.bool("can_change")?,
            held: o.bool("held")?,
            answer: o.opt("answer", Obj::object)?,
            concerns: concerns.iter().map(Obj::object).collect::<Option<_>>()?,
            feedback: o.opt("feedback", Obj::object)?,
            can_give_feedback: o.bool("can_give_feedback")?,
        })
    }
}

impl ToJs for EnterRequest {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![("token", text(&self.token))]
    }
}

impl ToJs for IdentifyRequest {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![("token", text(&self.token)), ("student_no", text(&self.student_no)), ("last_four", text(&self.last_four))]
    }
}

impl ToJs for AnswerInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![("answer", text(self.answer.code())), ("people", number(self.people))]
    }
}

impl ToJs for ConcernInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![("topic", text(self.topic.code())), ("text", text(&self.text))]
    }
}

impl ToJs for FeedbackInput {
    fn fields(&self) -> Vec<(&'static str, JsValue)> {
        vec![("rating", number(self.rating)), ("suggestions", text(&self.suggestions))]
    }
}
