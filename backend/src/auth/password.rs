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

/// How many password hashes run at once, and how many may wait: argon2 takes tens of
/// milliseconds of a core and 19 MiB on purpose, so a burst of sign-ins must queue for the cores
/// rather than run hundreds of hashes at once; beyond the queue a request is answered 503 with
/// `Retry-After` (`Error::Busy`) instead of piling up.
#[derive(Debug)]
pub struct Gate {
    running: tokio::sync::Semaphore,
    /// Hashes running or waiting.
    admitted: std::sync::atomic::AtomicUsize,
    most: usize,
}

impl Gate {
    /// `threads` hashes at once (the cores), `queue` more waiting.
    pub fn new(threads: usize, queue: usize) -> Gate {
        let threads = threads.max(1);
        Gate {
            running: tokio::sync::Semaphore::new(threads),
            admitted: std::sync::atomic::AtomicUsize::new(0),
            most: threads + queue,
        }
    }

    /// One per core of this machine.
    pub fn per_core(queue: usize) -> Gate {
        Gate::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), queue)
    }

    /// Runs `work` on a blocking thread once a core is free; `Error::Busy` if the queue is full.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
        use std::sync::atomic::Ordering;
        struct Admitted<'a>(&'a std::sync::atomic::AtomicUsize);
        impl Drop for Admitted<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.most {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(Error::Busy { retry_after_secs: 1 });
        }
        let _admitted = Admitted(&self.admitted);
        let _permit = self.running.acquire().await.map_err(|e| anyhow::anyhow!("the hashing gate closed: {e}"))?;
        Ok(tokio::task::spawn_blocking(work).await.map_err(|e| anyhow::anyhow!("hashing a password: {e}"))?)
    }
}

/// Hashes a new password through the gate.
pub async fn hash_gated(gate: &Gate, password: String) -> Result<String> {
    Ok(gate.run(move || hash(&password)).await??)
}

/// Verifies through the gate, on a blocking thread: argon2 takes tens of milliseconds on purpose.
pub async fn verify(gate: &Gate, password: String, stored: Option<String>) -> Result<bool> {
    // An unknown user is checked against a real hash so that the answer takes as long.
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    gate.run(move || {
        let known = stored.is_some();
        let stored = stored.unwrap_or_else(|| DUMMY.get_or_init(|| hash("not a password").unwrap_or_default()).clone());
        let ok = PasswordHash::new(&stored)
            .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        known && ok
    })
    .await
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

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_gate_runs_as_many_hashes_as_it_has_threads_queues_some_and_turns_the_rest_away() {
        let gate = std::sync::Arc::new(Gate::new(1, 1));
        let (running, release) =
            (std::sync::Arc::new(std::sync::Barrier::new(2)), std::sync::Arc::new(std::sync::Barrier::new(2)));
        let first = {
            let (gate, running, release) = (gate.clone(), running.clone(), release.clone());
            tokio::spawn(async move {
                gate.run(move || {
                    running.wait();
                    release.wait();
                })
                .await
            })
        };
        tokio::task::spawn_blocking({
            let running = running.clone();
            move || running.wait()
        })
        .await
        .unwrap();
        // One runs; the next waits for the core; the one after that is turned away at once.
        let second = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(|| ()).await })
        };
        while gate.admitted.load(std::sync::atomic::Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(gate.run(|| ()).await, Err(Error::Busy { retry_after_secs: 1 })));
        tokio::task::spawn_blocking(move || release.wait()).await.unwrap();
        assert!(first.await.unwrap().is_ok() && second.await.unwrap().is_ok());
        assert!(gate.run(|| ()).await.is_ok(), "room again once they are done");
    }

    #[tokio::test]
    async fn hashes_are_argon2id_and_never_truncated() {
        let long = "a-long-passphrase-".repeat(7);
        let h = hash(&long).expect("hashing");
        assert!(h.starts_with("$argon2id$"));
        let gate = Gate::new(1, 0);
        assert!(verify(&gate, long.clone(), Some(h.clone())).await.unwrap());
        assert!(!verify(&gate, long[..long.len() - 1].to_string(), Some(h)).await.unwrap());
        assert!(!verify(&gate, "whatever".into(), None).await.unwrap());
    }
}
