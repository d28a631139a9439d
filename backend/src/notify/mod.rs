//! Delivering the outbox (issue 16). The operator configures channels (`config`): SMS for
//! guardians (`sms`: Alibaba Cloud or the school's own HTTP gateway), e-mail for staff (`email`,
//! SMTP) and the staff's WeCom group robot (`wecom`). A background `worker` claims queued
//! messages (`queue`, the store of delivery state) and hands each to its channel; a message is
//! marked sent only when a channel accepted it. With no channel configured nothing leaves the
//! server: the outbox is exported as xlsx and sent with the school's own tool.

pub mod config;
pub mod email;
pub mod notices;
pub mod opt_out;
pub mod queue;
pub mod sms;
pub mod staff;
pub mod switches;
pub mod wecom;
pub mod worker;

use std::time::Duration;

pub use config::ChannelConfig;
use shared::meetings::ChannelsInfo;

/// How long one hand-over may take before it counts as failed (well inside the claim's lease).
pub const SEND_TIMEOUT: Duration = Duration::from_secs(20);

/// Why a channel did not take a message: shown to staff on the meeting's page and stored, so it
/// never holds a secret (no URL with a key, no token). `retry` is false when trying again cannot
/// help (no phone, no address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub reason: String,
    pub retry: bool,
}

impl Refused {
    pub fn again(reason: impl Into<String>) -> Refused {
        Refused { reason: truncate(reason.into()), retry: true }
    }

    pub fn never(reason: impl Into<String>) -> Refused {
        Refused { reason: truncate(reason.into()), retry: false }
    }
}

fn truncate(mut text: String) -> String {
    if let Some((i, _)) = text.char_indices().nth(300) {
        text.truncate(i);
    }
    text
}

/// A reqwest error without its URL (a WeCom webhook's URL holds its key).
pub fn http_error(e: reqwest::Error) -> Refused {
    Refused::again(e.without_url().to_string())
}

/// The channels this instance delivers through, built from the configuration at start.
pub struct Channels {
    pub sms: Option<Box<dyn sms::SmsGateway>>,
    pub email: Option<email::Email>,
    pub wecom: Option<wecom::WeCom>,
}

impl Channels {
    /// The log-only state: nothing is sent.
    pub fn none() -> Channels {
        Channels { sms: None, email: None, wecom: None }
    }

    pub fn any(&self) -> bool {
        self.sms.is_some() || self.email.is_some() || self.wecom.is_some()
    }

    pub fn info(&self) -> ChannelsInfo {
        ChannelsInfo {
            sms: self.sms.as_ref().map(|g| g.name().to_string()),
            email: self.email.is_some(),
            wecom: self.wecom.is_some(),
        }
    }
}

/// One HTTP client for every channel (connection reuse, one timeout).
pub fn http_client() -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder().timeout(SEND_TIMEOUT).build()?)
}
