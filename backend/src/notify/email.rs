//! E-mail to staff over SMTP (lettre). `smtp://host:25` speaks plain SMTP (a relay on the
//! school's network), `smtp://host:587?tls=required` upgrades with STARTTLS, `smtps://user@host:465`
//! is TLS from the start; the password comes from a file, never the URL.

use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::{Refused, SEND_TIMEOUT};

pub struct Email {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Email {
    pub fn new(url: &str, password: Option<String>, from: &str) -> anyhow::Result<Email> {
        let parsed = url::Url::parse(url)?;
        if parsed.password().is_some() {
            anyhow::bail!("JIAFANG_SMTP_URL must not hold a password: put it in JIAFANG_SMTP_PASSWORD_FILE");
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| anyhow::anyhow!("JIAFANG_SMTP_URL: {e}"))?
            .timeout(Some(SEND_TIMEOUT));
        if let Some(password) = password {
            let user = percent_encoding::percent_decode_str(parsed.username()).decode_utf8_lossy().into_owned();
            builder = builder.credentials(Credentials::new(user, password));
        }
        let from = from.parse().map_err(|e| anyhow::anyhow!("JIAFANG_SMTP_FROM {from:?}: {e}"))?;
        Ok(Email { transport: builder.build(), from })
    }

    pub async fn send(&self, to: Option<&str>, subject: &str, text: &str) -> Result<(), Refused> {
        let to: Mailbox = match to.map(str::parse) {
            Some(Ok(to)) => to,
            Some(Err(_)) => {
                return Err(Refused::never("该教师的邮箱地址无效 / the staff member's e-mail address is not valid"))
            }
            None => return Err(Refused::never("该教师没有邮箱地址 / the staff member has no e-mail address")),
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(text.to_string())
            .map_err(|e| Refused::never(format!("building the e-mail: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // A permanent SMTP answer (5xx) will not change by trying again.
            Err(e) if e.is_permanent() => Err(Refused::never(format!("SMTP: {e}"))),
            Err(e) => Err(Refused::again(format!("SMTP: {e}"))),
        }
    }
}
