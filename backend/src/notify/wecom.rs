//! The staff's WeCom (企业微信) group robot: a POST of `{"msgtype":"text","text":{"content":…}}` to
//! the group's webhook address, which answers `{"errcode":0,"errmsg":"ok"}` when it took the
//! message (an error code comes with HTTP 200 too). The address holds the robot's key: it is a
//! secret, never logged nor stored with a failure.

use serde::Deserialize;

use super::{http_error, Refused};
use crate::notify::config::Hidden;

pub struct WeCom {
    pub webhook: Hidden,
    pub client: reqwest::Client,
}

#[derive(Deserialize)]
struct Answer {
    errcode: i64,
    #[serde(default)]
    errmsg: String,
}

impl WeCom {
    pub async fn send(&self, text: &str) -> Result<(), Refused> {
        let body = serde_json::json!({ "msgtype": "text", "text": { "content": text } });
        let response = self.client.post(self.webhook.expose()).json(&body).send().await.map_err(http_error)?;
        let status = response.status();
        if !status.is_success() {
            return Err(Refused::again(format!("WeCom answered HTTP {}", status.as_u16())));
        }
        let answer: Answer = response.json().await.map_err(http_error)?;
        match answer.errcode {
            0 => Ok(()),
            code => Err(Refused::again(format!("WeCom errcode {code}: {}", answer.errmsg))),
        }
    }
}
