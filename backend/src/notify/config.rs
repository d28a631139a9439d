//! The channels' configuration: command-line flags or `JIAFANG_*` variables (`ChannelArgs`,
//! documented in the README), turned into `ChannelConfig` (in `Config`; tests build it directly)
//! and, at start, into `Channels`. Secrets are read from files and kept in `Hidden`, whose
//! `Debug` prints nothing of them.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::{email::Email, http_client, sms, wecom::WeCom, Channels};

/// A secret value: `Debug` prints `Hidden(…)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Hidden(String);

impl Hidden {
    pub fn new(value: impl Into<String>) -> Hidden {
        Hidden(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Hidden {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Hidden(…)")
    }
}

#[derive(Debug, Clone)]
pub enum SmsConfig {
    /// The school's own platform: `JIAFANG_SMS_URL` and `JIAFANG_SMS_TOKEN_FILE`.
    Http { url: String, token_file: PathBuf },
    /// Alibaba Cloud SMS: `JIAFANG_ALIYUN_SMS_*`.
    Aliyun { access_key_id: String, secret_file: PathBuf, sign_name: String, template_code: String, endpoint: String },
}

#[derive(Debug, Clone)]
pub struct SmtpConfig {
    pub url: String,
    pub password_file: Option<PathBuf>,
    pub from: String,
}

/// How the worker paces itself; the defaults suit production, tests shorten them.
#[derive(Debug, Clone)]
pub struct Pacing {
    /// How long the worker sleeps when it found nothing to send.
    pub poll_ms: u64,
    /// The wait after the first failure; doubled after each further one, at most an hour.
    pub backoff_base_secs: i64,
    /// Tries before a message is given up (`gave_up`, shown with its last reason).
    pub max_attempts: i64,
    /// How long a claim holds a message against other instances (longer than a send may take).
    pub lease_secs: i64,
    /// How often the worker looks for meetings whose day-before reminders are due.
    pub schedule_every_secs: u64,
}

impl Default for Pacing {
    fn default() -> Pacing {
        Pacing { poll_ms: 2_000, backoff_base_secs: 30, max_attempts: 8, lease_secs: 120, schedule_every_secs: 60 }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ChannelConfig {
    /// The address families open (`https://jiafang.example.edu.cn`): the links in texts the
    /// worker sends, where no request tells the host.
    pub public_url: Option<String>,
    pub sms: Option<SmsConfig>,
    pub smtp: Option<SmtpConfig>,
    pub wecom_webhook: Option<Hidden>,
    /// The hour (Shanghai time, 0–23) from which the day-before reminders of tomorrow's meetings
    /// are queued automatically; `None`: only when staff press the button.
    pub reminder_hour: Option<u32>,
    pub pacing: Pacing,
}

impl ChannelConfig {
    pub fn check(&self) -> anyhow::Result<()> {
        if self.sms.is_some() && self.public_url.is_none() {
            anyhow::bail!("SMS needs JIAFANG_PUBLIC_URL: the invitations' links are written with it");
        }
        Ok(())
    }

    /// The channels, secrets read from their files now (a missing file stops the start).
    pub fn channels(&self) -> anyhow::Result<Channels> {
        let client = http_client()?;
        let sms: Option<Box<dyn sms::SmsGateway>> = match &self.sms {
            None => None,
            Some(SmsConfig::Http { url, token_file }) => Some(Box::new(sms::HttpGateway {
                url: url.clone(),
                token: read_secret(token_file)?,
                client: client.clone(),
            })),
            Some(SmsConfig::Aliyun { access_key_id, secret_file, sign_name, template_code, endpoint }) => {
                Some(Box::new(sms::Aliyun {
                    endpoint: endpoint.trim_end_matches('/').to_string(),
                    access_key_id: access_key_id.clone(),
                    access_key_secret: read_secret(secret_file)?,
                    sign_name: sign_name.clone(),
                    template_code: template_code.clone(),
                    client: client.clone(),
                }))
            }
        };
        let email = match &self.smtp {
            None => None,
            Some(s) => {
                let password = s.password_file.as_deref().map(read_secret).transpose()?.map(|p| p.expose().to_string());
                Some(Email::new(&s.url, password, &s.from)?)
            }
        };
        let wecom = self.wecom_webhook.clone().map(|webhook| WeCom { webhook, client });
        Ok(Channels { sms, email, wecom })
    }
}

fn hidden(text: &str) -> Result<Hidden, String> {
    Ok(Hidden(text.to_string()))
}

fn read_secret(path: &Path) -> anyhow::Result<Hidden> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(Hidden(text.trim().to_string()))
}

/// The flags of `jiafang serve` for the channels.
#[derive(clap::Args, Debug)]
pub struct ChannelArgs {
    /// The public address of the site (e.g. https://jiafang.example.edu.cn), for links in texts.
    #[arg(long, env = "JIAFANG_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The school's SMS platform: POST {"phone","text","id"} with a bearer token; 2xx = accepted.
    #[arg(long, env = "JIAFANG_SMS_URL", requires = "sms_token_file", conflicts_with = "aliyun_sms_access_key_id")]
    pub sms_url: Option<String>,
    /// The file holding that platform's bearer token.
    #[arg(long, env = "JIAFANG_SMS_TOKEN_FILE")]
    pub sms_token_file: Option<PathBuf>,
    /// Alibaba Cloud SMS: the AccessKey id (a RAM user's with SMS rights only).
    #[arg(long, env = "JIAFANG_ALIYUN_SMS_ACCESS_KEY_ID",
          requires_all = ["aliyun_sms_secret_file", "aliyun_sms_sign_name", "aliyun_sms_template_code"])]
    pub aliyun_sms_access_key_id: Option<String>,
    /// The file holding its AccessKey secret.
    #[arg(long, env = "JIAFANG_ALIYUN_SMS_SECRET_FILE")]
    pub aliyun_sms_secret_file: Option<PathBuf>,
    /// The approved sign name (签名), e.g. 某某大学.
    #[arg(long, env = "JIAFANG_ALIYUN_SMS_SIGN_NAME")]
    pub aliyun_sms_sign_name: Option<String>,
    /// The approved template (模板) whose only variable is ${content}, e.g. SMS_123456789.
    #[arg(long, env = "JIAFANG_ALIYUN_SMS_TEMPLATE_CODE")]
    pub aliyun_sms_template_code: Option<String>,
    #[arg(long, env = "JIAFANG_ALIYUN_SMS_ENDPOINT", default_value = "https://dysmsapi.aliyuncs.com")]
    pub aliyun_sms_endpoint: String,
    /// SMTP for staff e-mail: smtp://host:25, smtp://user@host:587?tls=required or smtps://user@host:465.
    #[arg(long, env = "JIAFANG_SMTP_URL", requires = "smtp_from")]
    pub smtp_url: Option<String>,
    /// The file holding the SMTP user's password.
    #[arg(long, env = "JIAFANG_SMTP_PASSWORD_FILE")]
    pub smtp_password_file: Option<PathBuf>,
    /// The sender, e.g. "家校共育 <jiafang@example.edu.cn>".
    #[arg(long, env = "JIAFANG_SMTP_FROM")]
    pub smtp_from: Option<String>,
    /// The staff WeCom group robot's webhook address (it holds the robot's key: keep it secret).
    #[arg(long, env = "JIAFANG_WECOM_WEBHOOK", hide_env_values = true, value_parser = hidden)]
    pub wecom_webhook: Option<Hidden>,
    /// The hour (Shanghai time) the day before a meeting from which its reminders are queued and
    /// sent automatically (with a channel configured); `off`: only by the button.
    #[arg(long, env = "JIAFANG_REMINDER_HOUR", default_value = "18", value_parser = reminder_hour)]
    pub reminder_hour: ReminderHour,
}

/// `--reminder-hour`: 0–23, or `off`.
#[derive(Debug, Clone, Copy)]
pub struct ReminderHour(Option<u32>);

fn reminder_hour(text: &str) -> Result<ReminderHour, String> {
    match text {
        "off" => Ok(ReminderHour(None)),
        _ => match text.parse::<u32>() {
            Ok(hour) if hour < 24 => Ok(ReminderHour(Some(hour))),
            _ => Err("expected an hour from 0 to 23, or off".into()),
        },
    }
}

impl ChannelArgs {
    pub fn into_config(self) -> ChannelConfig {
        let sms = match (self.sms_url, self.sms_token_file, self.aliyun_sms_access_key_id) {
            (Some(url), Some(token_file), _) => Some(SmsConfig::Http { url, token_file }),
            (_, _, Some(access_key_id)) => Some(SmsConfig::Aliyun {
                access_key_id,
                secret_file: self.aliyun_sms_secret_file.unwrap_or_default(),
                sign_name: self.aliyun_sms_sign_name.unwrap_or_default(),
                template_code: self.aliyun_sms_template_code.unwrap_or_default(),
                endpoint: self.aliyun_sms_endpoint,
            }),
            _ => None,
        };
        let smtp = self.smtp_url.map(|url| SmtpConfig {
            url,
            password_file: self.smtp_password_file,
            from: self.smtp_from.unwrap_or_default(),
        });
        ChannelConfig {
            public_url: self.public_url.map(|u| u.trim_end_matches('/').to_string()),
            sms,
            smtp,
            wecom_webhook: self.wecom_webhook,
            reminder_hour: self.reminder_hour.0,
            pacing: Pacing::default(),
        }
    }
}
