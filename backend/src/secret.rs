//! The server's secret key. Family links are derived from it (an HMAC of a random nonce), so the
//! database holds only a nonce and a hash of each link's token: a copy of the database lets no
//! one in, yet staff can show a family its link again.

use std::path::Path;

use anyhow::Context;
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
}
