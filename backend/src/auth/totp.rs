//! Time-based one-time passwords (RFC 6238, the algorithm of every authenticator app): HMAC-SHA1
//! of the 30-second step since the Unix epoch, truncated to 6 digits (RFC 4226). A code is
//! accepted for the step before and after the server's too, so that a phone's clock a little off
//! and a code typed as it changes still work. Pure functions only: storage is `second_factor`, and
//! the test harness computes codes with these same functions.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

use crate::error::{Error, Result};
use crate::i18n::Msg;

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Steps either side of the current one that are still accepted.
pub const SKEW: i64 = 1;
/// 160 bits, the size RFC 4226 recommends and HMAC-SHA1's own output.
const SECRET_BYTES: usize = 20;

/// A shared secret. Its `Debug` shows nothing, so a log line can never carry it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("totp::Secret(…)")
    }
}

impl Secret {
    /// 160 bits from the operating system's generator.
    pub fn generate() -> Secret {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Secret(bytes)
    }

    /// A secret as authenticator apps show it: base32, case, spaces and padding ignored.
    pub fn from_base32(text: &str) -> Option<Secret> {
        let cleaned: String =
            text.chars().filter(|c| !c.is_whitespace() && *c != '=').map(|c| c.to_ascii_uppercase()).collect();
        let bytes = BASE32_NOPAD.decode(cleaned.as_bytes()).ok()?;
        (!bytes.is_empty()).then_some(Secret(bytes))
    }

    /// Unpadded upper-case base32, as `otpauth://` URLs carry it.
    pub fn to_base32(&self) -> String {
        BASE32_NOPAD.encode(&self.0)
    }

    /// The code for a step: HOTP (RFC 4226) of the step as counter.
    pub fn code_at_step(&self, step: i64) -> String {
        format!("{:0width$}", hotp(&self.0, step as u64, DIGITS as u32), width = DIGITS)
    }

    /// The code an authenticator app shows at this Unix time.
    pub fn code_at(&self, unix_secs: i64) -> String {
        self.code_at_step(step_of(unix_secs))
    }

    /// The step, within `SKEW` of the one of `unix_secs`, whose code `code` is.
    pub fn matching_step(&self, code: &Code, unix_secs: i64) -> Option<i64> {
        let now = step_of(unix_secs);
        // Every candidate is compared, in constant time, so timing tells nothing about which matched.
        let mut found = None;
        for step in now - SKEW..=now + SKEW {
            if constant_time_eq(self.code_at_step(step).as_bytes(), code.0.as_bytes()) {
                found = found.or(Some(step));
            }
        }
        found
    }

    /// The `otpauth://` URL an authenticator app reads from the QR code.
    pub fn otpauth_url(&self, issuer: &str, account: &str) -> String {
        let label = format!("{issuer}:{account}");
        let mut url = url::Url::parse("otpauth://totp/").expect("a constant URL");
        url.set_path(&format!("/{}", urlencode(&label)));
        url.query_pairs_mut()
            .append_pair("secret", &self.to_base32())
            .append_pair("issuer", issuer)
            .append_pair("algorithm", "SHA1")
            .append_pair("digits", &DIGITS.to_string())
            .append_pair("period", &STEP_SECS.to_string());
        url.to_string()
    }
}

/// The step a Unix time falls in.
pub fn step_of(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(STEP_SECS)
}

/// A code as typed: exactly six digits once spaces are dropped (apps show `123 456`).
#[derive(Clone, PartialEq, Eq)]
pub struct Code(String);

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("totp::Code(…)")
    }
}

impl Code {
    pub fn parse(text: &str) -> Option<Code> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        (digits.len() == DIGITS && digits.bytes().all(|b| b.is_ascii_digit())).then_some(Code(digits))
    }

    /// Parses the `code` field of a request, with a bilingual field error.
    pub fn field(text: &str) -> Result<Code> {
        Code::parse(text).ok_or_else(|| {
            Error::field(
                "code",
                Msg::new("请输入验证器应用显示的 6 位数字", "Enter the 6 digits your authenticator app shows"),
            )
        })
    }
}

fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    // HMAC accepts keys of any length: this cannot fail.
    let Ok(mut mac) = <Hmac<Sha1> as Mac>::new_from_slice(key) else { return 0 };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    // Dynamic truncation (RFC 4226 §5.3).
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([hash[offset] & 0x7f, hash[offset + 1], hash[offset + 2], hash[offset + 3]]);
    binary % 10u32.pow(digits)
}

/// Compares two secrets without telling by the time taken where they differ (also the SMS
/// platform's reply token, `api::messages`).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Percent-encodes a label; `:` stays, as the Key URI format separates issuer and account with it.
fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>().replace('+', "%20").replace("%3A", ":")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1: the key is the ASCII string "12345678901234567890".
    const RFC_KEY: &[u8] = b"12345678901234567890";
    const RFC_VECTORS: [(i64, &str); 6] = [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];

    #[test]
    fn rfc_6238_test_vectors() {
        for (time, expected) in RFC_VECTORS {
            let code = format!("{:08}", hotp(RFC_KEY, step_of(time) as u64, 8));
            assert_eq!(code, expected, "T = {time}");
            // Six digits are the last six of eight.
            assert_eq!(Secret(RFC_KEY.to_vec()).code_at(time), expected[2..], "T = {time}");
        }
    }

    #[test]
    fn rfc_4226_test_vectors() {
        let expected = [755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), code, "counter {counter}");
        }
    }

    #[test]
    fn one_step_either_side_is_accepted_and_no_more() {
        let secret = Secret(RFC_KEY.to_vec());
        let now = 1_234_567_890;
        let step = step_of(now);
        for offset in -1..=1 {
            let code = Code::parse(&secret.code_at_step(step + offset)).unwrap();
            assert_eq!(secret.matching_step(&code, now), Some(step + offset));
        }
        for offset in [-2, 2] {
            let code = Code::parse(&secret.code_at_step(step + offset)).unwrap();
            assert_eq!(secret.matching_step(&code, now), None);
        }
    }

    #[test]
    fn secrets_are_160_random_bits_in_base32() {
        let a = Secret::generate();
        assert_eq!(a.0.len(), 20);
        assert_eq!(a.to_base32().len(), 32);
        assert_ne!(a, Secret::generate());
        let chars: Vec<char> = a.to_base32().to_lowercase().chars().collect();
        let spaced: Vec<String> = chars.chunks(4).map(String::from_iter).collect();
        assert_eq!(Secret::from_base32(&spaced.join(" ")), Some(a));
        assert_eq!(Secret::from_base32("not base32!"), None);
        assert_eq!(Secret::from_base32(""), None);
    }

    #[test]
    fn codes_are_six_digits() {
        assert!(Code::parse("123 456").is_some());
        for bad in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert!(Code::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn otpauth_url() {
        let secret = Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap();
        assert_eq!(
            secret.otpauth_url("家访 Jiafang", "wang.laoshi"),
            "otpauth://totp/%E5%AE%B6%E8%AE%BF%20Jiafang:wang.laoshi?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
             &issuer=%E5%AE%B6%E8%AE%BF+Jiafang&algorithm=SHA1&digits=6&period=30"
        );
        assert!(format!("{secret:?}").contains('…'));
    }
}
