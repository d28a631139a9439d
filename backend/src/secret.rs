//! The server's secret key. Family links are derived from it (an HMAC of a random nonce), so the
//! database holds only a nonce and a hash of each link's token: a copy of the database lets no
//! one in, yet staff can show a family its link again.

use std::path::Path;

use anyhow::Context;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

#[derive(Clone)]
pub struct Secret([u8; 32]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Secret {
    pub fn random() -> Secret {
        let mut key = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Secret(key)
    }

    /// Reads the key from `path` (64 hex digits), writing a new random one there first if the
    /// file does not exist (readable by its owner only).
    pub fn load_or_create(path: &Path) -> anyhow::Result<Secret> {
        if !path.exists() {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
            }
            let secret = Secret::random();
            write_private(path, &hex::encode(secret.0))?;
            return Ok(secret);
        }
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let bytes = hex::decode(text.trim()).with_context(|| format!("{} is not hex", path.display()))?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| anyhow::anyhow!("{} must hold 32 bytes as hex", path.display()))?;
        Ok(Secret(key))
    }

    /// HMAC-SHA256 of `purpose` and `data` under the key.
    pub fn derive(&self, purpose: &str, data: &[u8]) -> [u8; 32] {
        // A key of any length is accepted by HMAC: this cannot fail.
        let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(&self.0) {
            Ok(mac) => mac,
            Err(_) => return [0u8; 32],
        };
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        mac.finalize().into_bytes().into()
    }
}

/// How a sealed value starts: never the start of a value kept in the clear before (base32 is upper
/// case), so that the two can be told apart while old ones are sealed.
pub const SEALED_PREFIX: &str = "sealed1:";

const NONCE_BYTES: usize = 24;

/// Whether `text` is a value `Secret::seal` wrote.
pub fn is_sealed(text: &str) -> bool {
    text.starts_with(SEALED_PREFIX)
}

impl Secret {
    fn cipher(&self, purpose: &str) -> XChaCha20Poly1305 {
        let key = self.derive("seal", purpose.as_bytes());
        XChaCha20Poly1305::new(&key.into())
    }

    /// Encrypts `plain` for `purpose` (one key per purpose) bound to `owner` (associated data,
    /// e.g. the user id): `sealed1:` and base64 of nonce and ciphertext.
    pub fn seal(&self, purpose: &str, owner: &[u8], plain: &[u8]) -> anyhow::Result<String> {
        let mut nonce = [0u8; NONCE_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let sealed = self
            .cipher(purpose)
            .encrypt(XNonce::from_slice(&nonce), Payload { msg: plain, aad: owner })
            .map_err(|_| anyhow::anyhow!("sealing a {purpose}"))?;
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        Ok(format!("{SEALED_PREFIX}{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// What `seal` sealed; `None` if `text` is not sealed, was changed, belongs to another owner
    /// or purpose, or was sealed under another key.
    pub fn open(&self, purpose: &str, owner: &[u8], text: &str) -> Option<Vec<u8>> {
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text.strip_prefix(SEALED_PREFIX)?).ok()?;
        if bytes.len() < NONCE_BYTES {
            return None;
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        self.cipher(purpose).decrypt(XNonce::from_slice(nonce), Payload { msg: sealed, aad: owner }).ok()
    }

    /// Writes the key to a new file `path` as `load_or_create` reads it (a test server started as
    /// a process with the key of the one before it).
    pub fn save(&self, path: &Path) -> anyhow::Result<()> {
        write_private(path, &hex::encode(self.0))
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {}", path.display()))?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("creating {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_file_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("k/secret");
        let a = Secret::load_or_create(&path).expect("a new key");
        let b = Secret::load_or_create(&path).expect("the same key");
        assert_eq!(a.derive("x", b"1"), b.derive("x", b"1"));
        assert_ne!(a.derive("x", b"1"), a.derive("y", b"1"));
        assert_ne!(Secret::random().derive("x", b"1"), a.derive("x", b"1"));
        assert_eq!(format!("{a:?}"), "Secret(…)");
    }

    #[test]
    fn sealed_values_open_only_with_the_same_key_purpose_and_owner() {
        let key = Secret::random();
        let sealed = key.seal("totp", b"7", b"JBSWY3DPEHPK3PXP").unwrap();
        assert!(is_sealed(&sealed) && !sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_ne!(sealed, key.seal("totp", b"7", b"JBSWY3DPEHPK3PXP").unwrap(), "a new nonce each time");
        assert_eq!(key.open("totp", b"7", &sealed).as_deref(), Some(&b"JBSWY3DPEHPK3PXP"[..]));
        assert_eq!(key.open("totp", b"8", &sealed), None, "another owner");
        assert_eq!(key.open("other", b"7", &sealed), None, "another purpose");
        assert_eq!(Secret::random().open("totp", b"7", &sealed), None, "another key");
        let mut changed = sealed.clone().into_bytes();
        let last = changed.len() - 2;
        changed[last] = if changed[last] == b'A' { b'B' } else { b'A' };
        assert_eq!(key.open("totp", b"7", &String::from_utf8(changed).unwrap()), None, "tampered with");
        assert_eq!(key.open("totp", b"7", "JBSWY3DPEHPK3PXP"), None, "not sealed");
        assert_eq!(key.open("totp", b"7", "sealed1:AAAA"), None, "too short");
    }
}
