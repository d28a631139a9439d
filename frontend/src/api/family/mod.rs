//! The parent's page's endpoints, for its slim build: serde-free (`wire.rs`), with the paths and
//! field names in `names.rs`, which a native test checks against `shared::family`'s serde names.

pub mod names;
mod wire;

pub use names::path;
use shared::family::{
    AnswerInput, ClassLinkInfo, ConcernInput, EnterRequest, FamilyPage, FeedbackInput, IdentifyRequest,
};
use shared::ApiError;

/// `POST /api/family/enter`: a personal link's token for a family session; answers the page.
pub async fn enter(body: &EnterRequest) -> Result<FamilyPage, ApiError> {
    wire::call("POST", path::ENTER, Some(body)).await
}

/// The answer to the `POST /api/family/enter` that `family.html`'s start-up script sent.
pub async fn entered(sent: js_sys::Promise) -> Result<FamilyPage, ApiError> {
    wire::read_sent(sent, path::ENTER).await
}

/// `POST /api/family/class`: what a class link is for, before the parent identifies.
pub async fn class_link(body: &EnterRequest) -> Result<ClassLinkInfo, ApiError> {
    wire::call("POST", path::CLASS, Some(body)).await
}

/// `POST /api/family/identify`: a class link's parent, by student number and phone.
pub async fn identify(body: &IdentifyRequest) -> Result<FamilyPage, ApiError> {
    wire::call("POST", path::IDENTIFY, Some(body)).await
}

/// `GET /api/family/me`: the page of the family session already open.
pub async fn me() -> Result<FamilyPage, ApiError> {
    wire::call("GET", path::ME, None).await
}

/// `PUT /api/family/answer`.
pub async fn answer(body: &AnswerInput) -> Result<FamilyPage, ApiError> {
    wire::call("PUT", path::ANSWER, Some(body)).await
}

/// `DELETE /api/family/answer`.
pub async fn withdraw_answer() -> Result<FamilyPage, ApiError> {
    wire::call("DELETE", path::ANSWER, None).await
}

/// `POST /api/family/concerns`.
pub async fn add_concern(body: &ConcernInput) -> Result<FamilyPage, ApiError> {
    wire::call("POST", path::CONCERNS, Some(body)).await
}

/// `DELETE /api/family/concerns/{id}`.
pub async fn remove_concern(id: i64) -> Result<FamilyPage, ApiError> {
    wire::call("DELETE", &format!("{}/{id}", path::CONCERNS), None).await
}

/// `POST /api/family/feedback`.
pub async fn feedback(body: &FeedbackInput) -> Result<FamilyPage, ApiError> {
    wire::call("POST", path::FEEDBACK, Some(body)).await
}

/// `GET /api/family/privacy`: the notice's school details and this guardian's consent.
pub async fn privacy() -> Result<shared::privacy::PrivacyNotice, ApiError> {
    wire::call("GET", path::PRIVACY, None).await
}

/// `POST /api/family/consent`: the separate consent to concerns on sensitive topics.
pub async fn give_consent() -> Result<shared::privacy::PrivacyNotice, ApiError> {
    let body = shared::privacy::ConsentInput { notice_version: shared::privacy::NOTICE_VERSION };
    wire::call("POST", path::CONSENT, Some(&body)).await
}

/// `DELETE /api/family/consent`: withdraws it.
pub async fn withdraw_consent() -> Result<shared::privacy::PrivacyNotice, ApiError> {
    wire::call("DELETE", path::CONSENT, None).await
}

/// `POST /api/family/opt_out`: no more messages to this guardian (`out`), or `DELETE`: back in.
pub async fn opt_out(out: bool) -> Result<FamilyPage, ApiError> {
    wire::call(if out { "POST" } else { "DELETE" }, path::OPT_OUT, None).await
}
