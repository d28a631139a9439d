//! SMS to guardians through an `SmsGateway`: Alibaba Cloud SMS (`SendSms`, signed as its RPC
//! documentation specifies) or the school's own platform behind a small HTTP JSON interface.
//! Both get the message's id (Alibaba's `OutId`, the gateway's `id`) so that a provider can drop
//! a duplicate if a message is handed over again after an instance died mid-send.

use base64::Engine;
use futures_util::future::BoxFuture;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;

use super::config::Hidden;
use super::{http_error, Refused};

/// One text to one phone.
pub struct Sms<'a> {
    pub id: i64,
    pub phone: &'a str,
    pub text: &'a str,
}

pub trait SmsGateway: Send + Sync {
    /// Shown to staff: which channel sends their guardians' texts.
    fn name(&self) -> &'static str;
    /// `Ok` only when the gateway accepted the message.
    fn send<'a>(&'a self, sms: &'a Sms<'a>) -> BoxFuture<'a, Result<(), Refused>>;
    /// The token a gateway that forwards guardians' replies presents (`POST /api/sms/replies`).
    fn reply_token(&self) -> Option<&str> {
        None
    }
}

/// The school's own platform: `POST url` with `Authorization: Bearer <token>` and
/// `{"phone": …, "text": …, "id": …}`; any 2xx answer means accepted.
pub struct HttpGateway {
    pub url: String,
    pub token: Hidden,
    pub client: reqwest::Client,
}

impl SmsGateway for HttpGateway {
    fn name(&self) -> &'static str {
        "http"
    }

    /// The platform forwards replies with the same bearer token it is called with.
    fn reply_token(&self) -> Option<&str> {
        Some(self.token.expose())
    }

    fn send<'a>(&'a self, sms: &'a Sms<'a>) -> BoxFuture<'a, Result<(), Refused>> {
        Box::pin(async move {
            let body = serde_json::json!({ "phone": sms.phone, "text": sms.text, "id": sms.id });
            let response = self
                .client
                .post(&self.url)
                .bearer_auth(self.token.expose())
                .json(&body)
                .send()
                .await
                .map_err(http_error)?;
            let status = response.status();
            if status.is_success() {
                return Ok(());
            }
            let detail: String = response.text().await.unwrap_or_default().chars().take(200).collect();
            Err(Refused::again(format!("SMS gateway answered HTTP {}: {}", status.as_u16(), detail.trim())))
        })
    }
}

/// Alibaba Cloud SMS (`dysmsapi`, API version 2017-05-25). Texts go through one approved template
/// whose only variable is `${content}`: Alibaba sends only approved templates.
pub struct Aliyun {
    pub endpoint: String,
    pub access_key_id: String,
    pub access_key_secret: Hidden,
    pub sign_name: String,
    pub template_code: String,
    pub client: reqwest::Client,
}

#[derive(Deserialize)]
struct AliyunAnswer {
    #[serde(rename = "Code")]
    code: String,
    #[serde(rename = "Message", default)]
    message: String,
}

impl SmsGateway for Aliyun {
    fn name(&self) -> &'static str {
        "aliyun"
    }

    fn send<'a>(&'a self, sms: &'a Sms<'a>) -> BoxFuture<'a, Result<(), Refused>> {
        Box::pin(async move {
            let timestamp = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let nonce = hex::encode(rand::random::<[u8; 16]>());
            let template_param = serde_json::json!({ "content": sms.text }).to_string();
            let id = sms.id.to_string();
            let params = [
                ("AccessKeyId", self.access_key_id.as_str()),
                ("Action", "SendSms"),
                ("Format", "JSON"),
                ("OutId", id.as_str()),
                ("PhoneNumbers", sms.phone),
                ("RegionId", "cn-hangzhou"),
                ("SignName", self.sign_name.as_str()),
                ("SignatureMethod", "HMAC-SHA1"),
                ("SignatureNonce", nonce.as_str()),
                ("SignatureVersion", "1.0"),
                ("TemplateCode", self.template_code.as_str()),
                ("TemplateParam", template_param.as_str()),
                ("Timestamp", timestamp.as_str()),
                ("Version", "2017-05-25"),
            ];
            let query = signed_query("GET", &params, self.access_key_secret.expose());
            let response = self.client.get(format!("{}/?{query}", self.endpoint)).send().await.map_err(http_error)?;
            let status = response.status();
            let answer: Option<AliyunAnswer> = response.json().await.ok();
            match answer {
                Some(a) if a.code == "OK" => Ok(()),
                Some(a) => Err(Refused::again(format!("Alibaba Cloud SMS {}: {}", a.code, a.message))),
                None => Err(Refused::again(format!("Alibaba Cloud SMS answered HTTP {}", status.as_u16()))),
            }
        })
    }
}

/// RFC 3986: everything but `A-Z a-z 0-9 - _ . ~` is percent-encoded (a space as `%20`).
const RFC3986: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, RFC3986).to_string()
}

/// The canonical query string (parameters sorted by name, names and values encoded) with its
/// `Signature` appended: Base64(HMAC-SHA1(secret + "&", method + "&%2F&" + encode(canonical))).
pub fn signed_query(method: &str, params: &[(&str, &str)], secret: &str) -> String {
    let mut sorted: Vec<_> = params.to_vec();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let canonical = sorted.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
    let signature = signature(method, &canonical, secret);
    format!("{canonical}&Signature={}", encode(&signature))
}

fn signature(method: &str, canonical: &str, secret: &str) -> String {
    let string_to_sign = format!("{method}&{}&{}", encode("/"), encode(canonical));
    // HMAC takes a key of any length: this cannot fail.
    let Ok(mut mac) = <Hmac<sha1::Sha1> as Mac>::new_from_slice(format!("{secret}&").as_bytes()) else {
        return String::new();
    };
    mac.update(string_to_sign.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    /// The worked example of Alibaba Cloud's SMS signature documentation (help.aliyun.com,
    /// document 101343, "签名机制"): AccessKeyId testId, secret testSecret, SendSms to
    /// 15300000001 with the test sign name and template; its signature is
    /// zJDF+Lrzhj/ThnlvIToysFRq6t4=.
    #[test]
    fn the_documentation_example_signs_as_documented() {
        let params = [
            ("AccessKeyId", "testId"),
            ("Action", "SendSms"),
            ("Format", "XML"),
            ("OutId", "123"),
            ("PhoneNumbers", "15300000001"),
            ("RegionId", "cn-hangzhou"),
            ("SignName", "阿里云短信测试专用"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureNonce", "45e25e9b-0a6f-4070-8c85-2956eda1b466"),
            ("SignatureVersion", "1.0"),
            ("TemplateCode", "SMS_71390007"),
            ("TemplateParam", "{\"customer\":\"test\"}"),
            ("Timestamp", "2017-07-12T02:42:19Z"),
            ("Version", "2017-05-25"),
        ];
        // Given in another order: the signature sorts them.
        let mut shuffled = params;
        shuffled.reverse();
        let query = super::signed_query("GET", &shuffled, "testSecret");
        assert!(query.starts_with("AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123"), "{query}");
        assert!(query
            .contains("SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8"));
        assert!(query.contains("TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z"));
        assert!(query.ends_with("&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D"), "{query}");
    }

    #[test]
    fn spaces_and_stars_are_encoded_as_rfc3986_says() {
        assert_eq!(super::encode("a b*c~d"), "a%20b%2Ac~d");
    }
}
