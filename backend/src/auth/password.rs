//! Passwords: argon2id hashes; 8 to 128 characters of anything, never truncated; common ones
//! refused.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

use crate::error::{Error, Result};
use crate::i18n::Msg;

pub const MIN_LEN: usize = 8;
pub const MAX_LEN: usize = 128;

/// The most common passwords of public breach corpora, and the obvious local ones.
const COMMON: &str = include_str!("common-passwords.txt");

pub fn check_policy(password: &str, username: &str) -> Result<()> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(Error::field(
            "password",
            Msg::new("密码至少需要 8 个字符", "A password needs at least 8 characters"),
        ));
    }
    if len > MAX_LEN {
        return Err(Error::field(
            "password",
            Msg::new("密码最多 128 个字符", "A password may have at most 128 characters"),
        ));
    }
    let lower = password.to_lowercase();
    let first = password.chars().next();
    let all_same = password.chars().all(|c| Some(c) == first);
    let is_common = COMMON.lines().any(|p| !p.is_empty() && p == lower);
    let is_username = !username.is_empty() && lower.contains(&username.to_lowercase());
    if all_same || is_common || is_username {
        return Err(Error::field(
            "password",
            Msg::new(
                "这个密码太常见或太容易猜到，请换一个",
                "This password is too common or easy to guess; choose another",
            ),
        ));
    }
    Ok(())
}

pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
}

/// Verifies on a blocking thread: argon2 takes tens of milliseconds on purpose.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    // An unknown user is checked against a real hash so that the answer takes as long.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.get_or_init(|| hash("not a password").unwrap_or_default()).clone());
        let ok = PasswordHash::new(&stored)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        known && ok
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy() {
        assert!(check_policy("short", "x").is_err());
        assert!(check_policy("password123", "x").is_err());
        assert!(check_policy("aaaaaaaaaa", "x").is_err());
        assert!(check_policy("zhangwei-2024!", "zhangwei").is_err());
        assert!(check_policy(&"长".repeat(129), "x").is_err());
        assert!(check_policy("家访 is 很重要 2024", "x").is_ok());
        assert!(check_policy(&"correct horse battery staple ".repeat(4)[..110], "x").is_ok());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_never_truncated() {
        let long = "a-long-passphrase-".repeat(7);
        let h = hash(&long).expect("hashing");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(long.clone(), Some(h.clone())).await);
        assert!(!verify(long[..long.len() - 1].to_string(), Some(h)).await);
        assert!(!verify("whatever".into(), None).await);
    }
}
