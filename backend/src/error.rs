//! The one error type of the API. Every failure becomes `{"code", "message", "fields"}` in the
//! request's language; unknown failures are logged with an id and answered with an opaque 500.

use std::collections::BTreeMap;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use shared::ApiError;

use crate::i18n::{self, Msg};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("not signed in")]
    Unauthorized,
    #[error("wrong username or password")]
    WrongCredentials,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// A cross-site state-changing request: 403.
    #[error("cross-site request")]
    Cross(Msg),
    /// Field errors in a request body: 422 with a message per field.
    #[error("validation failed")]
    Validation(Vec<(String, Msg)>),
    /// A body or query that could not be read at all.
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    #[error("bad request")]
    BadRequest(Msg),
    #[error("conflict")]
    Conflict(Msg),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("too many attempts")]
    TooManyRequests { retry_after_secs: u64 },
    /// The server is at capacity for this kind of work (password hashing): 503, try again soon.
    #[error("busy")]
    Busy { retry_after_secs: u64 },
    /// Any other status with a code of its own, e.g. a family link that was revoked (410).
    #[error("{code}")]
    Status { status: StatusCode, code: &'static str, message: Msg },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn field(name: &str, msg: Msg) -> Error {
        Error::Validation(vec![(name.to_string(), msg)])
    }

    fn status(&self) -> StatusCode {
        match self {
            Error::Unauthorized | Error::WrongCredentials => StatusCode::UNAUTHORIZED,
            Error::Forbidden | Error::Cross(_) => StatusCode::FORBIDDEN,
            Error::NotFound => StatusCode::NOT_FOUND,
            Error::Validation(_) | Error::InvalidRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Error::BadRequest(_) => StatusCode::BAD_REQUEST,
            Error::Conflict(_) => StatusCode::CONFLICT,
            Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Error::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            Error::Status { status, .. } => *status,
            Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Error::Unauthorized => "unauthorized",
            Error::WrongCredentials => "wrong_credentials",
            Error::Forbidden => "forbidden",
            Error::Cross(_) => "cross_site",
            Error::NotFound => "not_found",
            Error::Validation(_) => "validation",
            Error::InvalidRequest(_) => "invalid_request",
            Error::BadRequest(_) => "bad_request",
            Error::Conflict(_) => "conflict",
            Error::PayloadTooLarge => "payload_too_large",
            Error::TooManyRequests { .. } => "too_many_requests",
            Error::Busy { .. } => "busy",
            Error::Status { code, .. } => code,
            Error::Internal(_) => "internal",
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            Error::Unauthorized => Msg::new("请先登录", "Please sign in first"),
            Error::WrongCredentials => Msg::new("用户名或密码不正确", "Wrong username or password"),
            Error::Forbidden => Msg::new("您没有权限执行此操作", "You are not allowed to do this"),
            Error::NotFound => Msg::new("找不到该内容", "Not found"),
            Error::Validation(_) => Msg::new("请检查标出的内容", "Please check the marked fields"),
            Error::InvalidRequest(detail) => {
                Msg::owned(format!("请求内容无法识别：{detail}"), format!("The request could not be read: {detail}"))
            }
            Error::BadRequest(msg) | Error::Conflict(msg) | Error::Cross(msg) => msg.clone(),
            Error::Status { message, .. } => message.clone(),
            Error::PayloadTooLarge => Msg::new("上传的内容太大", "What was sent is too large"),
            Error::TooManyRequests { retry_after_secs } => Msg::owned(
                format!("尝试次数过多，请 {} 分钟后再试", retry_after_secs.div_ceil(60)),
                format!("Too many attempts. Try again in {} minutes", retry_after_secs.div_ceil(60)),
            ),
            Error::Busy { retry_after_secs } => Msg::owned(
                format!("服务器正忙，请 {retry_after_secs} 秒后再试"),
                format!("The server is busy. Try again in {retry_after_secs} seconds"),
            ),
            Error::Internal(_) => {
                Msg::new("服务器出错了，请稍后再试", "Something went wrong on our side. Please try again later")
            }
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Error::NotFound,
            e => Error::Internal(e.into()),
        }
    }
}

impl From<JsonRejection> for Error {
    fn from(rejection: JsonRejection) -> Self {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return Error::PayloadTooLarge;
        }
        Error::InvalidRequest(rejection.body_text())
    }
}

impl From<QueryRejection> for Error {
    fn from(rejection: QueryRejection) -> Self {
        Error::InvalidRequest(rejection.body_text())
    }
}

impl From<PathRejection> for Error {
    fn from(rejection: PathRejection) -> Self {
        match rejection {
            PathRejection::FailedToDeserializePathParams(_) => Error::NotFound,
            other => Error::InvalidRequest(other.body_text()),
        }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let lang = i18n::current();
        let status = self.status();
        if let Error::Internal(ref cause) = self {
            tracing::error!(error = %format!("{cause:#}").replace('\n', " "), "request failed");
        }
        let fields: BTreeMap<String, String> = match &self {
            Error::Validation(fields) => fields.iter().map(|(f, m)| (f.clone(), m.text(lang).to_string())).collect(),
            _ => BTreeMap::new(),
        };
        let body = ApiError { code: self.code().to_string(), message: self.message().text(lang).to_string(), fields };
        let mut response = (status, axum::Json(body)).into_response();
        if let Error::TooManyRequests { retry_after_secs } | Error::Busy { retry_after_secs } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

/// `Json` whose rejection is our error, so a malformed body or an unknown field gets the one
/// error shape in the user's language. Every request body of the API is an object: serde would
/// otherwise read a struct from an array of its fields in order (`[null, null]`), which the
/// OpenAPI document does not allow (found by schemathesis).
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for Json<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Error;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(request, state).await?;
        if !value.is_object() {
            return Err(Error::InvalidRequest("expected a JSON object".into()));
        }
        serde_json::from_value(value).map(Json).map_err(|e| {
            Error::InvalidRequest(format!("Failed to deserialize the JSON body into the target type: {e}"))
        })
    }
}

impl<T: serde::de::DeserializeOwned> Json<T> {
    /// The body read under a limit of the route's own instead of the global one (the route
    /// disables `DefaultBodyLimit`, so that only this limit applies): over it, 413 in the error
    /// shape; otherwise read as `Json` reads it. A body over the limit is still read to its end
    /// (and dropped), up to four times the limit: a server that answers while the client is
    /// still sending closes a connection with unread data, which the client may see as a
    /// network failure instead of the 413 — and a tablet would then retry the same request
    /// forever instead of splitting it.
    pub async fn with_limit(request: axum::extract::Request, limit: usize) -> Result<Json<T>> {
        use axum::extract::FromRequest;
        use futures_util::StreamExt;
        let (parts, body) = request.into_parts();
        let mut stream = body.into_data_stream();
        let (mut kept, mut seen) = (Vec::new(), 0usize);
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| Error::InvalidRequest("the body could not be read".into()))?;
            seen += chunk.len();
            if seen <= limit {
                kept.extend_from_slice(&chunk);
            } else if seen > limit.saturating_mul(4) {
                break;
            }
        }
        if seen > limit {
            return Err(Error::PayloadTooLarge);
        }
        let request = axum::extract::Request::from_parts(parts, axum::body::Body::from(kept));
        Json::from_request(request, &()).await
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// `Query` whose rejection is our error.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Error))]
pub struct Query<T>(pub T);

/// `Path` whose rejection is our error: a malformed id is simply not found.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(Error))]
pub struct Path<T>(pub T);
