//! Requests as a browser's script would send them: a client per person with its own cookie jar,
//! and typed helpers that fail with the response body in the message.

use reqwest::{Client, Response, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::ApiError;

use crate::{Account, TestApp};

impl TestApp {
    /// A client with a cookie jar of its own: one signed-in person.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).build().expect("building an HTTP client")
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    pub async fn post_json(&self, client: &Client, path: &str, body: &impl Serialize) -> Response {
        client.post(self.url(path)).json(body).send().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// `GET path` that must answer 200 with a `T`.
    pub async fn get_json<T: DeserializeOwned>(&self, client: &Client, path: &str) -> T {
        json_of(self.get(client, path).await, &format!("GET {path}")).await
    }

    /// Signs in as a person would, with the current code when the account has two-step
    /// verification on.
    pub async fn login(&self, client: &Client, username: &str, password: &str) -> Response {
        let code = self.totp_code(username).await;
        self.login_with_code(client, username, password, code.as_deref()).await
    }

    /// Signs in with exactly this code, or none.
    pub async fn login_with_code(
        &self,
        client: &Client,
        username: &str,
        password: &str,
        code: Option<&str>,
    ) -> Response {
        let body = shared::auth::LoginRequest {
            username: username.to_string(),
            password: password.to_string(),
            totp: code.map(str::to_string),
        };
        self.post_json(client, "/api/auth/login", &body).await
    }

    /// A new client signed in as `account`.
    pub async fn signed_in(&self, account: &Account) -> Client {
        let client = self.client();
        let response = self.login(&client, &account.username, &account.password).await;
        let _: shared::auth::Me = json_of(response, &format!("signing in as {}", account.username)).await;
        client
    }

    /// `GET path` that must fail with this status and error code; returns the error.
    pub async fn get_error(&self, client: &Client, path: &str, status: StatusCode, code: &str) -> ApiError {
        let response = self.get(client, path).await;
        let (actual, error) = error_body(response).await;
        assert_eq!((actual, error.code.as_str()), (status, code), "GET {path}: {error:?}");
        error
    }
}

/// Signs in over HTTP and keeps only the cookie, so that no answer afterwards can replace it
/// (the role × route matrix, the fuzzing server).
pub async fn staff_cookie(app: &TestApp, username: &str) -> String {
    let response = app.login(&app.client(), username, crate::PASSWORD).await;
    let cookie = cookie_pair(&set_cookie(&response));
    let _: shared::auth::Me = json_of(response, username).await;
    cookie
}

/// The body of a 200 answer as a `T`; anything else fails the test with the body shown.
pub async fn json_of<T: DeserializeOwned>(response: Response, what: &str) -> T {
    let status = response.status();
    let text = response.text().await.unwrap_or_else(|e| panic!("{what}: reading the body: {e}"));
    assert_eq!(status, StatusCode::OK, "{what}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{what}: {e} in {text}"))
}

/// An error answer: its status and the API's error body, which it must have.
pub async fn error_body(response: Response) -> (StatusCode, ApiError) {
    let status = response.status();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).map(str::to_string);
    let text = response.text().await.expect("reading an error body");
    assert_eq!(content_type.as_deref(), Some("application/json"), "{status}: {text}");
    let error = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{status}: not an API error ({e}): {text}"));
    (status, error)
}

/// The one `Set-Cookie` header of a response.
pub fn set_cookie(response: &Response) -> String {
    let mut values = response.headers().get_all("set-cookie").iter();
    let value = values.next().expect("a Set-Cookie header").to_str().expect("an ASCII cookie").to_string();
    assert!(values.next().is_none(), "more than one Set-Cookie header");
    value
}

/// What a browser sends back for a `Set-Cookie` header: its `name=value` part.
pub fn cookie_pair(set_cookie: &str) -> String {
    set_cookie.split(';').next().unwrap_or("").to_string()
}

/// The value of a `Set-Cookie` header's cookie: `jf_session=TOKEN; Path=/…` gives `TOKEN`.
pub fn session_token(set_cookie: &str) -> String {
    cookie_pair(set_cookie).split_once('=').map(|(_, v)| v.to_string()).expect("a name=value cookie")
}
