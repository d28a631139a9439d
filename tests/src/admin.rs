//! Helpers for the tests of staff-run organisation: requests with any method, expected errors,
//! and a campaign to work on.

use reqwest::{Client, Method, Response, StatusCode};
use serde::Serialize;
use shared::campaigns::{Campaign, CampaignInput};
use shared::ApiError;

use crate::{error_body, json_of, TestApp};

impl TestApp {
    /// A request with a JSON body (or none) and any method: PUT, DELETE, POST.
    pub async fn send(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> Response {
        let mut request = client.request(method.clone(), self.url(path));
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// A request that must answer 200 with a `T`.
    pub async fn send_ok<T: serde::de::DeserializeOwned>(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> T {
        let body = serde_json::to_value(body).expect("a JSON body");
        json_of(self.send(client, method.clone(), path, Some(&body)).await, &format!("{method} {path}")).await
    }

    /// A request that must fail with this status and error code; returns the error.
    pub async fn send_error(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        body: &impl Serialize,
        status: StatusCode,
        code: &str,
    ) -> ApiError {
        let body = serde_json::to_value(body).expect("a JSON body");
        let (actual, error) = error_body(self.send(client, method.clone(), path, Some(&body)).await).await;
        assert_eq!((actual, error.code.as_str()), (status, code), "{method} {path}: {error:?}");
        error
    }

    /// A draft campaign made by `admin` (a signed-in admin's client).
    pub async fn create_campaign(&self, admin: &Client, name: &str) -> Campaign {
        let input = campaign_input(name);
        self.send_ok(admin, Method::POST, "/api/campaigns", &input).await
    }
}

/// A valid campaign: the 2024 winter holidays with targets.
pub fn campaign_input(name: &str) -> CampaignInput {
    CampaignInput {
        name: name.to_string(),
        starts_on: "2024-01-15".into(),
        ends_on: "2024-02-25".into(),
        target_students: Some(2184),
        target_in_person_pct: Some(5),
        hardship_in_person: false,
    }
}
